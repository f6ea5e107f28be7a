/* `npm run seed`: migrate and seed the demo department into an empty database (same settings as npm start). */
import { loadConfig } from "./config/env.ts";
import { openConfiguredDatabase, seedDemoIfEmpty } from "./server.ts";

const config = loadConfig();
const database = await openConfiguredDatabase(config);
try {
  const logins = await seedDemoIfEmpty(database, config);
  console.log(
    logins
      ? `Seeded the demo department with ${logins.length} accounts.`
      : "The database already has departments; nothing seeded.",
  );
} finally {
  await database.close();
}
