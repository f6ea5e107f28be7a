DROP INDEX "residents_search_trgm_idx";--> statement-breakpoint
CREATE INDEX "residents_search_scope_idx" ON "residents" USING gin ("department_id","community_ids","search_text" gin_trgm_ops);