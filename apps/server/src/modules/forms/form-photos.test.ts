import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import sharp from "sharp";
import type {
  Form,
  FormAnalysis,
  FormPhotoReceipt,
  ResponseItem,
  SyncCommand,
  SyncCommandResult,
} from "@kaveret/contracts";
import { schema, startTestServer, type TestServer } from "../../test/harness.ts";
import { jpegWithExif } from "../../test/images.ts";
import { buildWorld, type World } from "../residents/residents.fixtures.ts";
import { PUBLIC_UNANSWERED_PHOTOS_PER_DAY } from "./form-photos.service.ts";

let t: TestServer;
let w: World;

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;
const code = (res: { body: string }) => json<{ error: { code: string } }>(res).error.code;

/** A door-to-door survey with a photo of the entrance and a photo per room (in a repeat). */
const survey = {
  schemaVersion: 1,
  settings: { title: "מצב המבנה", id: "building", defaultLanguage: "he", languages: ["he"] },
  questions: [
    { type: "text", name: "address", label: { he: "כתובת" }, required: true },
    { type: "image", name: "entrance", label: { he: "צילום הכניסה" } },
    {
      type: "repeat",
      name: "rooms",
      label: { he: "חדר" },
      children: [{ type: "image", name: "room_photo", label: { he: "צילום החדר" } }],
    },
  ],
  choiceLists: [],
};

beforeAll(async () => {
  t = await startTestServer();
  w = await buildWorld(t);
});
afterAll(async () => {
  await t?.close();
});

async function openForm(anonymous = true): Promise<Form> {
  const created = await w.api.manager.post("/api/forms", {
    title: "מצב המבנה",
    anonymous,
    definition: survey,
  });
  expect(created.statusCode, created.body).toBe(201);
  const form = json<Form>(created);
  const opened = await w.api.manager.patch(`/api/forms/${form.id}`, {
    version: form.version,
    status: "open",
  });
  expect(opened.statusCode, opened.body).toBe(200);
  return json<Form>(opened);
}

const staffHeaders = (cookie: string, type = "image/jpeg") => ({
  cookie,
  "x-kaveret-scope": `department:${w.departmentId}`,
  "content-type": type,
});

function upload(
  formId: string,
  photoId: string,
  body: Buffer,
  o: { type?: string; cookie?: string } = {},
) {
  return t.app.inject({
    method: "PUT",
    url: `/api/forms/${formId}/photos/${photoId}`,
    headers: staffHeaders(o.cookie ?? w.cookies.manager!, o.type),
    payload: body,
  });
}

function publicUpload(formId: string, photoId: string, body: Buffer, ip = "10.1.0.1") {
  return t.app.inject({
    method: "PUT",
    url: `/api/public/forms/${formId}/photos/${photoId}`,
    headers: { "content-type": "image/jpeg" },
    remoteAddress: ip,
    payload: body,
  });
}

const readPhoto = (api: World["api"]["manager"], formId: string, photoId: string) =>
  api.get(`/api/forms/${formId}/photos/${photoId}`);

async function storedPhotos(formId: string) {
  return t.database.db
    .select()
    .from(schema.formPhotos)
    .where(
      and(eq(schema.formPhotos.departmentId, w.departmentId), eq(schema.formPhotos.formId, formId)),
    );
}

describe("form photos: upload", () => {
  it("stores the photo without its location and other metadata, once per id", async () => {
    const form = await openForm();
    const photoId = crypto.randomUUID();
    const first = await upload(form.id, photoId, jpegWithExif());
    expect(first.statusCode, first.body).toBe(200);
    expect(json<FormPhotoReceipt>(first)).toMatchObject({
      id: photoId,
      contentType: "image/jpeg",
      width: 640,
      height: 480,
    });
    // A retry (the answer to the first upload was lost) is the same photo.
    expect((await upload(form.id, photoId, jpegWithExif())).statusCode).toBe(200);
    const rows = await storedPhotos(form.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: photoId, responseId: null, source: "staff" });
    const bytes = Buffer.from(t.app.deps.cipher.decrypt(rows[0]!.dataEnc), "base64");
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.includes(Buffer.from("GPSLatitude"))).toBe(false);
    expect(bytes.includes(Buffer.from("PHONE123"))).toBe(false);
    expect(bytes.includes(Buffer.from("comment with a name"))).toBe(false);
    // Another file under a taken id is refused.
    const other = Buffer.concat([jpegWithExif(), Buffer.from([0])]);
    const taken = await upload(form.id, photoId, other);
    expect(taken.statusCode).toBe(409);
    expect(code(taken)).toBe("conflict");
  });

  it("refuses too large and wrong files with stable codes, storing nothing", async () => {
    const form = await openForm();
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0);
    jpegWithExif().copy(big);
    const tooBig = await upload(form.id, crypto.randomUUID(), big);
    expect(tooBig.statusCode).toBe(413);
    expect(code(tooBig)).toBe("form.photo_too_large");
    const way = await upload(form.id, crypto.randomUUID(), Buffer.alloc(7 * 1024 * 1024, 1));
    expect(way.statusCode).toBe(413);
    expect(code(way)).toBe("form.photo_too_large");

    const fake = await upload(form.id, crypto.randomUUID(), Buffer.from("MZ not an image"), {
      type: "image/png",
    });
    expect(fake.statusCode).toBe(415);
    expect(code(fake)).toBe("form.photo_type");
    const text = await upload(form.id, crypto.randomUUID(), Buffer.from("hello"), {
      type: "text/plain",
    });
    expect(text.statusCode).toBe(415);
    const badId = await upload(form.id, "photo.jpg", jpegWithExif());
    expect(badId.statusCode).toBe(400);
    expect(await storedPhotos(form.id)).toHaveLength(0);
  });

  it("needs an open form, a session and the department's form", async () => {
    const form = await openForm();
    const anonymous = await t.app.inject({
      method: "PUT",
      url: `/api/forms/${form.id}/photos/${crypto.randomUUID()}`,
      headers: { "content-type": "image/jpeg" },
      payload: jpegWithExif(),
    });
    expect(anonymous.statusCode).toBe(401);
    const other = await upload(form.id, crypto.randomUUID(), jpegWithExif(), {
      cookie: w.cookies.otherManager!,
    });
    expect(other.statusCode).toBe(404);

    const kept = crypto.randomUUID();
    expect((await upload(form.id, kept, jpegWithExif())).statusCode).toBe(200);
    await w.api.manager.patch(`/api/forms/${form.id}`, { version: form.version, status: "closed" });
    const late = await upload(form.id, crypto.randomUUID(), jpegWithExif());
    expect(late.statusCode).toBe(409);
    expect(code(late)).toBe("form.not_open");
    // A retry of a photo sent while the form was open still answers.
    expect((await upload(form.id, kept, jpegWithExif())).statusCode).toBe(200);
  });
});

describe("form photos: answers hold them by id", () => {
  it("an answer takes its photos; one not uploaded, or another answer's, refuses the answer", async () => {
    const form = await openForm();
    const entrance = crypto.randomUUID();
    const room = crypto.randomUUID();
    for (const id of [entrance, room]) {
      expect((await upload(form.id, id, jpegWithExif())).statusCode).toBe(200);
    }
    const missing = crypto.randomUUID();
    const refused = await w.api.worker.post(`/api/forms/${form.id}/responses`, {
      id: crypto.randomUUID(),
      channel: "paper",
      answers: { address: "הרצל 1", entrance, rooms: [{ room_photo: missing }] },
    });
    expect(refused.statusCode).toBe(400);
    const err = json<{
      error: { code: string; details: { issues: { path: unknown[]; code: string }[] } };
    }>(refused).error;
    expect(err.code).toBe("form.answers_invalid");
    expect(err.details.issues).toEqual([
      expect.objectContaining({ path: ["rooms", 0, "room_photo"], code: "photo_missing" }),
    ]);
    // Nothing half-saved: no answer, and the entrance photo still belongs to none.
    expect(
      json<{ total: number }>(await w.api.manager.get(`/api/forms/${form.id}/responses`)).total,
    ).toBe(0);
    expect((await storedPhotos(form.id)).every((p) => p.responseId === null)).toBe(true);

    const fileName = await w.api.worker.post(`/api/forms/${form.id}/responses`, {
      id: crypto.randomUUID(),
      channel: "paper",
      answers: { address: "הרצל 1", entrance: "IMG_0042.jpg" },
    });
    expect(fileName.statusCode).toBe(400);
    expect(code(fileName)).toBe("form.answers_invalid");

    const answerId = crypto.randomUUID();
    const ok = await w.api.worker.post(`/api/forms/${form.id}/responses`, {
      id: answerId,
      channel: "paper",
      answers: { address: "הרצל 1", entrance, rooms: [{ room_photo: room }] },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json<ResponseItem>(ok).answers).toMatchObject({
      entrance,
      rooms: [{ room_photo: room }],
    });
    expect((await storedPhotos(form.id)).map((p) => p.responseId)).toEqual([answerId, answerId]);

    const stolen = await w.api.worker.post(`/api/forms/${form.id}/responses`, {
      id: crypto.randomUUID(),
      channel: "paper",
      answers: { address: "הרצל 3", entrance },
    });
    expect(stolen.statusCode).toBe(400);
    expect(code(stolen)).toBe("form.answers_invalid");
  });
});

describe("form photos: reading", () => {
  it("those who read the answers see the photo (audited when answers are); nobody else", async () => {
    const form = await openForm(false);
    const photoId = crypto.randomUUID();
    await upload(form.id, photoId, jpegWithExif());
    // Uploaded but in no answer yet: nothing to read.
    expect((await readPhoto(w.api.manager, form.id, photoId)).statusCode).toBe(404);
    const answerId = crypto.randomUUID();
    const sent = await w.api.manager.post(`/api/forms/${form.id}/responses`, {
      id: answerId,
      channel: "face_to_face",
      answers: { address: "הרצל 5", entrance: photoId },
    });
    expect(sent.statusCode, sent.body).toBe(201);

    const res = await readPhoto(w.api.manager, form.id, photoId);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("image/jpeg");
    expect(res.headers["cache-control"]).toBe("private, max-age=3600");
    expect(res.rawPayload.includes(Buffer.from("GPSLatitude"))).toBe(false);
    const audit = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(
        and(
          eq(schema.auditEvents.action, "form_response.read"),
          eq(schema.auditEvents.entityId, answerId),
        ),
      );
    expect(audit.map((a) => a.fields)).toEqual([["photo"]]);

    // A link without the header names the department in `scope` (as exports do).
    const link = await t.app.inject({
      method: "GET",
      url: `/api/forms/${form.id}/photos/${photoId}?scope=${encodeURIComponent(`department:${w.departmentId}`)}`,
      headers: { cookie: w.cookies.manager! },
    });
    expect(link.statusCode).toBe(200);

    const anonymous = await t.app.inject({
      method: "GET",
      url: `/api/forms/${form.id}/photos/${photoId}`,
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await readPhoto(w.api.otherManager, form.id, photoId)).statusCode).toBe(404);
    const otherDept = await t.app.inject({
      method: "GET",
      url: `/api/forms/${form.id}/photos/${photoId}?scope=${encodeURIComponent(`department:${w.otherDepartmentId}`)}`,
      headers: { cookie: w.cookies.otherManager! },
    });
    expect(otherDept.statusCode).toBe(404);
    // A social worker types answers in but does not read them.
    expect((await readPhoto(w.api.social, form.id, photoId)).statusCode).toBe(403);
    expect((await readPhoto(w.api.manager, form.id, crypto.randomUUID())).statusCode).toBe(404);
  });

  it("exports and the analysis give the photo's link and id, never a file name", async () => {
    const form = await openForm();
    const photoId = crypto.randomUUID();
    await upload(form.id, photoId, jpegWithExif());
    const answerId = crypto.randomUUID();
    await w.api.manager.post(`/api/forms/${form.id}/responses`, {
      id: answerId,
      channel: "paper",
      answers: { address: "הרצל 7", entrance: photoId },
    });
    const csv = await w.api.manager.get(`/api/forms/${form.id}/responses/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    const link = `${t.config.publicUrl}/api/forms/${form.id}/photos/${photoId}?scope=${encodeURIComponent(`department:${w.departmentId}`)}`;
    expect(csv.body).toContain(link);
    const analysis = json<FormAnalysis>(await w.api.manager.get(`/api/forms/${form.id}/analysis`));
    const entrance = analysis.questions.find((q) => q.name === "entrance");
    expect(entrance).toMatchObject({
      type: "image",
      answered: 1,
      photos: [{ id: photoId, responseId: answerId }],
    });
  });
});

/** A real photo (noise, so it does not shrink to nothing), 1600 × 1200, with EXIF. */
async function cameraPhoto(): Promise<Buffer> {
  return sharp({
    create: {
      width: 1600,
      height: 1200,
      channels: 3,
      background: "#808080",
      noise: { type: "gaussian", mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Copyright: "PHONE123 at GPS 32.81" } })
    .toBuffer();
}

const asSomeone = (cookie: string | undefined, url: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: "GET",
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
  });

describe("form photos: thumbnails and exports of photos in repeats", () => {
  const scopeOf = (departmentId: string) =>
    `scope=${encodeURIComponent(`department:${departmentId}`)}`;

  async function answeredWithRooms(anonymous = true) {
    const form = await openForm(anonymous);
    const original = await cameraPhoto();
    const entrance = crypto.randomUUID();
    const rooms = [crypto.randomUUID(), crypto.randomUUID()];
    for (const id of [entrance, ...rooms]) {
      const up = await upload(form.id, id, original);
      expect(up.statusCode, up.body).toBe(200);
    }
    const answerId = crypto.randomUUID();
    const sent = await w.api.manager.post(`/api/forms/${form.id}/responses`, {
      id: answerId,
      channel: "face_to_face",
      answers: {
        address: "הרצל 9",
        entrance,
        rooms: rooms.map((room_photo) => ({ room_photo })),
      },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    return { form, original, entrance, rooms, answerId };
  }

  it("serves a small JPEG made at upload, still a valid image, without metadata", async () => {
    const { form, original, rooms } = await answeredWithRooms();
    const stored = (await storedPhotos(form.id)).find((r) => r.id === rooms[0]);
    expect(stored?.thumbEnc).toBeTruthy();

    const url = `/api/forms/${form.id}/photos/${rooms[0]}?size=thumb&${scopeOf(w.departmentId)}`;
    const thumb = await asSomeone(w.cookies.manager, url);
    expect(thumb.statusCode, thumb.body).toBe(200);
    expect(thumb.headers["content-type"]).toBe("image/jpeg");
    expect(thumb.headers["cache-control"]).toBe("private, max-age=3600");
    expect(thumb.headers["vary"]).toMatch(/cookie/i);
    expect(thumb.rawPayload.length).toBeLessThan(original.length / 10);
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 320, height: 240 });
    expect(meta.exif).toBeUndefined();
    expect(thumb.rawPayload.includes(Buffer.from("PHONE123"))).toBe(false);

    // The whole photo is still there, under its own tag.
    const full = await asSomeone(
      w.cookies.manager,
      `/api/forms/${form.id}/photos/${rooms[0]}?${scopeOf(w.departmentId)}`,
    );
    expect(full.statusCode).toBe(200);
    expect((await sharp(full.rawPayload).metadata()).width).toBe(1600);
    expect(full.headers["etag"]).not.toBe(thumb.headers["etag"]);

    // Shown again: the browser asks with the tag and gets no body.
    const again = await asSomeone(w.cookies.manager, url, {
      "if-none-match": String(thumb.headers["etag"]),
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    const changed = await asSomeone(w.cookies.manager, url, { "if-none-match": '"other"' });
    expect(changed.statusCode).toBe(200);
  });

  it("makes the thumbnail of an older photo at its first read and keeps it", async () => {
    const { form, rooms } = await answeredWithRooms();
    await t.database.db
      .update(schema.formPhotos)
      .set({ thumbEnc: null })
      .where(eq(schema.formPhotos.formId, form.id));
    const url = `/api/forms/${form.id}/photos/${rooms[1]}?size=thumb&${scopeOf(w.departmentId)}`;
    const first = await asSomeone(w.cookies.manager, url);
    expect(first.statusCode).toBe(200);
    expect((await sharp(first.rawPayload).metadata()).width).toBe(320);
    const rows = await storedPhotos(form.id);
    expect(rows.find((r) => r.id === rooms[1])?.thumbEnc).toBeTruthy();
    expect(rows.find((r) => r.id === rooms[0])?.thumbEnc).toBeNull();
    const second = await asSomeone(w.cookies.manager, url);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it("a photo libvips cannot decode is its own thumbnail", async () => {
    const form = await openForm();
    const photoId = crypto.randomUUID();
    await upload(form.id, photoId, jpegWithExif());
    await w.api.manager.post(`/api/forms/${form.id}/responses`, {
      id: crypto.randomUUID(),
      channel: "paper",
      answers: { address: "הרצל 11", entrance: photoId },
    });
    expect((await storedPhotos(form.id))[0]?.thumbEnc).toBeNull();
    const base = `/api/forms/${form.id}/photos/${photoId}?${scopeOf(w.departmentId)}`;
    const thumb = await asSomeone(w.cookies.manager, `${base}&size=thumb`);
    const full = await asSomeone(w.cookies.manager, base);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.rawPayload.equals(full.rawPayload)).toBe(true);
    expect((await asSomeone(w.cookies.manager, `${base}&size=huge`)).statusCode).toBe(400);
  });

  it("the thumbnail opens only for those who may read the answers, a tag or not", async () => {
    const { form, rooms, answerId } = await answeredWithRooms(false);
    const path = `/api/forms/${form.id}/photos/${rooms[0]}?size=thumb`;
    const own = await asSomeone(w.cookies.manager, `${path}&${scopeOf(w.departmentId)}`);
    expect(own.statusCode).toBe(200);
    const etag = String(own.headers["etag"]);
    expect((await asSomeone(undefined, `${path}&${scopeOf(w.departmentId)}`)).statusCode).toBe(401);
    for (const headers of [{}, { "if-none-match": etag }] as Record<string, string>[]) {
      const other = await asSomeone(
        w.cookies.otherManager,
        `${path}&${scopeOf(w.otherDepartmentId)}`,
        headers,
      );
      expect(other.statusCode).toBe(404);
      // Another department's manager naming this department is refused too.
      const naming = await asSomeone(
        w.cookies.otherManager,
        `${path}&${scopeOf(w.departmentId)}`,
        headers,
      );
      expect([403, 404]).toContain(naming.statusCode);
      const social = await asSomeone(
        w.cookies.social,
        `${path}&${scopeOf(w.departmentId)}`,
        headers,
      );
      expect(social.statusCode).toBe(403);
    }
    // Thumbnails are reads of the answer, audited like the photo.
    const audit = await t.database.db
      .select()
      .from(schema.auditEvents)
      .where(
        and(
          eq(schema.auditEvents.action, "form_response.read"),
          eq(schema.auditEvents.entityId, answerId),
        ),
      );
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((a) => JSON.stringify(a.fields) === '["photo"]')).toBe(true);
  });

  it("exports give a link for photos inside repeats too (CSV and XLSX)", async () => {
    const { form, entrance, rooms } = await answeredWithRooms();
    const link = (id: string) =>
      `${t.config.publicUrl}/api/forms/${form.id}/photos/${id}?${scopeOf(w.departmentId)}`;
    const csv = await w.api.manager.get(`/api/forms/${form.id}/responses/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    for (const id of [entrance, ...rooms]) expect(csv.body).toContain(link(id));

    const xlsx = await w.api.manager.get(`/api/forms/${form.id}/responses/export?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const cellOf = (name: string) => ws.getRow(2).getCell(header.indexOf(name)).value;
    expect(cellOf("entrance")).toBe(link(entrance));
    const roomsCell = JSON.parse(String(cellOf("rooms"))) as { room_photo: string }[];
    expect(roomsCell.map((r) => r.room_photo)).toEqual(rooms.map(link));
    // The link opens the photo for a signed-in reader.
    const opened = await asSomeone(
      w.cookies.manager,
      link(rooms[1]!).replace(t.config.publicUrl, ""),
    );
    expect(opened.statusCode).toBe(200);
  });
});

describe("form photos: the public link", () => {
  it("takes a photo before the answer, with the same limits; closed forms take none", async () => {
    const form = await openForm();
    const photoId = crypto.randomUUID();
    const up = await publicUpload(form.id, photoId, jpegWithExif());
    expect(up.statusCode, up.body).toBe(200);
    const sent = await t.app.inject({
      method: "POST",
      url: `/api/public/forms/${form.id}/responses`,
      payload: { id: crypto.randomUUID(), answers: { address: "הגפן 2", entrance: photoId } },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const rows = await storedPhotos(form.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.source).toBe("public");
    expect(rows[0]?.responseId).not.toBeNull();

    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0);
    const tooBig = await publicUpload(form.id, crypto.randomUUID(), big);
    expect(tooBig.statusCode).toBe(413);
    expect(code(tooBig)).toBe("form.photo_too_large");
    const fake = await publicUpload(form.id, crypto.randomUUID(), Buffer.from("GIF89a not ok"));
    expect(fake.statusCode).toBe(415);
    expect(code(fake)).toBe("form.photo_type");

    const missing = await t.app.inject({
      method: "POST",
      url: `/api/public/forms/${form.id}/responses`,
      payload: {
        id: crypto.randomUUID(),
        answers: { address: "הגפן 4", entrance: crypto.randomUUID() },
      },
    });
    expect(missing.statusCode).toBe(400);

    // Anonymous people cannot read photos, even of the survey they answered.
    const read = await t.app.inject({
      method: "GET",
      url: `/api/forms/${form.id}/photos/${photoId}`,
    });
    expect(read.statusCode).toBe(401);

    await w.api.manager.patch(`/api/forms/${form.id}`, { version: form.version, status: "closed" });
    const closed = await publicUpload(form.id, crypto.randomUUID(), jpegWithExif());
    expect(closed.statusCode).toBe(404);
    expect(code(closed)).toBe("form.not_open");
    expect(
      (await publicUpload(crypto.randomUUID(), crypto.randomUUID(), jpegWithExif())).statusCode,
    ).toBe(404);
  });

  it("is rate limited per address, like public need reports", async () => {
    const form = await openForm();
    const max = t.config.PUBLIC_REPORTS_PER_MINUTE * 3;
    const statuses: number[] = [];
    for (let i = 0; i <= max; i++) {
      statuses.push(
        (await publicUpload(form.id, crypto.randomUUID(), jpegWithExif(), "10.9.9.9")).statusCode,
      );
    }
    expect(statuses.slice(0, max).every((s) => s === 200)).toBe(true);
    expect(statuses[max]).toBe(429);
    // Another address is not held back by it.
    expect(
      (await publicUpload(form.id, crypto.randomUUID(), jpegWithExif(), "10.9.9.10")).statusCode,
    ).toBe(200);
  });

  it("stops taking photos while too many it took wait for no answer", async () => {
    const form = await openForm();
    const rows = Array.from({ length: PUBLIC_UNANSWERED_PHOTOS_PER_DAY }, () => ({
      departmentId: w.departmentId,
      id: crypto.randomUUID(),
      formId: form.id,
      contentType: "image/jpeg",
      bytes: 10,
      dataEnc: t.app.deps.cipher.encrypt("AAAA"),
      sha256: "x",
      source: "public",
    }));
    await t.database.db.insert(schema.formPhotos).values(rows);
    const res = await publicUpload(form.id, crypto.randomUUID(), jpegWithExif(), "10.7.7.7");
    expect(res.statusCode).toBe(429);
    expect(code(res)).toBe("rate_limited");
    // Staff are not held back by strangers' uploads.
    expect((await upload(form.id, crypto.randomUUID(), jpegWithExif())).statusCode).toBe(200);
  });
});

describe("form photos: offline answers", () => {
  type Push = { results: SyncCommandResult[] };
  const push = async (commands: SyncCommand[]) => {
    const res = await w.api.worker.post("/api/sync/push", { deviceId: "phone-0001", commands });
    expect(res.statusCode, res.body).toBe(200);
    return json<Push>(res).results;
  };

  it("a replayed upload and command store one photo and one answer", async () => {
    const form = await openForm();
    const photoId = crypto.randomUUID();
    const answerId = crypto.randomUUID();
    const command: SyncCommand = {
      id: crypto.randomUUID(),
      name: "form.response",
      args: {
        formId: form.id,
        id: answerId,
        channel: "door_to_door",
        answers: { address: "הזית 9", entrance: photoId },
        language: "he",
        communityId: null,
        residentId: null,
      },
    };
    // The device uploads, loses the answer, uploads again; then pushes twice.
    for (let i = 0; i < 2; i++) {
      expect(
        (await upload(form.id, photoId, jpegWithExif(), { cookie: w.cookies.worker! })).statusCode,
      ).toBe(200);
    }
    const [first] = await push([command]);
    const [again] = await push([command]);
    expect(first).toMatchObject({ status: "ok", recordId: answerId });
    expect(again).toEqual(first);
    const rows = await storedPhotos(form.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.responseId).toBe(answerId);
    expect(
      json<{ total: number }>(await w.api.manager.get(`/api/forms/${form.id}/responses`)).total,
    ).toBe(1);

    // A command naming a photo the server lacks is refused, not stored.
    const [lacking] = await push([
      {
        ...command,
        id: crypto.randomUUID(),
        args: {
          ...command.args,
          id: crypto.randomUUID(),
          answers: { address: "הזית 11", entrance: crypto.randomUUID() },
        },
      },
    ]);
    expect(lacking).toMatchObject({ status: "rejected", code: "form.answers_invalid" });
    expect(
      json<{ total: number }>(await w.api.manager.get(`/api/forms/${form.id}/responses`)).total,
    ).toBe(1);
  });
});
