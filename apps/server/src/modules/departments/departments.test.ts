import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  demoEmail,
  signIn,
  startTestServer,
  type TestServer,
  signInManager,
} from "../../test/harness.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ ACTOR_CACHE_MS: "60000" });
});
afterAll(async () => t.close());

describe("department settings", () => {
  it("lets a manager make TOTP mandatory for managers, audited, effective at once", async () => {
    const manager = await signInManager(t.app);
    const worker = client(t.app, await signIn(t.app, demoEmail("worker")));

    expect((await manager.get("/api/department/settings")).json().requireTwoFactorForManagers).toBe(
      false,
    );
    expect((await worker.get("/api/department/settings")).statusCode).toBe(403);
    expect(
      (await worker.patch("/api/department/settings", { requireTwoFactorForManagers: true }))
        .statusCode,
    ).toBe(403);
    expect(
      (await manager.patch("/api/department/settings", { requireTwoFactorForManagers: "yes" }))
        .statusCode,
    ).toBe(400);

    const on = await manager.patch("/api/department/settings", {
      requireTwoFactorForManagers: true,
    });
    expect(on.json().requireTwoFactorForManagers).toBe(true);
    // The manager has no second factor yet: from now on, enrol first.
    expect((await manager.get("/api/me")).json().twoFactorRequired).toBe(true);
    expect((await manager.get("/api/communities")).json().error.code).toBe("two_factor_required");
    // Not a manager: unaffected.
    expect((await worker.get("/api/communities")).statusCode).toBe(200);

    const rows = await t.database.query<{ action: string; details: { after: boolean } }>(
      "select action, details from audit_events where action = 'department.settings_update'",
    );
    expect(rows).toEqual([
      { action: "department.settings_update", details: { before: false, after: true } },
    ]);
  });
});
