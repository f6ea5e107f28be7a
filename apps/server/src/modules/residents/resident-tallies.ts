import { sql } from "drizzle-orm";
import { foldResidentTallies, type Db } from "@kaveret/db";
import type { Config } from "../../config/env.ts";

/*
 * Resident tallies (packages/db/src/resident-tallies.ts): the triggers only add deltas;
 * reads sum totals and deltas, and ask for a fold here once they summed enough deltas.
 */

/** Delta rows a read may sum before it asks for a fold. */
export const FOLD_AFTER_PENDING = 64;
/** The embedded database has no autovacuum: after a fold, at most this often, vacuum the tallies. */
const PGLITE_VACUUM_EVERY_MS = 60_000;

const folding = new Map<string, Promise<unknown>>();
let lastVacuum = 0;

/**
 * Folds the department's deltas into its totals in the background when a read summed at
 * least FOLD_AFTER_PENDING of them; one fold per department at a time in this process (and
 * the database skips a fold while another instance's runs). A failed fold changes nothing:
 * the deltas wait for the next one.
 */
export function foldWhenPending(
  ctx: { db: Db; config: Pick<Config, "database"> },
  departmentId: string,
  pending: number,
): void {
  if (pending < FOLD_AFTER_PENDING || folding.has(departmentId)) return;
  const run = (async () => {
    const written = await foldResidentTallies(ctx.db, departmentId);
    if (
      written > 0 &&
      ctx.config.database.kind === "pglite" &&
      Date.now() - lastVacuum > PGLITE_VACUUM_EVERY_MS
    ) {
      // Without it the deleted deltas' space is never reused and the tables only grow.
      lastVacuum = Date.now();
      await ctx.db.execute(
        sql`vacuum resident_count_deltas, resident_map_cell_deltas, resident_counts, resident_map_cells, resident_household_members`,
      );
    }
  })()
    .catch(() => undefined)
    .finally(() => folding.delete(departmentId));
  folding.set(departmentId, run);
}
