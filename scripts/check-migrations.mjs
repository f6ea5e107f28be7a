// Fails when the drizzle schema and the committed migrations disagree:
// generating into a scratch copy must produce no new migration file.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
// drizzle-kit wants paths relative to the working directory.
const scratchRel = "node_modules/.cache/kaveret-migration-check";
const scratch = join(root, scratchRel);
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
try {
  cpSync(join(root, "packages/db/migrations"), join(scratch, "migrations"), { recursive: true });
  const config = join(scratch, "drizzle.config.mjs");
  writeFileSync(
    config,
    `export default { dialect: "postgresql", schema: "./packages/db/src/schema.ts", out: "./${scratchRel}/migrations", migrations: { prefix: "timestamp" } };\n`,
  );
  const count = () =>
    readdirSync(join(scratch, "migrations")).filter((f) => f.endsWith(".sql")).length;
  const before = count();
  const run = spawnSync(
    join(root, "node_modules/.bin/drizzle-kit"),
    ["generate", "--config", config],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.status !== 0 || /error/i.test(output)) {
    console.error(`drizzle-kit generate failed:\n${output}`);
    process.exit(1);
  }
  if (count() !== before) {
    console.error(
      "packages/db/src/schema.ts has changes without a migration: run `npm run db:generate -- --name <what>` and commit the result.",
    );
    process.exit(1);
  }
  console.log("migrations match the schema");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
