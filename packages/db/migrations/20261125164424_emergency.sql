CREATE TABLE "emergencies" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"level" smallint NOT NULL,
	"title" text NOT NULL,
	"drill" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"community_ids" uuid[] NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"declared_by" text,
	"closed_by" text,
	"close_note" text DEFAULT '' NOT NULL,
	"summary" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emergencies_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "emergency_call_attempts" (
	"department_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"emergency_id" uuid NOT NULL,
	"call_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"source" text DEFAULT 'call' NOT NULL,
	"note_enc" text,
	"by_user_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emergency_call_attempts_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "emergency_calls" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"emergency_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"drill" boolean DEFAULT false NOT NULL,
	"rank" integer NOT NULL,
	"risk_score" integer NOT NULL,
	"risk_enc" text,
	"consented" boolean DEFAULT false NOT NULL,
	"street_id" uuid,
	"house_number" text,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"home_community_id" uuid,
	"assignee_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"outcome" text,
	"last_source" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"escalated_to" text,
	"escalated_at" timestamp with time zone,
	"help_request_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emergency_calls_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "emergency_help_requests" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"emergency_id" uuid NOT NULL,
	"drill" boolean DEFAULT false NOT NULL,
	"category" text NOT NULL,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"source" text NOT NULL,
	"description_enc" text,
	"resident_id" uuid,
	"call_id" uuid,
	"lat" double precision,
	"lon" double precision,
	"address_text" text DEFAULT '' NOT NULL,
	"community_id" uuid,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"completion_note" text,
	"need_id" uuid,
	"created_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emergency_help_requests_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "emergency_log" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"emergency_id" uuid NOT NULL,
	"kind" text DEFAULT 'note' NOT NULL,
	"text" text NOT NULL,
	"author_id" text,
	"system" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emergency_log_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "emergency_reviews" (
	"department_id" uuid NOT NULL,
	"emergency_id" uuid NOT NULL,
	"what_worked" text DEFAULT '' NOT NULL,
	"what_did_not" text DEFAULT '' NOT NULL,
	"lessons" text DEFAULT '' NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"author_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emergency_reviews_department_id_emergency_id_pk" PRIMARY KEY("department_id","emergency_id")
);
--> statement-breakpoint
CREATE TABLE "emergency_self_reports" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"emergency_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"answer" text NOT NULL,
	"category" text,
	"note_enc" text,
	"language" text DEFAULT 'he' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emergency_self_reports_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "emergency_status_links" (
	"department_id" uuid NOT NULL,
	"emergency_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"token_enc" text NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emergency_status_links_department_id_emergency_id_resident_id_pk" PRIMARY KEY("department_id","emergency_id","resident_id")
);
--> statement-breakpoint
CREATE TABLE "emergency_volunteer_offers" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"emergency_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"categories" text[] NOT NULL,
	"languages" text[] NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"radius_km" double precision DEFAULT 3 NOT NULL,
	"has_vehicle" boolean DEFAULT false NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "emergency_volunteer_offers_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
ALTER TABLE "emergencies" ADD CONSTRAINT "emergencies_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_call_attempts" ADD CONSTRAINT "emergency_call_attempts_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_calls" ADD CONSTRAINT "emergency_calls_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_help_requests" ADD CONSTRAINT "emergency_help_requests_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_log" ADD CONSTRAINT "emergency_log_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_reviews" ADD CONSTRAINT "emergency_reviews_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_self_reports" ADD CONSTRAINT "emergency_self_reports_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_status_links" ADD CONSTRAINT "emergency_status_links_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_volunteer_offers" ADD CONSTRAINT "emergency_volunteer_offers_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "emergencies_one_active_idx" ON "emergencies" USING btree ("department_id") WHERE "emergencies"."status" = 'active';--> statement-breakpoint
CREATE INDEX "emergencies_started_idx" ON "emergencies" USING btree ("department_id","started_at");--> statement-breakpoint
CREATE INDEX "emergency_call_attempts_call_idx" ON "emergency_call_attempts" USING btree ("department_id","call_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "emergency_calls_resident_idx" ON "emergency_calls" USING btree ("department_id","emergency_id","resident_id");--> statement-breakpoint
CREATE INDEX "emergency_calls_rank_idx" ON "emergency_calls" USING btree ("department_id","emergency_id","rank");--> statement-breakpoint
CREATE INDEX "emergency_calls_assignee_idx" ON "emergency_calls" USING btree ("department_id","assignee_id","status");--> statement-breakpoint
CREATE INDEX "emergency_calls_escalated_idx" ON "emergency_calls" USING btree ("department_id","escalated_to");--> statement-breakpoint
CREATE INDEX "emergency_calls_resident_history_idx" ON "emergency_calls" USING btree ("department_id","resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "emergency_help_number_idx" ON "emergency_help_requests" USING btree ("department_id","number");--> statement-breakpoint
CREATE INDEX "emergency_help_status_idx" ON "emergency_help_requests" USING btree ("department_id","emergency_id","status");--> statement-breakpoint
CREATE INDEX "emergency_help_claimed_idx" ON "emergency_help_requests" USING btree ("department_id","claimed_by");--> statement-breakpoint
CREATE INDEX "emergency_help_resident_idx" ON "emergency_help_requests" USING btree ("department_id","resident_id");--> statement-breakpoint
CREATE INDEX "emergency_log_emergency_idx" ON "emergency_log" USING btree ("department_id","emergency_id","at");--> statement-breakpoint
CREATE INDEX "emergency_self_reports_resident_idx" ON "emergency_self_reports" USING btree ("department_id","resident_id","at");--> statement-breakpoint
CREATE INDEX "emergency_self_reports_emergency_idx" ON "emergency_self_reports" USING btree ("department_id","emergency_id");--> statement-breakpoint
CREATE UNIQUE INDEX "emergency_status_links_token_idx" ON "emergency_status_links" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "emergency_offers_user_idx" ON "emergency_volunteer_offers" USING btree ("department_id","emergency_id","user_id");--> statement-breakpoint
-- Call assignments are synced to callers' phones (modules/sync pulls kind emergency_call):
-- every change goes to the change log in the writer's transaction, like needs and forms.
CREATE TRIGGER emergency_calls_change_log AFTER INSERT OR UPDATE ON emergency_calls
  FOR EACH ROW EXECUTE FUNCTION kaveret_log_change('emergency_call');
