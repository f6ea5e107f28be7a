CREATE TABLE "change_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"department_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"record_id" uuid NOT NULL,
	"op" text NOT NULL,
	"version" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_commands" (
	"department_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"device_id" text NOT NULL,
	"name" text NOT NULL,
	"payload_hash" text NOT NULL,
	"result" jsonb NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_commands_department_id_id_pk" PRIMARY KEY("department_id","id")
);
--> statement-breakpoint
CREATE INDEX "change_log_department_idx" ON "change_log" USING btree ("department_id","seq");--> statement-breakpoint
-- Every change of a synced record goes to the change log in the same transaction,
-- whichever code path made it (staff, public intake, SMS, merges, sync pushes).
CREATE OR REPLACE FUNCTION kaveret_log_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- One writer per department at a time from here to commit, so sequence numbers become
  -- visible in order and a pull never skips a change that commits late.
  PERFORM pg_advisory_xact_lock(hashtextextended('change_log:' || NEW.department_id::text, 0));
  INSERT INTO change_log (department_id, kind, record_id, op, version)
  VALUES (NEW.department_id, TG_ARGV[0], NEW.id, 'upsert', NEW.version);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER needs_change_log AFTER INSERT OR UPDATE ON needs
  FOR EACH ROW EXECUTE FUNCTION kaveret_log_change('need');--> statement-breakpoint
CREATE TRIGGER forms_change_log AFTER INSERT OR UPDATE ON forms
  FOR EACH ROW EXECUTE FUNCTION kaveret_log_change('form');
--> statement-breakpoint
-- Records written before the log existed, so a first sync from cursor 0 sees them.
INSERT INTO change_log (department_id, kind, record_id, op, version)
SELECT department_id, 'need', id, 'upsert', version FROM needs ORDER BY created_at;--> statement-breakpoint
INSERT INTO change_log (department_id, kind, record_id, op, version)
SELECT department_id, 'form', id, 'upsert', version FROM forms ORDER BY created_at;
