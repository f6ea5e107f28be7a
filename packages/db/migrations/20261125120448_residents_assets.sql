CREATE TABLE "community_figures" (
	"department_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"indicator" text NOT NULL,
	"period" text NOT NULL,
	"value" double precision NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "community_figures_department_id_community_id_indicator_period_pk" PRIMARY KEY("department_id","community_id","indicator","period")
);
--> statement-breakpoint
CREATE TABLE "households" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "households_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "import_jobs" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"entity" text NOT NULL,
	"status" text DEFAULT 'uploaded' NOT NULL,
	"file_name" text NOT NULL,
	"file_type" text NOT NULL,
	"file_enc" text,
	"headers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"valid_rows" integer DEFAULT 0 NOT NULL,
	"error_rows" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"result" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"failure" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "import_jobs_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "import_rows" (
	"department_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row_no" integer NOT NULL,
	"data" jsonb NOT NULL,
	CONSTRAINT "import_rows_department_id_import_id_row_no_pk" PRIMARY KEY("department_id","import_id","row_no")
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"name" text NOT NULL,
	"alt_names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"asset_type" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"street_id" uuid,
	"house_number" text,
	"address" text DEFAULT '' NOT NULL,
	"community_id" uuid,
	"lat" double precision,
	"lon" double precision,
	"capacity" integer,
	"occupancy" integer,
	"accessibility" text DEFAULT '' NOT NULL,
	"phone" text,
	"email" text,
	"website" text,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	CONSTRAINT "locations_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"alt_names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text DEFAULT 'community' NOT NULL,
	"email" text,
	"phone" text,
	"website" text,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "resident_caseworkers" (
	"department_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_caseworkers_department_id_resident_id_user_id_pk" PRIMARY KEY("department_id","resident_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "resident_communities" (
	"department_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_communities_department_id_resident_id_community_id_pk" PRIMARY KEY("department_id","resident_id","community_id")
);
--> statement-breakpoint
CREATE TABLE "resident_consents" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"resident_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"granted" boolean NOT NULL,
	"method" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_consents_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "resident_merges" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_id" uuid NOT NULL,
	"snapshot_enc" text NOT NULL,
	"choices" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"merged_by" text,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_merges_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "residents" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"other_names" text DEFAULT '' NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"name_key" text GENERATED ALWAYS AS (case when array_length(string_to_array(split_part(search_text, ' ~ ', 2), ' '), 1) = array_length(string_to_array(split_part(search_text, ' ~ ', 1), ' '), 1) then split_part(split_part(search_text, ' ~ ', 2), ' ', 1) else split_part(search_text, ' ', 1) end) STORED,
	"phone" text,
	"email" text,
	"birth_year" smallint,
	"gender" text,
	"street_id" uuid,
	"house_number" text,
	"apartment" text,
	"address_note" text DEFAULT '' NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"home_community_id" uuid,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"household_id" uuid,
	"household_role" text,
	"community_roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"consents" text[] DEFAULT '{}'::text[] NOT NULL,
	"flags_enc" text,
	"flag_tokens" text[] DEFAULT '{}'::text[] NOT NULL,
	"health_notes_enc" text,
	"id_number_enc" text,
	"id_number_hash" text,
	"notes" text DEFAULT '' NOT NULL,
	"user_id" text,
	"merged_into_id" uuid,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	CONSTRAINT "residents_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "saved_filters" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"entity" text NOT NULL,
	"name" text NOT NULL,
	"query" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_filters_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"location_id" uuid,
	"service_id" uuid,
	"by_day" text NOT NULL,
	"opens_at" text NOT NULL,
	"closes_at" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schedules_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "service_at_locations" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_at_locations_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"name" text NOT NULL,
	"alt_names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text DEFAULT 'other' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"email" text,
	"phone" text,
	"url" text,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"eligibility" text DEFAULT '' NOT NULL,
	"fees" text DEFAULT '' NOT NULL,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE TABLE "streets" (
	"department_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"town_id" uuid NOT NULL,
	"name" text NOT NULL,
	"alt_names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"geometry" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "streets_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "community_id" uuid;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "notes" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "key_contacts" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "stat_area_code" text;--> statement-breakpoint
ALTER TABLE "community_figures" ADD CONSTRAINT "community_figures_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_caseworkers" ADD CONSTRAINT "resident_caseworkers_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_communities" ADD CONSTRAINT "resident_communities_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_consents" ADD CONSTRAINT "resident_consents_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_merges" ADD CONSTRAINT "resident_merges_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_filters" ADD CONSTRAINT "saved_filters_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_at_locations" ADD CONSTRAINT "service_at_locations_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "streets" ADD CONSTRAINT "streets_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_jobs_created_idx" ON "import_jobs" USING btree ("department_id","created_at");--> statement-breakpoint
CREATE INDEX "locations_type_idx" ON "locations" USING btree ("department_id","asset_type");--> statement-breakpoint
CREATE INDEX "locations_community_idx" ON "locations" USING btree ("department_id","community_id");--> statement-breakpoint
CREATE INDEX "locations_organization_idx" ON "locations" USING btree ("department_id","organization_id");--> statement-breakpoint
CREATE INDEX "organizations_name_idx" ON "organizations" USING btree ("department_id","name");--> statement-breakpoint
CREATE INDEX "resident_caseworkers_user_idx" ON "resident_caseworkers" USING btree ("department_id","user_id");--> statement-breakpoint
CREATE INDEX "resident_communities_community_idx" ON "resident_communities" USING btree ("department_id","community_id","resident_id");--> statement-breakpoint
CREATE INDEX "resident_consents_resident_idx" ON "resident_consents" USING btree ("department_id","resident_id","recorded_at");--> statement-breakpoint
CREATE INDEX "resident_merges_survivor_idx" ON "resident_merges" USING btree ("department_id","survivor_id");--> statement-breakpoint
CREATE INDEX "residents_name_idx" ON "residents" USING btree ("department_id","last_name","first_name");--> statement-breakpoint
CREATE INDEX "residents_search_trgm_idx" ON "residents" USING gin ("department_id","search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "residents_phone_idx" ON "residents" USING btree ("department_id","phone");--> statement-breakpoint
CREATE INDEX "residents_id_hash_idx" ON "residents" USING btree ("department_id","id_number_hash");--> statement-breakpoint
CREATE INDEX "residents_home_idx" ON "residents" USING btree ("department_id","home_community_id");--> statement-breakpoint
CREATE INDEX "residents_address_idx" ON "residents" USING btree ("department_id","street_id","house_number");--> statement-breakpoint
CREATE INDEX "residents_address_name_idx" ON "residents" USING btree ("department_id","street_id","house_number","name_key") WHERE "residents"."merged_into_id" is null and "residents"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "residents_household_idx" ON "residents" USING btree ("department_id","household_id");--> statement-breakpoint
CREATE INDEX "residents_flags_idx" ON "residents" USING gin ("flag_tokens");--> statement-breakpoint
CREATE INDEX "residents_consents_idx" ON "residents" USING gin ("consents");--> statement-breakpoint
CREATE INDEX "residents_updated_idx" ON "residents" USING btree ("department_id","updated_at");--> statement-breakpoint
CREATE INDEX "residents_created_idx" ON "residents" USING btree ("department_id","created_at");--> statement-breakpoint
CREATE INDEX "residents_email_idx" ON "residents" USING btree ("department_id",lower("email"));--> statement-breakpoint
CREATE INDEX "residents_user_idx" ON "residents" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "residents_geo_idx" ON "residents" USING btree ("department_id","lon","lat","id") WHERE "residents"."merged_into_id" is null and "residents"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "saved_filters_user_idx" ON "saved_filters" USING btree ("department_id","user_id","entity");--> statement-breakpoint
CREATE INDEX "schedules_location_idx" ON "schedules" USING btree ("department_id","location_id");--> statement-breakpoint
CREATE INDEX "schedules_service_idx" ON "schedules" USING btree ("department_id","service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_at_locations_pair_idx" ON "service_at_locations" USING btree ("department_id","service_id","location_id");--> statement-breakpoint
CREATE INDEX "service_at_locations_location_idx" ON "service_at_locations" USING btree ("department_id","location_id");--> statement-breakpoint
CREATE INDEX "services_organization_idx" ON "services" USING btree ("department_id","organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "streets_town_name_idx" ON "streets" USING btree ("department_id","town_id","name");--> statement-breakpoint
CREATE INDEX "audit_community_time_idx" ON "audit_events" USING btree ("department_id","community_id","created_at");--> statement-breakpoint
CREATE INDEX "communities_stat_area_idx" ON "communities" USING btree ("department_id","stat_area_code");