CREATE TABLE "resident_duplicate_dismissals" (
	"department_id" uuid NOT NULL,
	"a_id" uuid NOT NULL,
	"b_id" uuid NOT NULL,
	"dismissed_by" text,
	"dismissed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_duplicate_dismissals_department_id_a_id_b_id_pk" PRIMARY KEY("department_id","a_id","b_id")
);
--> statement-breakpoint
ALTER TABLE "resident_duplicate_dismissals" ADD CONSTRAINT "resident_duplicate_dismissals_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resident_duplicate_dismissals_b_idx" ON "resident_duplicate_dismissals" USING btree ("department_id","b_id");