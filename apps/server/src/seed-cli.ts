/*
 * `npm run seed`: migrate and seed the demo department into an empty database (same settings as npm start).
 * `npm run seed -- --residents 1000000 [--department-name "…"] [--town-size 100000] [--batch 5000]`:
 *   also add a large synthetic department for benchmarks (see packages/db/src/generate-department.ts).
 * A command-line tool: it prints to the terminal on purpose.
 */
import { parseArgs } from "node:util";
import { createFieldCipher, generateDepartment } from "@kaveret/db";
import { loadConfigForCli } from "./config/for-cli.ts";
import { openConfiguredDatabase, seedDemoIfEmpty } from "./server.ts";

const usage = `usage: npm run seed [-- --residents N [--department-name NAME] [--town-size N] [--neighbourhoods N] [--batch N] [--seed TEXT]]`;

function positiveInt(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required`);
    return fallback;
  }
  const n = Number(value.replace(/[_,]/g, ""));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return n;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        residents: { type: "string" },
        "department-name": { type: "string" },
        "town-size": { type: "string" },
        neighbourhoods: { type: "string" },
        batch: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 64;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const config = loadConfigForCli();
  if (!config) return 78;
  let scale: { residents: number; townSize: number; neighbourhoods: number; batch: number } | null =
    null;
  if (args.residents !== undefined) {
    try {
      scale = {
        residents: positiveInt("residents", args.residents),
        townSize: positiveInt("town-size", args["town-size"], 100_000),
        neighbourhoods: positiveInt("neighbourhoods", args.neighbourhoods, 8),
        batch: positiveInt("batch", args.batch, 5000),
      };
    } catch (err) {
      console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
      return 64;
    }
  }

  const database = await openConfiguredDatabase(config);
  const where =
    config.database.kind === "pglite"
      ? `embedded PGlite in ${config.database.dataDir}`
      : "PostgreSQL (DATABASE_URL)";
  try {
    const started = performance.now();
    const logins = await seedDemoIfEmpty(database, config);
    console.log(
      logins
        ? `Seeded the demo department with ${logins.length} accounts (${((performance.now() - started) / 1000).toFixed(1)} s) into ${where}.`
        : `The database (${where}) already has departments; the demo was not seeded again.`,
    );
    if (!scale) return 0;
    console.log(
      `Generating ${scale.residents.toLocaleString("en-US")} residents (towns of up to ${scale.townSize.toLocaleString("en-US")}, ${scale.neighbourhoods} neighbourhoods each, ${scale.batch.toLocaleString("en-US")} per transaction) …`,
    );
    const result = await generateDepartment(database, createFieldCipher(config.fieldKeys), {
      residents: scale.residents,
      townSize: scale.townSize,
      neighbourhoodsPerTown: scale.neighbourhoods,
      batchSize: scale.batch,
      ...(args["department-name"] ? { departmentName: args["department-name"] } : {}),
      ...(args.seed ? { seed: args.seed } : {}),
      onProgress: (message) => console.log(`  ${message}`),
    });
    const r = result.rows;
    console.log(
      [
        `Done: "${result.departmentName}" (${result.departmentId})`,
        `  towns: ${result.towns.map((t) => `${t.name} (${t.residents.toLocaleString("en-US")})`).join(", ")}`,
        `  rows: ${Object.entries(r)
          .map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`)
          .join(", ")}`,
        `  time: setup ${result.seconds.setup.toFixed(1)} s, residents ${result.seconds.residents.toFixed(1)} s (${Math.round((r.residents ?? 0) / result.seconds.residents).toLocaleString("en-US")} residents/s), tallies ${result.seconds.tallies.toFixed(1)} s, vacuum analyze ${result.seconds.analyze.toFixed(1)} s, total ${result.seconds.total.toFixed(1)} s`,
      ].join("\n"),
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error("seed failed:", err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
