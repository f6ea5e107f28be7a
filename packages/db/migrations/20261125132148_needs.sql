CREATE TABLE "channel_conversations" (
	"department_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"address_hash" text NOT NULL,
	"state_enc" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_conversations_department_id_channel_address_hash_pk" PRIMARY KEY("department_id","channel","address_hash")
);
--> statement-breakpoint
CREATE TABLE "channel_inbound" (
	"channel" text NOT NULL,
	"message_id" text NOT NULL,
	"department_id" uuid NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_inbound_channel_message_id_pk" PRIMARY KEY("channel","message_id")
);
--> statement-breakpoint
CREATE TABLE "department_counters" (
	"department_id" uuid NOT NULL,
	"name" text NOT NULL,
	"value" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "department_counters_department_id_name_pk" PRIMARY KEY("department_id","name")
);
--> statement-breakpoint
CREATE TABLE "need_attachments" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"need_id" uuid NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer,
	"height" integer,
	"data_enc" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "need_attachments_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "need_categories" (
	"department_id" uuid NOT NULL,
	"code" text NOT NULL,
	"labels" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"built_in" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "need_categories_department_id_code_pk" PRIMARY KEY("department_id","code")
);
--> statement-breakpoint
CREATE TABLE "need_events" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"need_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_id" text,
	"from_value" text,
	"to_value" text,
	"text" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigserial NOT NULL,
	CONSTRAINT "need_events_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "need_models" (
	"department_id" uuid PRIMARY KEY NOT NULL,
	"model" jsonb NOT NULL,
	"evaluation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"examples" integer NOT NULL,
	"trained_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "needs" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"channel" text NOT NULL,
	"category" text,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"description" text NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"language" text DEFAULT 'he' NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"address_text" text DEFAULT '' NOT NULL,
	"community_id" uuid,
	"resident_id" uuid,
	"assignee_id" text,
	"contact_enc" text,
	"suggestion" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"spam_score" smallint DEFAULT 0 NOT NULL,
	"merged_into_id" uuid,
	"initiative_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"created_by" text,
	CONSTRAINT "needs_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
ALTER TABLE "channel_conversations" ADD CONSTRAINT "channel_conversations_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "department_counters" ADD CONSTRAINT "department_counters_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_categories" ADD CONSTRAINT "need_categories_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_models" ADD CONSTRAINT "need_models_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "need_attachments_need_idx" ON "need_attachments" USING btree ("department_id","need_id");--> statement-breakpoint
CREATE INDEX "need_events_need_idx" ON "need_events" USING btree ("department_id","need_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "needs_number_idx" ON "needs" USING btree ("department_id","number");--> statement-breakpoint
CREATE INDEX "needs_queue_idx" ON "needs" USING btree ("department_id","status","created_at");--> statement-breakpoint
CREATE INDEX "needs_community_idx" ON "needs" USING btree ("department_id","community_id");--> statement-breakpoint
CREATE INDEX "needs_assignee_idx" ON "needs" USING btree ("department_id","assignee_id");--> statement-breakpoint
CREATE INDEX "needs_resident_idx" ON "needs" USING btree ("department_id","resident_id");--> statement-breakpoint
CREATE INDEX "needs_geo_idx" ON "needs" USING btree ("department_id","lon","lat");--> statement-breakpoint
CREATE INDEX "needs_search_trgm_idx" ON "needs" USING gin ("department_id","search_text" gin_trgm_ops);