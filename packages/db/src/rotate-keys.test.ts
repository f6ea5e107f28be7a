import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Database } from "./client.ts";
import { createFieldCipher, generateFieldKey, parseFieldKeys } from "./field-crypto.ts";
import { flagToken, idNumberToken, residentStoredFields } from "./resident-values.ts";
import { rotateFieldKeys } from "./rotate-keys.ts";
import * as schema from "./schema.ts";

const oldKey = generateFieldKey("old");
const newKey = generateFieldKey("new");
const oldIndex = Buffer.alloc(32, 1).toString("base64");
const newIndex = Buffer.alloc(32, 2).toString("base64");

let database: Database;
let departmentId = "";

beforeAll(async () => {
  database = await openDatabase({ kind: "pglite" });
  await migrateDatabase(database);
  const [district] = await database.db.insert(schema.districts).values({ name: "d" }).returning();
  const [authority] = await database.db
    .insert(schema.localAuthorities)
    .values({ districtId: district!.id, name: "a" })
    .returning();
  const [department] = await database.db
    .insert(schema.departments)
    .values({ localAuthorityId: authority!.id, name: "dep" })
    .returning();
  departmentId = department!.id;
});
afterAll(async () => {
  await database.close();
});

describe("key rotation", () => {
  it("re-encrypts every sensitive value with the new key and recomputes blind indexes", async () => {
    const before = createFieldCipher(parseFieldKeys(oldKey, oldIndex));
    const rows = Array.from({ length: 5 }, (_, i) => ({
      departmentId,
      firstName: `שם${i}`,
      lastName: "כהן",
      ...residentStoredFields(before, departmentId, {
        firstName: `שם${i}`,
        lastName: "כהן",
        flags: ["lives_alone", "disability"],
        healthNotes: `הערה ${i}`,
        idNumber: "123456782",
      }),
    }));
    await database.db.insert(schema.residents).values(rows);
    await database.db.insert(schema.needs).values({
      departmentId,
      number: 1,
      channel: "web",
      description: "x",
      contactEnc: before.encryptJson({ name: "n", phone: "+972501234567", email: null }),
    });

    await database.db.insert(schema.formPhotos).values({
      departmentId,
      id: "0b7f5c2e-8a41-4f7e-9d3a-5e2b1c4d6f80",
      formId: "1c8e6d3f-9b52-4a8f-8e4b-6f3c2d5e7a91",
      contentType: "image/jpeg",
      bytes: 3,
      dataEnc: before.encrypt("/9j/"),
      thumbEnc: before.encrypt("/9j/"),
      sha256: "x",
      source: "staff",
    });

    const after = createFieldCipher(parseFieldKeys(`${newKey},${oldKey}`, newIndex));
    const result = await rotateFieldKeys(database, after, { batchSize: 2 });
    expect(result.residents).toBe(5);
    expect(result.needs).toBe(1);
    expect(result.formPhotos).toBe(1);
    const [need] = await database.query<{ contact_enc: string }>("select contact_enc from needs");
    expect(need!.contact_enc.startsWith("enc:v1:new:")).toBe(true);
    const [photo] = await database.query<{ data_enc: string; thumb_enc: string }>(
      "select data_enc, thumb_enc from form_photos",
    );
    expect(photo!.data_enc.startsWith("enc:v1:new:")).toBe(true);
    expect(photo!.thumb_enc.startsWith("enc:v1:new:")).toBe(true);

    const raw = await database.query<{
      flags_enc: string;
      health_notes_enc: string;
      id_number_enc: string;
      flag_tokens: string[];
      id_number_hash: string;
    }>(
      "select flags_enc, health_notes_enc, id_number_enc, flag_tokens, id_number_hash from residents",
    );
    const onlyNew = createFieldCipher(parseFieldKeys(newKey, newIndex));
    for (const r of raw) {
      for (const v of [r.flags_enc, r.health_notes_enc, r.id_number_enc]) {
        expect(v.startsWith("enc:v1:new:")).toBe(true);
        expect(() => onlyNew.decrypt(v)).not.toThrow();
      }
      expect(onlyNew.decryptJson(r.flags_enc)).toEqual(["disability", "lives_alone"]);
      expect(r.flag_tokens.sort()).toEqual(
        [
          flagToken(onlyNew, departmentId, "disability"),
          flagToken(onlyNew, departmentId, "lives_alone"),
        ].sort(),
      );
      expect(r.id_number_hash).toBe(idNumberToken(onlyNew, departmentId, "123456782"));
      expect(r.id_number_hash).not.toBe(idNumberToken(before, departmentId, "123456782"));
    }
    // Running again changes nothing that matters (idempotent).
    await rotateFieldKeys(database, after);
    const again = await database.query<{ id_number_hash: string }>(
      "select id_number_hash from residents",
    );
    expect(
      again.every((r) => r.id_number_hash === idNumberToken(onlyNew, departmentId, "123456782")),
    ).toBe(true);
  });
});
