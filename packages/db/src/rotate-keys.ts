import type { Database } from "./client.ts";
import type { FieldCipher } from "./field-crypto.ts";
import { decryptFlags, residentStoredFields } from "./resident-values.ts";

export type RotationProgress = { table: string; done: number };
export type RotationResult = {
  residents: number;
  merges: number;
  imports: number;
  needs: number;
  attachments: number;
  formPhotos: number;
};

type ResidentSecrets = {
  department_id: string;
  id: string;
  flags_enc: string | null;
  health_notes_enc: string | null;
  id_number_enc: string | null;
};

/**
 * Re-encrypts every sensitive value with the cipher's current key and recomputes
 * the blind indexes with its index key. The cipher must still hold the old keys
 * (they follow the new one in DATA_ENCRYPTION_KEYS). Idempotent: running it twice
 * is harmless, and an interrupted run can simply be started again. Works in
 * batches (keyset pagination), each its own short transaction, so the app keeps
 * running meanwhile. Versions and update times are not touched: nothing changed
 * for the people using the records.
 */
export async function rotateFieldKeys(
  database: Database,
  cipher: FieldCipher,
  options: { batchSize?: number; onProgress?: (p: RotationProgress) => void } = {},
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 1000;
  let residents = 0;
  let after: [string, string] = [
    "00000000-0000-0000-0000-000000000000",
    "00000000-0000-0000-0000-000000000000",
  ];
  for (;;) {
    const rows = await database.query<ResidentSecrets>(
      `select department_id, id, flags_enc, health_notes_enc, id_number_enc from residents
       where (department_id, id) > ($1::uuid, $2::uuid)
         and (flags_enc is not null or health_notes_enc is not null or id_number_enc is not null
              or cardinality(flag_tokens) > 0 or id_number_hash is not null)
       order by department_id, id limit ${batchSize}`,
      after,
    );
    if (rows.length === 0) break;
    const updates = rows.map((r) => {
      const stored = residentStoredFields(cipher, r.department_id, {
        flags: decryptFlags(cipher, r.flags_enc),
        healthNotes: r.health_notes_enc ? cipher.decrypt(r.health_notes_enc) : null,
        idNumber: r.id_number_enc ? cipher.decrypt(r.id_number_enc) : null,
      });
      return {
        department_id: r.department_id,
        id: r.id,
        flags_enc: stored.flagsEnc ?? null,
        flag_tokens: stored.flagTokens ?? [],
        health_notes_enc: stored.healthNotesEnc ?? null,
        id_number_enc: stored.idNumberEnc ?? null,
        id_number_hash: stored.idNumberHash ?? null,
      };
    });
    await database.query(
      `update residents r set
         flags_enc = v.flags_enc,
         flag_tokens = array(select jsonb_array_elements_text(v.flag_tokens)),
         health_notes_enc = v.health_notes_enc,
         id_number_enc = v.id_number_enc,
         id_number_hash = v.id_number_hash
       from jsonb_to_recordset($1::jsonb) as v(department_id uuid, id uuid, flags_enc text,
         flag_tokens jsonb, health_notes_enc text, id_number_enc text, id_number_hash text)
       where r.department_id = v.department_id and r.id = v.id`,
      [JSON.stringify(updates)],
    );
    residents += rows.length;
    const last = rows[rows.length - 1]!;
    after = [last.department_id, last.id];
    options.onProgress?.({ table: "residents", done: residents });
  }

  const merges = await reencryptColumn(
    database,
    cipher,
    "resident_merges",
    "snapshot_enc",
    batchSize,
  );
  options.onProgress?.({ table: "resident_merges", done: merges });
  const imports = await reencryptColumn(database, cipher, "import_jobs", "file_enc", batchSize);
  options.onProgress?.({ table: "import_jobs", done: imports });
  const needs = await reencryptColumn(database, cipher, "needs", "contact_enc", batchSize);
  options.onProgress?.({ table: "needs", done: needs });
  const attachments = await reencryptColumn(
    database,
    cipher,
    "need_attachments",
    "data_enc",
    Math.min(batchSize, 20),
  );
  options.onProgress?.({ table: "need_attachments", done: attachments });
  const formPhotos = await reencryptColumn(
    database,
    cipher,
    "form_photos",
    "data_enc",
    Math.min(batchSize, 20),
  );
  // Their thumbnails (same rows, smaller values: larger batches).
  await reencryptColumn(database, cipher, "form_photos", "thumb_enc", Math.min(batchSize, 100));
  options.onProgress?.({ table: "form_photos", done: formPhotos });
  // SMS/WhatsApp conversations in progress last 30 minutes: they are simply dropped (the
  // resident's next message starts afresh) rather than re-keyed.
  await database.query("delete from channel_conversations");
  return { residents, merges, imports, needs, attachments, formPhotos };
}

/** Re-encrypts one encrypted text column of a (department_id, id)-keyed table. */
async function reencryptColumn(
  database: Database,
  cipher: FieldCipher,
  table: "resident_merges" | "import_jobs" | "needs" | "need_attachments" | "form_photos",
  column: "snapshot_enc" | "file_enc" | "contact_enc" | "data_enc" | "thumb_enc",
  batchSize: number,
): Promise<number> {
  let done = 0;
  let after: [string, string] = [
    "00000000-0000-0000-0000-000000000000",
    "00000000-0000-0000-0000-000000000000",
  ];
  for (;;) {
    const rows = await database.query<{ department_id: string; id: string; value: string }>(
      `select department_id, id, ${column} as value from ${table}
       where (department_id, id) > ($1::uuid, $2::uuid) and ${column} is not null
       order by department_id, id limit ${batchSize}`,
      after,
    );
    if (rows.length === 0) return done;
    const updates = rows
      .filter((r) => cipher.needsRotation(r.value))
      .map((r) => ({
        department_id: r.department_id,
        id: r.id,
        value: cipher.encrypt(cipher.decrypt(r.value)),
      }));
    if (updates.length) {
      await database.query(
        `update ${table} t set ${column} = v.value
         from jsonb_to_recordset($1::jsonb) as v(department_id uuid, id uuid, value text)
         where t.department_id = v.department_id and t.id = v.id`,
        [JSON.stringify(updates)],
      );
    }
    done += updates.length;
    const last = rows[rows.length - 1]!;
    after = [last.department_id, last.id];
  }
}
