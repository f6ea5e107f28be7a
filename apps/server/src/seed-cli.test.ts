import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");

/** `npm run seed` as a person runs it, into a throwaway in-memory database. */
async function seed(args: string[]) {
  const env: Record<string, string> = {
    ...process.env,
    DATA_DIR: "memory://",
    SEED_DEMO_RESIDENTS: "50",
    NODE_ENV: "development",
  } as Record<string, string>;
  delete env.DATABASE_URL;
  return run(process.execPath, ["--import", "tsx", "apps/server/src/seed-cli.ts", ...args], {
    cwd: root,
    env,
    timeout: 300_000,
  });
}

describe("npm run seed", () => {
  it(
    "seeds the demo and generates a department of 2,000 residents into a memory database",
    { timeout: 320_000 },
    async () => {
      const { stdout } = await seed(["--residents", "2000", "--department-name", "מחלקת בדיקה"]);
      expect(stdout).toContain("Seeded the demo department");
      expect(stdout).toMatch(/Done: "מחלקת בדיקה"/);
      const rows = /residents ([\d,]+), memberships/.exec(stdout);
      expect(Number(rows?.[1]?.replace(/,/g, ""))).toBeGreaterThanOrEqual(2000);
      expect(stdout).toMatch(/residents\/s/);
    },
  );

  it("refuses a bad count with a usage line", { timeout: 120_000 }, async () => {
    const failed = await seed(["--residents", "lots"]).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(64);
    expect(failed?.stderr).toMatch(/--residents must be a whole number/);
    expect(failed?.stderr).toMatch(/usage: npm run seed/);
  });
});
