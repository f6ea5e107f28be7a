import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadConfig } from "./config/env.ts";
import { createServer } from "./server.ts";

/*
 * Writes the OpenAPI document of the API to docs/openapi.json, or with
 * --check fails when the committed file differs from what the code produces.
 * Builds the app exactly as the tests do, on an in-memory embedded database.
 */

const root = resolve(import.meta.dirname, "../../..");
const target = resolve(root, "docs/openapi.json");
const check = process.argv.includes("--check");

async function main(): Promise<number> {
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: "memory://",
    SERVE_WEB: "false",
    SEED_DEMO: "false",
    LOG_LEVEL: "silent",
  });
  const { app } = await createServer(config, { logger: false });
  let text: string;
  try {
    await app.ready();
    text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }

  if (!check) {
    writeFileSync(target, text);
    console.log(`wrote docs/openapi.json (${text.length} bytes)`);
    return 0;
  }
  let committed: string | null = null;
  try {
    committed = readFileSync(target, "utf8");
  } catch {
    committed = null;
  }
  if (committed !== text) {
    console.error(
      committed === null
        ? "docs/openapi.json is missing: run npm run openapi"
        : "docs/openapi.json is out of date: run npm run openapi",
    );
    return 1;
  }
  console.log("docs/openapi.json is up to date");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(
      "openapi: could not build the API document:",
      err instanceof Error ? err.stack : err,
    );
    process.exit(1);
  },
);
