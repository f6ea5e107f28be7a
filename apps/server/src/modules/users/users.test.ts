import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import {
  client,
  demoEmail,
  schema,
  signIn,
  startTestServer,
  type TestServer,
  signInManager,
} from "../../test/harness.ts";

let t: TestServer;
let manager: ReturnType<typeof client>;
let shalomId: string;

beforeAll(async () => {
  t = await startTestServer();
  manager = await signInManager(t.app);
  const list = (
    await manager.get(`/api/communities?q=${encodeURIComponent("נווה שלום")}`)
  ).json() as { items: { id: string }[] };
  shalomId = list.items[0]!.id;
});
afterAll(async () => t.close());

async function invitationLink(email: string) {
  const [m] = await t.database.db
    .select()
    .from(schema.devOutbox)
    .where(eq(schema.devOutbox.to, email))
    .orderBy(desc(schema.devOutbox.id))
    .limit(1);
  return /\/invite\/([\w-]+)/.exec(m!.body)![1]!;
}

describe("team management", () => {
  it("invites a community worker who accepts, signs in and sees only the assigned community", async () => {
    const email = "new.worker@example.org";
    const inv = await manager.post("/api/invitations", {
      email,
      name: "נור חלבי",
      role: "community_worker",
      communityIds: [shalomId],
    });
    expect(inv.statusCode).toBe(201);
    expect(inv.json().status).toBe("pending");
    const token = await invitationLink(email);
    const preview = await t.app.inject({
      method: "GET",
      url: `/api/invitations/preview?token=${token}`,
    });
    expect(preview.json()).toMatchObject({ email, role: "community_worker" });
    const short = await t.app.inject({
      method: "POST",
      url: "/api/invitations/accept",
      payload: { token, name: "נור חלבי", password: "short" },
    });
    expect(short.statusCode).toBe(400);
    const accept = await t.app.inject({
      method: "POST",
      url: "/api/invitations/accept",
      payload: { token, name: "נור חלבי", password: "a long and memorable passphrase" },
    });
    expect(accept.statusCode).toBe(201);
    const again = await t.app.inject({
      method: "POST",
      url: "/api/invitations/accept",
      payload: { token, name: "נור חלבי", password: "a long and memorable passphrase" },
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe("invitation.invalid");

    const worker = client(t.app, await signIn(t.app, email, "a long and memorable passphrase"));
    const seen = (await worker.get("/api/communities?pageSize=100")).json() as {
      items: { name: string }[];
    };
    expect(seen.items.map((c) => c.name).sort()).toEqual(
      ["ישעיהו 12", "מתחם רחובות הנביאים", "נווה שלום"].sort(),
    );
    const users = (await manager.get(`/api/users?q=${encodeURIComponent("נור")}`)).json() as {
      items: { email: string; roles: string[]; communityIds: string[] }[];
    };
    expect(users.items).toEqual([
      expect.objectContaining({ email, roles: ["community_worker"], communityIds: [shalomId] }),
    ]);
  });

  it("lists staff only, not residents with accounts", async () => {
    const all = (await manager.get("/api/users?pageSize=100&status=all")).json() as {
      items: { roles: string[] }[];
    };
    expect(all.items.length).toBeGreaterThan(5);
    expect(all.items.some((u) => u.roles.includes("resident"))).toBe(false);
  });

  it("refuses invitations from non-managers and for unknown communities", async () => {
    const worker = client(t.app, await signIn(t.app, demoEmail("worker")));
    expect(
      (
        await worker.post("/api/invitations", {
          email: "a@example.org",
          name: "אא",
          role: "volunteer",
        })
      ).statusCode,
    ).toBe(403);
    expect((await worker.get("/api/users")).statusCode).toBe(403);
    const bad = await manager.post("/api/invitations", {
      email: "b@example.org",
      name: "בב",
      role: "volunteer",
      communityIds: ["00000000-0000-4000-8000-000000000000"],
    });
    expect(bad.statusCode).toBe(400);
  });

  it("revokes a pending invitation so its link stops working", async () => {
    const email = "revoked@example.org";
    const inv = (
      await manager.post("/api/invitations", { email, name: "רבקה", role: "volunteer" })
    ).json() as { id: string };
    const token = await invitationLink(email);
    expect((await manager.post(`/api/invitations/${inv.id}/revoke`)).json().status).toBe("revoked");
    expect(
      (await t.app.inject({ method: "GET", url: `/api/invitations/preview?token=${token}` }))
        .statusCode,
    ).toBe(404);
  });

  it("changes roles, deactivates (signing the person out) and keeps one manager", async () => {
    const cookie = await signIn(t.app, demoEmail("volunteer"));
    const volunteer = client(t.app, cookie);
    expect((await volunteer.get("/api/me")).statusCode).toBe(200);
    const list = (await manager.get(`/api/users?role=volunteer`)).json() as {
      items: { id: string; email: string }[];
    };
    const target = list.items.find((u) => u.email === demoEmail("volunteer"))!;
    const roles = await manager.put(`/api/users/${target.id}/roles`, {
      roles: ["volunteer", "activist"],
      communityIds: [],
    });
    expect(roles.json().roles).toEqual(["activist", "volunteer"]);
    const off = await manager.post(`/api/users/${target.id}/deactivate`);
    expect(off.json().active).toBe(false);
    expect((await volunteer.get("/api/me")).statusCode).toBe(401);
    const refused = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/email",
      payload: { email: demoEmail("volunteer"), password: t.config.demoPassword },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("account_inactive");
    expect((await manager.post(`/api/users/${target.id}/reactivate`)).json().active).toBe(true);

    const me = (await manager.get("/api/me")).json() as { user: { id: string } };
    const self = await manager.post(`/api/users/${me.user.id}/deactivate`);
    expect(self.statusCode).toBe(403);
    const demote = await manager.put(`/api/users/${me.user.id}/roles`, {
      roles: ["community_worker"],
      communityIds: [],
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe("user.last_manager");
  });
});

describe("audit trail", () => {
  it("records changes with who and when, filters them, and cannot be altered", async () => {
    const page = (await manager.get("/api/audit?action=invitation.create&pageSize=5")).json() as {
      items: { action: string; actorName: string }[];
      total: number;
    };
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(
      page.items.every((e) => e.action === "invitation.create" && e.actorName === "מיכל לוי"),
    ).toBe(true);
    await expect(t.database.query("update audit_events set action = 'x'")).rejects.toThrow(
      /append-only/,
    );
    await expect(t.database.query("delete from audit_events")).rejects.toThrow(/append-only/);
    const after = (await manager.get("/api/audit?action=invitation.create&pageSize=5")).json() as {
      total: number;
    };
    expect(after.total).toBe(page.total);
  });

  it("records reads of personal fields: which fields, whose, by whom — never the values", async () => {
    const before = (await manager.get("/api/audit?action=user.read")).json() as { total: number };
    const list = (await manager.get("/api/users?pageSize=3")).json() as {
      items: { id: string; email: string }[];
    };
    const after = (await manager.get("/api/audit?action=user.read&pageSize=1")).json() as {
      total: number;
      items: { fields: string[]; details: { ids?: string[] } }[];
    };
    expect(after.total).toBe(before.total + 1);
    expect(after.items[0]!.fields).toEqual(["email"]);
    expect(after.items[0]!.details.ids).toEqual(list.items.map((u) => u.id));
    expect(JSON.stringify(after.items[0])).not.toContain(list.items[0]!.email);
  });

  it("is for managers only", async () => {
    const worker = client(t.app, await signIn(t.app, demoEmail("worker")));
    expect((await worker.get("/api/audit")).statusCode).toBe(403);
  });
});
