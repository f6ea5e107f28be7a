// Fails when the drizzle schema and the committed migrations disagree:
// generating into a scratch copy must produce no new migration file.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "kaveret-migrations-"));
try {
  cpSync(join(root, "packages/db/migrations"), scratch, { recursive: true });
  const config = join(scratch, "drizzle.config.mjs");
  writeFileSync(
    config,
    `export default { dialect: "postgresql", schema: ${JSON.stringify(join(root, "packages/db/src/schema.ts"))}, out: ${JSON.stringify(scratch)}, migrations: { prefix: "timestamp" } };\n`,
  );
  const before = readdirSync(scratch).filter((f) => f.endsWith(".sql")).length;
  execFileSync(join(root, "node_modules/.bin/drizzle-kit"), ["generate", "--config", config], {
    cwd: root,
    stdio: "pipe",
  });
  const after = readdirSync(scratch).filter((f) => f.endsWith(".sql")).length;
  if (after !== before) {
    console.error(
      "packages/db/src/schema.ts has changes without a migration: run `npm run db:generate -- --name <what>` and commit the result.",
    );
    process.exit(1);
  }
  console.log("migrations match the schema");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
