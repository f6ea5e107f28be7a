/* `npm run seed`: migrate and seed the demo department into an empty database (same settings as npm start). */
import { hashPassword } from "better-auth/crypto";
import { isDatabaseEmpty, migrateDatabase, openDatabase, seedDemo } from "@kaveret/db";
import { loadConfig } from "./config/env.ts";

const config = loadConfig();
const database = await openDatabase(
  config.database.kind === "pglite"
    ? { kind: "pglite", dataDir: config.database.dataDir }
    : { kind: "postgres", url: config.database.url },
);
try {
  await migrateDatabase(database);
  if (!(await isDatabaseEmpty(database.db))) {
    console.log("The database already has departments; nothing seeded.");
  } else {
    const logins = await seedDemo(database.db, {
      passwordHash: await hashPassword(config.demoPassword),
    });
    console.log(`Seeded the demo department with ${logins.length} accounts.`);
  }
} finally {
  await database.close();
}
