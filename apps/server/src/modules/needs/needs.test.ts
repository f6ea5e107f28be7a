import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import type { Need, NeedList, PublicMap } from "@kaveret/contracts";
import { schema, signInManager, startTestServer, type TestServer } from "../../test/harness.ts";
import { buildWorld, POINTS, type World } from "../residents/residents.fixtures.ts";
import { sanitizeImage } from "./image-sanitize.ts";
import { jpegWithExif } from "../../test/images.ts";
import { onNeedChange, type NeedChange } from "./needs.live.ts";
import { forgetModel, suggestFor } from "./needs.suggest.ts";
import { saveModel } from "./needs.repository.ts";
import { trainClassifier } from "../../classifier/classifier.ts";
import { createEventBus } from "../../events/bus.ts";

let t: TestServer;
let w: World;

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;

async function staffNeed(
  api: World["api"]["manager"],
  body: Record<string, unknown>,
): Promise<Need> {
  const res = await api.post("/api/needs", { channel: "phone", ...body });
  if (res.statusCode !== 201) throw new Error(`create need: ${res.statusCode} ${res.body}`);
  return json<Need>(res);
}

function publicReport(departmentId: string, body: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: "POST",
    url: `/api/public/departments/${departmentId}/needs`,
    payload: body as object,
    headers: { "x-forwarded-for": "10.0.0.1", ...headers },
  });
}

function multipart(
  parts: { name: string; value: string | Buffer; filename?: string; type?: string }[],
) {
  const boundary = "----kaveret" + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.filename
      ? `form-data; name="${p.name}"; filename="${p.filename}"`
      : `form-data; name="${p.name}"`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`,
      ),
    );
    chunks.push(typeof p.value === "string" ? Buffer.from(p.value) : p.value);
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

beforeAll(async () => {
  // More public reports than the default per-IP limit of a minute (inject is one IP).
  t = await startTestServer({ PUBLIC_REPORTS_PER_MINUTE: "100" });
  w = await buildWorld(t);
});
afterAll(async () => {
  await t?.close();
});

describe("needs: staff entry, scope and the queue", () => {
  it("enters a need heard by phone, finds its community from the point, and lists it", async () => {
    const need = await staffNeed(w.api.manager, {
      description: "קשישה בודדה ברחוב הזית צריכה עזרה בקניות",
      category: "food",
      urgency: "high",
      location: POINTS.building,
      contactName: "שכנה",
      contactPhone: "050-1234567",
      contactConsent: true,
    });
    expect(need.reference).toMatch(/^#\d+$/);
    expect(need.community?.id).toBe(w.buildingId);
    expect(need.status).toBe("new");
    expect(need.contact?.phone).toBe("+972501234567");
    expect(need.events.map((e) => e.kind)).toEqual(["created"]);
    const list = json<NeedList>(await w.api.manager.get("/api/needs?urgency=high"));
    expect(list.items.map((i) => i.id)).toContain(need.id);
    expect(list.counts.open).toBeGreaterThanOrEqual(1);
    // Contact details are stored encrypted, never in the clear.
    const [raw] = await t.database.db
      .select({ contactEnc: schema.needs.contactEnc })
      .from(schema.needs)
      .where(eq(schema.needs.id, need.id));
    expect(raw!.contactEnc).toMatch(/^enc:v1:/);
    expect(raw!.contactEnc).not.toContain("1234567");
    // Reading the contact is audited (field names only).
    const audit = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(
        sql`${schema.auditEvents.action} = 'need.read' and ${schema.auditEvents.entityId} = ${need.id}`,
      );
    expect(audit.length).toBeGreaterThan(0);
    expect(audit[0]!.fields).toContain("contact");
  });

  it("a community worker sees needs of their communities and unplaced ones, not others", async () => {
    const inA = await staffNeed(w.api.manager, {
      description: "בור במדרכה ליד בית הספר",
      location: POINTS.a,
    });
    const inB = await staffNeed(w.api.manager, {
      description: "פנס רחוב שבור בשכונה ב",
      location: POINTS.b,
    });
    const nowhere = await staffNeed(w.api.manager, { description: "מישהו צריך עזרה במילוי טפסים" });
    const seen = json<NeedList>(await w.api.worker.get("/api/needs?pageSize=100")).items.map(
      (i) => i.id,
    );
    expect(seen).toContain(inA.id);
    expect(seen).toContain(nowhere.id);
    expect(seen).not.toContain(inB.id);
    expect((await w.api.worker.get(`/api/needs/${inB.id}`)).statusCode).toBe(404);
    // An activist, a volunteer and another department's manager see no needs at all.
    expect((await w.api.activist.get("/api/needs")).statusCode).toBe(403);
    expect((await w.api.volunteer.get(`/api/needs/${inA.id}`)).statusCode).toBe(403);
    expect((await w.api.otherManager.get(`/api/needs/${inA.id}`)).statusCode).toBe(404);
    // Assigning the need in B to the worker lets them see it.
    const res = await w.api.manager.patch(`/api/needs/${inB.id}`, {
      version: inB.version,
      assigneeId: w.users.worker,
    });
    expect(res.statusCode).toBe(200);
    expect((await w.api.worker.get(`/api/needs/${inB.id}`)).statusCode).toBe(200);
  });

  it("a social worker who enters a need takes it on, so they still see it", async () => {
    const need = await staffNeed(w.api.social, {
      description: "משפחה צריכה עזרה בתשלום חשבון חשמל",
    });
    expect(need.assignee?.id).toBe(w.users.social);
  });

  it("follows the workflow: refuses a move it does not allow, asks a reason to close, detects a stale edit", async () => {
    const need = await staffNeed(w.api.manager, { description: "ספסל שבור בגינה הציבורית" });
    const triaged = json<Need>(
      await w.api.manager.patch(`/api/needs/${need.id}`, {
        version: need.version,
        status: "triaged",
        category: "public_space",
      }),
    );
    expect(triaged.status).toBe("triaged");
    expect(triaged.events.map((e) => e.kind)).toEqual(["created", "status", "category"]);
    const noReason = await w.api.manager.patch(`/api/needs/${need.id}`, {
      version: triaged.version,
      status: "closed",
    });
    expect(noReason.statusCode).toBe(400);
    expect(json<{ error: { code: string } }>(noReason).error.code).toBe("need.reason_required");
    const resolved = json<Need>(
      await w.api.manager.patch(`/api/needs/${need.id}`, {
        version: triaged.version,
        status: "resolved",
      }),
    );
    const bad = await w.api.manager.patch(`/api/needs/${need.id}`, {
      version: resolved.version,
      status: "referred",
      reason: "x",
    });
    expect(bad.statusCode).toBe(409);
    expect(json<{ error: { code: string } }>(bad).error.code).toBe("need.invalid_transition");
    const stale = await w.api.manager.patch(`/api/needs/${need.id}`, {
      version: triaged.version,
      urgency: "low",
    });
    expect(stale.statusCode).toBe(409);
    expect(json<{ error: { code: string } }>(stale).error.code).toBe("version_conflict");
    const unknown = await w.api.manager.patch(`/api/needs/${need.id}`, {
      version: resolved.version,
      category: "nonexistent",
    });
    expect(json<{ error: { code: string } }>(unknown).error.code).toBe("need.category_unknown");
  });

  it("names people, communities and residents in the history; a resident only for those who may see them", async () => {
    const resident = json<{ id: string }>(
      await w.api.manager.post("/api/residents", {
        firstName: "נעמי",
        lastName: "ברק",
        location: POINTS.b,
      }),
    );
    const need = await staffNeed(w.api.manager, {
      description: "צריכה ליווי לקופת חולים",
      location: POINTS.a,
    });
    const before = need.community!;
    const moved = await w.api.manager.patch(`/api/needs/${need.id}`, {
      version: need.version,
      assigneeId: w.users.social,
      residentId: resident.id,
      communityId: w.bId,
    });
    expect(moved.statusCode).toBe(200);
    const byKind = (n: Need) => new Map(n.events.map((e) => [e.kind, e]));

    const asManager = json<Need>(await w.api.manager.get(`/api/needs/${need.id}`));
    expect(asManager.resident).toEqual({ id: resident.id, name: "נעמי ברק" });
    const manager = byKind(asManager);
    expect(manager.get("assigned")).toMatchObject({
      to: w.users.social,
      toName: expect.stringMatching(/^social /),
    });
    expect(manager.get("community")).toMatchObject({
      fromName: before.name,
      toName: json<Need>(moved).community!.name,
    });
    expect(manager.get("resident")).toMatchObject({ fromName: null, toName: "נעמי ברק" });
    expect(manager.get("created")).toMatchObject({ to: "phone", toName: null });

    // The social worker holds the need (assigned) but not the resident (not in their caseload).
    const asSocial = json<Need>(await w.api.social.get(`/api/needs/${need.id}`));
    expect(asSocial.resident).toEqual({ id: resident.id, name: null });
    const social = byKind(asSocial);
    expect(social.get("assigned")?.toName).toMatch(/^social /);
    expect(social.get("resident")).toMatchObject({ to: resident.id, toName: null });
    expect(JSON.stringify(asSocial)).not.toContain("נעמי");
  });

  it("bulk: applies to each need it may, reports the others", async () => {
    const a = await staffNeed(w.api.manager, { description: "ניקיון חדר מדרגות בבניין" });
    const b = await staffNeed(w.api.manager, { description: "פסולת גזם ברחוב" });
    const res = await w.api.manager.post("/api/needs/bulk", {
      ids: [a.id, b.id, crypto.randomUUID()],
      urgency: "high",
    });
    const result = json<{ updated: string[]; failed: { code: string }[] }>(res);
    expect(result.updated.sort()).toEqual([a.id, b.id].sort());
    expect(result.failed.map((f) => f.code)).toEqual(["not_found"]);
  });

  it("finds a likely duplicate (similar words, nearby) and merges it with its history and photos", async () => {
    const first = await staffNeed(w.api.manager, {
      description: "נזילת מים גדולה מהצנרת בחדר המדרגות של הבניין",
      location: POINTS.building,
    });
    const second = await staffNeed(w.api.manager, {
      description: "נזילת מים מהצנרת בחדר המדרגות",
      location: POINTS.building,
    });
    await t.app.inject({
      method: "POST",
      url: `/api/needs/${second.id}/attachments`,
      headers: {
        cookie: w.cookies.manager!,
        "x-kaveret-scope": `department:${w.departmentId}`,
        "content-type": "image/jpeg",
      },
      payload: jpegWithExif(),
    });
    const seen = json<Need>(await w.api.manager.get(`/api/needs/${first.id}`));
    expect(seen.similar.map((s) => s.id)).toContain(second.id);
    expect(seen.similar.find((s) => s.id === second.id)!.distanceMeters).toBe(0);
    const merged = json<Need>(
      await w.api.manager.post("/api/needs/merge", {
        survivorId: first.id,
        duplicateId: second.id,
      }),
    );
    expect(merged.attachments).toHaveLength(1);
    expect(merged.events.map((e) => e.kind)).toContain("merged_from");
    const gone = json<Need>(await w.api.manager.get(`/api/needs/${second.id}`));
    expect(gone.mergedInto?.id).toBe(first.id);
    expect(gone.status).toBe("closed");
    expect(gone.permissions.edit).toBe(false);
    const again = await w.api.manager.post("/api/needs/merge", {
      survivorId: first.id,
      duplicateId: second.id,
    });
    expect(json<{ error: { code: string } }>(again).error.code).toBe("need.merged");
  });

  it("attachments: metadata stripped, wrong type refused, nothing half-saved", async () => {
    const need = await staffNeed(w.api.manager, { description: "גרפיטי על קיר המקלט" });
    const headers = (type: string) => ({
      cookie: w.cookies.manager!,
      "x-kaveret-scope": `department:${w.departmentId}`,
      "content-type": type,
    });
    const ok = await t.app.inject({
      method: "POST",
      url: `/api/needs/${need.id}/attachments`,
      headers: headers("image/jpeg"),
      payload: jpegWithExif(),
    });
    expect(ok.statusCode).toBe(200);
    const photo = json<Need>(ok).attachments[0]!;
    expect([photo.width, photo.height]).toEqual([640, 480]);
    const file = await t.app.inject({
      method: "GET",
      url: `/api/needs/${need.id}/attachments/${photo.id}`,
      headers: headers("application/json"),
    });
    expect(file.headers["content-type"]).toBe("image/jpeg");
    expect(file.rawPayload.includes(Buffer.from("GPSLatitude"))).toBe(false);
    expect(file.rawPayload.includes(Buffer.from("comment with a name"))).toBe(false);
    const fake = await t.app.inject({
      method: "POST",
      url: `/api/needs/${need.id}/attachments`,
      headers: headers("image/png"),
      payload: Buffer.from("not an image at all"),
    });
    expect(fake.statusCode).toBe(415);
    expect(json<{ error: { code: string } }>(fake).error.code).toBe("need.attachment_type");
    expect(json<Need>(await w.api.manager.get(`/api/needs/${need.id}`)).attachments).toHaveLength(
      1,
    );
  });

  it("categories: defaults, a new one, a duplicate code refused, deactivation; managers only", async () => {
    const list = json<{ items: { code: string }[] }>(
      await w.api.manager.get("/api/need-categories"),
    );
    expect(list.items.map((c) => c.code)).toContain("food");
    const created = await w.api.manager.post("/api/need-categories", {
      code: "pets",
      labels: { he: "בעלי חיים", ar: "حيوانات", en: "Pets" },
    });
    expect(created.statusCode).toBe(201);
    const dup = await w.api.manager.post("/api/need-categories", {
      code: "pets",
      labels: { he: "x" },
    });
    expect(json<{ error: { code: string } }>(dup).error.code).toBe("need.category_exists");
    expect(
      (await w.api.worker.post("/api/need-categories", { code: "zzz", labels: { he: "x" } }))
        .statusCode,
    ).toBe(403);
    await w.api.manager.patch("/api/need-categories/pets", { active: false });
    const refused = await w.api.manager.post("/api/needs", {
      channel: "phone",
      description: "כלב משוטט",
      category: "pets",
    });
    expect(json<{ error: { code: string } }>(refused).error.code).toBe("need.category_unknown");
  });

  it("live: a new need reaches an open stream of a reader who may see it", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const received: string[] = [];
    const req = httpRequest({
      host: "127.0.0.1",
      port,
      path: "/api/needs/stream",
      headers: { cookie: w.cookies.worker!, "x-kaveret-scope": `department:${w.departmentId}` },
    });
    const opened = new Promise<void>((resolve, reject) => {
      req.on("response", (res) => {
        expect(res.headers["content-type"]).toContain("text/event-stream");
        res.on("data", (chunk: Buffer) => received.push(chunk.toString()));
        resolve();
      });
      req.on("error", reject);
    });
    req.end();
    await opened;
    const seen = await staffNeed(w.api.manager, {
      description: "צריך ליווי לקופת חולים",
      location: POINTS.a,
    });
    const hidden = await staffNeed(w.api.manager, {
      description: "מזגן תקול במועדון",
      location: POINTS.b,
    });
    await new Promise((r) => setTimeout(r, 200));
    req.destroy();
    const text = received.join("");
    expect(text).toContain(seen.id);
    expect(text).not.toContain(hidden.id);
    expect(text).not.toContain("ליווי");
  });
});

describe("needs: the classifier model cache", () => {
  it("drops a department's cached model when any instance says it was retrained", async () => {
    const text = "פנס רחוב שבור ליד הבית";
    const suggest = () => suggestFor(t.database.db, t.config, w.otherDepartmentId, text);
    expect((await suggest()).source).toBe("none"); // no model yet: cached as none
    const examples = Array.from({ length: 30 }, (_, i) =>
      i % 2
        ? { text: `פנס רחוב שבור ברחוב ${i}`, category: "infrastructure" }
        : { text: `ערימת אשפה ליד הגן ${i}`, category: "cleanliness" },
    );
    // Another instance retrained it: the row changed behind this instance's cache.
    await saveModel(t.database.db, {
      departmentId: w.otherDepartmentId,
      model: trainClassifier(examples) as unknown as Record<string, unknown>,
      evaluation: {},
      examples: examples.length,
    });
    expect((await suggest()).source).toBe("none");
    const other = createEventBus(t.database);
    try {
      await other.publish("need_models", { departmentId: w.otherDepartmentId });
      let source: unknown = "none";
      for (let i = 0; i < 40 && source === "none"; i++) {
        await new Promise((r) => setTimeout(r, 50));
        source = (await suggest()).source;
      }
      expect(source).toBe("model");
      expect((await suggest()).category).toBe("infrastructure");
    } finally {
      await other.close();
      await t.database.db
        .delete(schema.needModels)
        .where(eq(schema.needModels.departmentId, w.otherDepartmentId));
      forgetModel(w.otherDepartmentId);
    }
  });
});

describe("needs: public intake (no account)", () => {
  it("takes a report with a photo (metadata stripped), a point and consented contact, all in one go", async () => {
    const cats = await t.app.inject({
      method: "GET",
      url: `/api/public/departments/${w.departmentId}/need-categories`,
    });
    expect(cats.statusCode).toBe(200);
    const form = multipart([
      {
        name: "report",
        value: JSON.stringify({
          category: "cleanliness",
          description: "ערימת אשפה ליד הגן כבר שבוע",
          location: POINTS.a,
          language: "he",
          contactName: "דנה",
          contactPhone: "0521112233",
          contactConsent: true,
          startedAt: Date.now() - 60_000,
        }),
      },
      { name: "photos", value: jpegWithExif(), filename: "IMG_0001.jpg", type: "image/jpeg" },
    ]);
    const res = await t.app.inject({
      method: "POST",
      url: `/api/public/departments/${w.departmentId}/needs?via=widget`,
      payload: form.payload,
      headers: { "content-type": form.contentType },
    });
    expect(res.statusCode, res.body).toBe(201);
    const receipt = json<{ reference: string }>(res);
    const list = json<NeedList>(
      await w.api.manager.get(`/api/needs?q=${encodeURIComponent(receipt.reference)}`),
    );
    expect(list.items).toHaveLength(1);
    const need = json<Need>(await w.api.manager.get(`/api/needs/${list.items[0]!.id}`));
    expect(need.channel).toBe("widget");
    expect(need.community?.id).toBe(w.aId);
    expect(need.urgency).toBe("normal");
    expect(need.contact?.name).toBe("דנה");
    expect(need.attachments).toHaveLength(1);
  });

  it("refuses bad input clearly and saves nothing", async () => {
    const count = async () =>
      (
        await t.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(schema.needs)
          .where(eq(schema.needs.departmentId, w.departmentId))
      )[0]!.n;
    const before = await count();
    const cases: [unknown, number, string][] = [
      [{ description: "x" }, 400, "validation_failed"],
      [{ description: "מספיק ארוך לתיאור", contactPhone: "0521112233" }, 400, "validation_failed"],
      [{ description: "מספיק ארוך לתיאור", website: "http://spam" }, 400, "need.spam"],
      [{ description: "מספיק ארוך לתיאור", category: "nope" }, 400, "need.category_unknown"],
      [{ description: "מספיק ארוך לתיאור", extra: 1 }, 400, "validation_failed"],
    ];
    for (const [body, status, code] of cases) {
      const res = await publicReport(w.departmentId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(json<{ error: { code: string } }>(res).error.code).toBe(code);
    }
    const form = multipart([
      { name: "report", value: JSON.stringify({ description: "תמונה לא תקינה מצורפת" }) },
      {
        name: "photos",
        value: Buffer.from("MZ executable pretending"),
        filename: "a.jpg",
        type: "image/jpeg",
      },
    ]);
    const badPhoto = await t.app.inject({
      method: "POST",
      url: `/api/public/departments/${w.departmentId}/needs`,
      payload: form.payload,
      headers: { "content-type": form.contentType },
    });
    expect(badPhoto.statusCode).toBe(415);
    const unknownDept = await publicReport(crypto.randomUUID(), {
      description: "מספיק ארוך לתיאור",
    });
    expect(unknownDept.statusCode).toBe(404);
    expect(await count()).toBe(before);
  });

  it("holds suspected spam out of the queue, in its own view", async () => {
    const res = await publicReport(w.departmentId, {
      description: "buy now http://a.example http://b.example cheap cheap",
      startedAt: Date.now(),
    });
    expect(res.statusCode).toBe(201);
    const queue = json<NeedList>(await w.api.manager.get("/api/needs?pageSize=100"));
    expect(queue.items.some((i) => i.description.includes("cheap"))).toBe(false);
    const spam = json<NeedList>(await w.api.manager.get("/api/needs?spam=true"));
    const held = spam.items.find((i) => i.description.includes("cheap") && i.spam);
    expect(held).toBeDefined();
    // A person releases it into the queue.
    const released = await w.api.manager.patch(`/api/needs/${held!.id}`, {
      version: held!.version,
      spam: false,
    });
    expect(released.json()).toMatchObject({ spam: false });
    const after = json<NeedList>(await w.api.manager.get("/api/needs?pageSize=100"));
    expect(after.items.some((i) => i.id === held!.id)).toBe(true);
  });

  it("the same text again soon is marked repeated (held, with a too-fast form); each report has its history and audit row; only the clean one is announced live", async () => {
    const changes: NeedChange[] = [];
    const off = onNeedChange(t.app.deps.events, (c) => changes.push(c));
    await off.ready;
    const description = `פנס רחוב שבור ברחוב הזית ${crypto.randomUUID().slice(0, 8)}`;
    const send = (startedAt: number) =>
      publicReport(
        w.departmentId,
        { description, location: POINTS.a, startedAt },
        { "x-forwarded-for": "10.0.0.7" },
      );
    const first = await send(Date.now() - 60_000);
    const second = await send(Date.now());
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode, second.body).toBe(201);
    const refs = [first, second].map((r) => json<{ reference: string }>(r).reference);
    expect(refs[0]).not.toBe(refs[1]);
    const rows = await t.database.db
      .select({ id: schema.needs.id, number: schema.needs.number, spam: schema.needs.spamScore })
      .from(schema.needs)
      .where(
        sql`${schema.needs.departmentId} = ${w.departmentId} and ${schema.needs.description} = ${description}`,
      )
      .orderBy(schema.needs.number);
    expect(rows.map((r) => `#${r.number}`)).toEqual(refs);
    expect(rows[0]!.spam).toBe(0);
    expect(rows[1]!.spam).toBe(90); // too fast (40) and repeated (50): held as spam
    for (const [i, row] of rows.entries()) {
      const events = await t.database.db
        .select({ kind: schema.needEvents.kind, to: schema.needEvents.toValue })
        .from(schema.needEvents)
        .where(eq(schema.needEvents.needId, row.id));
      expect(events).toEqual([{ kind: "created", to: "web" }]);
      const audit = await t.database.db
        .select({
          action: schema.auditEvents.action,
          role: schema.auditEvents.actorRole,
          fields: schema.auditEvents.fields,
          details: schema.auditEvents.details,
          communityId: schema.auditEvents.communityId,
        })
        .from(schema.auditEvents)
        .where(eq(schema.auditEvents.entityId, row.id));
      expect(audit).toEqual([
        {
          action: "need.report",
          role: "public",
          fields: [],
          details: {
            channel: "web",
            photos: 0,
            spamSigns: i === 0 ? [] : ["too_fast", "repeated"],
          },
          communityId: w.aId,
        },
      ]);
    }
    await new Promise((r) => setTimeout(r, 100));
    off();
    const announced = changes.filter((c) => rows.some((r) => r.id === c.id));
    expect(announced).toEqual([
      expect.objectContaining({
        type: "created",
        id: rows[0]!.id,
        reference: refs[0],
        departmentId: w.departmentId,
        communityId: w.aId,
        assigneeId: null,
        urgency: "normal",
      }),
    ]);
  });

  it("a category of a department whose categories were never read is known (its defaults are made)", async () => {
    const categories = async () =>
      (
        await t.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(schema.needCategories)
          .where(eq(schema.needCategories.departmentId, w.otherDepartmentId))
      )[0]!.n;
    expect(await categories()).toBe(0);
    const res = await publicReport(
      w.otherDepartmentId,
      { description: "ערימת אשפה ליד המכולת", category: "cleanliness" },
      { "x-forwarded-for": "10.0.0.8" },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(await categories()).toBeGreaterThan(0);
  });

  it("gives the report page a base map of public geography only: town, neighbourhoods, streets", async () => {
    await t.database.db.insert(schema.streets).values({
      departmentId: w.departmentId,
      townId: w.townId,
      name: "רחוב הבדיקה",
      geometry: {
        type: "LineString",
        coordinates: [
          [35.101, 32.801],
          [35.119, 32.819],
        ],
      },
    });
    const res = await t.app.inject({
      method: "GET",
      url: `/api/public/departments/${w.departmentId}/map`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toContain("public");
    const map = json<PublicMap>(res);
    expect(map.tileUrl).toBeNull();
    const ids = map.boundaries.features.map((f) => f.properties.id);
    expect(ids).toEqual(expect.arrayContaining([w.townId, w.aId, w.bId]));
    // Buildings and functional communities are not public geography.
    expect(ids).not.toContain(w.buildingId);
    expect(ids).not.toContain(w.functionalId);
    expect(map.streets.features.map((f) => f.properties.name)).toContain("רחוב הבדיקה");
    expect(map.bounds).toEqual([35.1, 32.8, 35.14, 32.82]);
    expect(Object.keys(map).sort()).toEqual(
      ["attribution", "bounds", "boundaries", "streets", "tileUrl"].sort(),
    );
    const unknown = await t.app.inject({
      method: "GET",
      url: `/api/public/departments/${crypto.randomUUID()}/map`,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("is closed when the department turns public intake off; the embed page allows only listed sites", async () => {
    const off = await w.api.manager.patch("/api/need-intake", {
      publicIntake: false,
      widgetOrigins: ["https://www.city.example"],
    });
    expect(off.statusCode).toBe(200);
    const res = await publicReport(w.departmentId, { description: "מספיק ארוך לתיאור" });
    expect(res.statusCode).toBe(403);
    expect(json<{ error: { code: string } }>(res).error.code).toBe("need.intake_closed");
    const map = await t.app.inject({
      method: "GET",
      url: `/api/public/departments/${w.departmentId}/map`,
    });
    expect(map.statusCode).toBe(403);
    const numbers = await w.api.manager.patch("/api/need-intake", {
      publicIntake: true,
      smsNumber: "+97235550999",
    });
    expect(numbers.json()).toMatchObject({ publicIntake: true, smsNumber: "+97235550999" });
    const badNumber = await w.api.manager.patch("/api/need-intake", { smsNumber: "035550999" });
    expect(badNumber.statusCode).toBe(400);
    const embed = await t.app.inject({ method: "GET", url: `/embed/report/${w.departmentId}` });
    expect(String(embed.headers["content-security-policy"])).toContain(
      "frame-ancestors 'self' https://www.city.example",
    );
    expect(embed.headers["x-frame-options"]).toBeUndefined();
    const other = await t.app.inject({ method: "GET", url: "/needs" });
    expect(String(other.headers["content-security-policy"])).toContain("frame-ancestors 'self'");
    expect(String(other.headers["content-security-policy"])).not.toContain("city.example");
    const script = await t.app.inject({ method: "GET", url: "/widget/needs.js" });
    expect(script.headers["content-type"]).toContain("javascript");
    expect(script.body).toContain("/embed/report/");
  });
});

describe("needs: the demo queue and the classifier", () => {
  it("the demo town has a queue from every channel and a classifier trained on it", async () => {
    const m = await signInManager(t.app);
    const queue = json<NeedList>(await m.get("/api/needs?pageSize=100&open=false"));
    expect(queue.total).toBeGreaterThanOrEqual(60);
    expect(new Set(queue.items.map((i) => i.channel)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(queue.items.map((i) => i.language)).size).toBeGreaterThanOrEqual(3);
    const model = json<{ examples: number; perLanguage: Record<string, { examples: number }> }>(
      await m.get("/api/need-model"),
    );
    expect(model.examples).toBeGreaterThan(20);
    expect(Object.keys(model.perLanguage)).toContain("he");
    // A new report gets a suggestion with the words that drove it; urgency words are shown, not applied.
    const suggestion = json<{ category: string | null; drivers: string[]; urgency: string | null }>(
      await m.get(
        `/api/needs/suggest?text=${encodeURIComponent("אין לנו אוכל במקרר, דחוף עזרה במזון")}`,
      ),
    );
    expect(suggestion.category).toBe("food");
    expect(suggestion.drivers.length).toBeGreaterThan(0);
    expect(suggestion.urgency).not.toBeNull();
    const trained = await m.post("/api/need-model/train");
    expect(trained.statusCode).toBe(200);
    expect((await w.api.worker.post("/api/need-model/train")).statusCode).toBe(403);
  });
});

describe("image sanitizer", () => {
  it("keeps the picture and drops EXIF, comments; decides the type from the bytes", () => {
    const out = sanitizeImage(jpegWithExif());
    expect(out.contentType).toBe("image/jpeg");
    expect(out.data.includes(Buffer.from("Exif"))).toBe(false);
    expect(out.data.includes(Buffer.from("JFIF"))).toBe(true);
    expect(out.data.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(() => sanitizeImage(Buffer.from("GIF89a....."))).toThrow();
  });

  it("drops PNG text and EXIF chunks", () => {
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      return Buffer.concat([len, Buffer.from(type, "latin1"), data, Buffer.alloc(4)]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(10, 0);
    ihdr.writeUInt32BE(20, 4);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("tEXt", Buffer.from("Author\0Someone")),
      chunk("eXIf", Buffer.from("GPS")),
      chunk("IDAT", Buffer.from([1, 2, 3])),
      chunk("IEND", Buffer.alloc(0)),
    ]);
    const out = sanitizeImage(png);
    expect([out.width, out.height]).toEqual([10, 20]);
    expect(out.data.includes(Buffer.from("Someone"))).toBe(false);
    expect(out.data.includes(Buffer.from("eXIf"))).toBe(false);
    expect(out.data.includes(Buffer.from("IDAT"))).toBe(true);
  });
});
