import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import {
  client,
  demoEmail,
  demoResident,
  DEMO_PASSWORD,
  schema,
  signIn,
  startTestServer,
  type TestServer,
  cookieFrom,
} from "../test/harness.ts";
import { secretFromUri, totp } from "../test/totp.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ LOCKOUT_THRESHOLD: "3", LOCKOUT_MINUTES: "15" });
});
afterAll(async () => t.close());

async function lastMessageTo(to: string) {
  const [row] = await t.database.db
    .select()
    .from(schema.devOutbox)
    .where(eq(schema.devOutbox.to, to))
    .orderBy(desc(schema.devOutbox.id))
    .limit(1);
  return row;
}

describe("staff sign-in", () => {
  it("accepts the right password and refuses a wrong one with our error shape", async () => {
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/email",
      payload: { email: demoEmail("social"), password: DEMO_PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
    const me = await t.app.inject({
      method: "GET",
      url: "/api/me",
      headers: { cookie: cookieFrom(ok) },
    });
    expect(me.json().user.email).toBe(demoEmail("social"));
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/email",
      payload: { email: demoEmail("social"), password: "wrong password here" },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe("unauthenticated");
  });

  it("locks the account after repeated failures, even for the right password, and audits it", async () => {
    const email = demoEmail("trainer");
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({
        method: "POST",
        url: "/api/auth/sign-in/email",
        payload: { email, password: `guess number ${i}` },
      });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/email",
      payload: { email, password: DEMO_PASSWORD },
    });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe("account_locked");
    const audit = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, "auth.locked"));
    expect(audit).toHaveLength(1);
  });

  it("allows long passphrases and refuses public sign-up", async () => {
    const signUp = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-up/email",
      payload: { email: "x@example.org", password: "a".repeat(40), name: "X" },
    });
    expect(signUp.statusCode).toBe(403);
  });

  it("signs nobody in through a staff e-mail's one-time code", async () => {
    const email = demoEmail("worker");
    const before = await lastMessageTo(email);
    const r = await t.app.inject({
      method: "POST",
      url: "/api/auth/email-otp/send-verification-otp",
      payload: { email, type: "sign-in" },
    });
    expect(r.statusCode).toBe(200);
    expect(await lastMessageTo(email)).toEqual(before);
  });
});

describe("resident sign-in with a one-time code", () => {
  it("by e-mail: the code arrives through the local transport and signs the resident in", async () => {
    const send = await t.app.inject({
      method: "POST",
      url: "/api/auth/email-otp/send-verification-otp",
      payload: { email: demoResident.email, type: "sign-in" },
    });
    expect(send.statusCode).toBe(200);
    const message = await lastMessageTo(demoResident.email);
    const otp = /(\d{6})/.exec(message!.body)![1]!;
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/email-otp",
      payload: { email: demoResident.email, otp: otp === "000000" ? "111111" : "000000" },
    });
    expect(wrong.statusCode).toBeGreaterThanOrEqual(400);
    expect(wrong.statusCode).toBeLessThan(500);
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/email-otp",
      payload: { email: demoResident.email, otp },
    });
    expect(res.statusCode).toBe(200);
    const me = (
      await t.app.inject({ method: "GET", url: "/api/me", headers: { cookie: cookieFrom(res) } })
    ).json();
    expect(me.user.kind).toBe("resident");
    expect(me.scopes[0].roles).toEqual(["resident"]);
  });

  it("by SMS: the code goes to the phone number", async () => {
    const phone = demoResident.phoneNumber;
    const send = await t.app.inject({
      method: "POST",
      url: "/api/auth/phone-number/send-otp",
      payload: { phoneNumber: phone },
    });
    expect(send.statusCode).toBe(200);
    const message = await lastMessageTo(phone);
    expect(message?.channel).toBe("sms");
    const code = /(\d{6})/.exec(message!.body)![1]!;
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/phone-number/verify",
      payload: { phoneNumber: phone, code },
    });
    expect(res.statusCode).toBe(200);
    const me = (
      await t.app.inject({ method: "GET", url: "/api/me", headers: { cookie: cookieFrom(res) } })
    ).json();
    expect(me.user.email).toBe(demoResident.email);
  });

  it("refuses a malformed phone number without sending anything", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/phone-number/send-otp",
      payload: { phoneNumber: "not a phone" },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe("TOTP second factor", () => {
  it("is mandatory for managers when the department says so, and works once enrolled", async () => {
    const cookie = await signIn(t.app, demoEmail("manager"));
    const manager = client(t.app, cookie);
    const me = (await manager.get("/api/me")).json() as {
      activeScopeId: string;
      scopes: { departmentId: string }[];
    };
    // Every department of this manager requires TOTP.
    for (const s of me.scopes) {
      await t.database.db
        .update(schema.departments)
        .set({ settings: { requireTwoFactorForManagers: true } })
        .where(eq(schema.departments.id, s.departmentId));
    }
    const pending = (await manager.get("/api/me")).json();
    expect(pending.twoFactorRequired).toBe(true);
    const blocked = await manager.get("/api/communities");
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe("two_factor_required");

    const enable = await manager.post("/api/auth/two-factor/enable", { password: DEMO_PASSWORD });
    expect(enable.statusCode).toBe(200);
    const secret = secretFromUri(enable.json().totpURI as string);
    const verify = await manager.post("/api/auth/two-factor/verify-totp", { code: totp(secret) });
    expect(verify.statusCode).toBe(200);
    const fresh = client(t.app, cookieFrom(verify) || cookie);
    expect((await fresh.get("/api/me")).json().twoFactorRequired).toBe(false);
    expect((await fresh.get("/api/communities")).statusCode).toBe(200);

    // Signing in again now asks for the code.
    const first = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/email",
      payload: { email: demoEmail("manager"), password: DEMO_PASSWORD },
    });
    expect(first.json().twoFactorRedirect).toBe(true);
    const second = await t.app.inject({
      method: "POST",
      url: "/api/auth/two-factor/verify-totp",
      headers: { cookie: cookieFrom(first) },
      payload: { code: totp(secret) },
    });
    expect(second.statusCode).toBe(200);
    expect((await client(t.app, cookieFrom(second)).get("/api/communities")).statusCode).toBe(200);
  });
});

describe("configuration", () => {
  it("unknown routes get the JSON 404 and malformed JSON a 400", async () => {
    const nf = await t.app.inject({ method: "GET", url: "/api/nope" });
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error.code).toBe("route_not_found");
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/communities",
      headers: { "content-type": "application/json" },
      payload: "{oops",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("malformed_json");
    expect(bad.json().error.requestId).toBeTruthy();
    const big = await t.app.inject({
      method: "POST",
      url: "/api/communities",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ name: "x".repeat(3 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe("payload_too_large");
  });
});
