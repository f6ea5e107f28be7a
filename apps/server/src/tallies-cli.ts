/*
 * Resident tallies (the counts the community page and the low-zoom map read; kept by
 * triggers, see packages/db/src/resident-tallies.ts). A command-line tool: it prints to the
 * terminal on purpose.
 *
 *   npm run tallies -- check [departmentId]     compare with a count made now; exit 1 on a difference
 *   npm run tallies -- recount [departmentId]   count the residents and correct what differs (every department by default)
 *   npm run tallies -- fold [departmentId]      add pending deltas into the totals now
 */
import { checkResidentTallies, foldResidentTallies, recountResidentTallies } from "@kaveret/db";
import { loadConfigForCli } from "./config/for-cli.ts";
import { openConfiguredDatabase } from "./server.ts";

const usage = "usage: npm run tallies -- check|recount|fold [departmentId]";

async function main(): Promise<number> {
  const [command, departmentId] = process.argv.slice(2);
  if (!command || !["check", "recount", "fold"].includes(command)) {
    console.error(usage);
    return 64;
  }
  const config = loadConfigForCli();
  if (!config) return 78;
  const database = await openConfiguredDatabase(config);
  try {
    const departments = departmentId
      ? [departmentId]
      : (await database.query<{ id: string }>("select id from departments order by id")).map(
          (d) => d.id,
        );
    if (command === "recount") {
      for (const d of await recountResidentTallies(database, departmentId)) {
        console.log(
          `${d.departmentId}: counted in ${(d.ms / 1000).toFixed(2)} s; ${d.corrected ? `${d.corrected} tallies corrected` : "nothing to correct"}`,
        );
      }
      return 0;
    }
    if (command === "fold") {
      for (const id of departments) {
        const started = performance.now();
        const written = await foldResidentTallies(database.db, id);
        console.log(
          written < 0
            ? `${id}: another fold or recount is running`
            : `${id}: ${written} rows folded in ${((performance.now() - started) / 1000).toFixed(2)} s`,
        );
      }
      return 0;
    }
    let differences = 0;
    for (const id of departments) {
      const found = await checkResidentTallies(database, id);
      differences += found.length;
      console.log(`${id}: ${found.length ? `${found.length} differences` : "tallies match"}`);
      for (const d of found.slice(0, 20)) {
        console.log(
          `  ${d.table} ${d.communityId} ${d.key}: tallied ${d.tallied}, counted ${d.counted}`,
        );
      }
    }
    if (differences) console.log("Run `npm run tallies -- recount` to rebuild them.");
    return differences ? 1 : 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error("tallies failed:", err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
