CREATE TABLE "form_photos" (
	"department_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"response_id" uuid,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer,
	"height" integer,
	"data_enc" text NOT NULL,
	"sha256" text NOT NULL,
	"source" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "form_photos_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
ALTER TABLE "form_photos" ADD CONSTRAINT "form_photos_response_fk" FOREIGN KEY ("department_id","response_id") REFERENCES "public"."form_responses"("department_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "form_photos_response_idx" ON "form_photos" USING btree ("department_id","response_id");--> statement-breakpoint
CREATE INDEX "form_photos_orphan_idx" ON "form_photos" USING btree ("created_at") WHERE "form_photos"."response_id" is null;