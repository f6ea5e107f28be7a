import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  demoEmail,
  signIn,
  startTestServer,
  type TestServer,
  signInManager,
} from "../test/harness.ts";

/** With a long actor cache, changes made through the app still apply at once. */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ ACTOR_CACHE_MS: "60000" });
});
afterAll(async () => t.close());

describe("actor cache", () => {
  it("forgets a person's roles the moment a manager changes or deactivates them", async () => {
    const manager = await signInManager(t.app);
    const social = client(t.app, await signIn(t.app, demoEmail("social")));
    expect((await social.get("/api/communities")).statusCode).toBe(200); // now cached

    const list = (await manager.get("/api/users?role=social_worker")).json() as {
      items: { id: string }[];
    };
    const id = list.items[0]!.id;
    await manager.put(`/api/users/${id}/roles`, { roles: ["volunteer"], communityIds: [] });
    expect((await social.get("/api/communities")).statusCode).toBe(403);

    await manager.post(`/api/users/${id}/deactivate`);
    expect((await social.get("/api/me")).statusCode).toBe(401);
  });

  it("forgets a session at sign-out", async () => {
    const cookie = await signIn(t.app, demoEmail("trainer"));
    const trainer = client(t.app, cookie);
    expect((await trainer.get("/api/me")).statusCode).toBe(200);
    expect((await trainer.post("/api/auth/sign-out", {})).statusCode).toBe(200);
    expect((await trainer.get("/api/me")).statusCode).toBe(401);
  });
});
