ALTER TABLE "emergency_log" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "emergency_log" ADD COLUMN "params" jsonb;