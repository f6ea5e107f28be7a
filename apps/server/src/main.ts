import { loadConfigForCli } from "./config/for-cli.ts";
import { createServer } from "./server.ts";
import { demoPeople, demoResident } from "@kaveret/db";

/* The command-line entry point: prints to the terminal on purpose. */

async function main() {
  const config = loadConfigForCli();
  if (!config) process.exit(78);

  const { app, demoLogins } = await createServer(config);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      console.error("Shutdown took too long; exiting.");
      process.exit(1);
    }, 10_000);
    timer.unref();
    try {
      await app.close();
      process.exit(0);
    } catch {
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const url = config.PUBLIC_URL ?? `http://localhost:${port}`;

  const db =
    config.database.kind === "pglite"
      ? `embedded PGlite in ${config.database.dataDir}`
      : "PostgreSQL (DATABASE_URL)";
  console.log(`\nKaveret is running at ${url}  (database: ${db})`);
  console.log(`API docs: ${url}/docs`);
  if (config.NODE_ENV !== "production")
    console.log(`Messages sent (one-time codes, invitations): ${url}/dev/outbox`);
  if (config.SEED_DEMO) {
    if (demoLogins) console.log("\nThe demo department was created (the database was empty).");
    console.log("\nDemo logins:");
    for (const p of demoPeople) console.log(`  ${p.role.padEnd(17)} ${p.email}`);
    console.log(
      `  ${"resident".padEnd(17)} ${demoResident.email} or ${demoResident.phoneNumber} (one-time code)`,
    );
    console.log(
      config.demoPasswordDefaulted
        ? `Password for staff logins: ${config.demoPassword}  (default; set DEMO_PASSWORD to change it on a new database)`
        : "Password for staff logins: the value of DEMO_PASSWORD",
    );
  }
  console.log("\nPress Ctrl-C to stop.");
}

main().catch((err: unknown) => {
  console.error("Kaveret could not start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
