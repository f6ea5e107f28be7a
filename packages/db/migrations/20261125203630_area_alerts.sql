ALTER TABLE "push_subscriptions" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD COLUMN "kind" text DEFAULT 'account' NOT NULL;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD COLUMN "community_id" uuid;--> statement-breakpoint
CREATE INDEX "push_subscriptions_area_idx" ON "push_subscriptions" USING btree ("department_id","kind","community_id");