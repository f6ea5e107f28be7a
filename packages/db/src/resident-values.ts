import { buildSearchText, canonicalIsraeliId } from "@kaveret/contracts";
import type { FieldCipher } from "./field-crypto.ts";
import type * as schema from "./schema.ts";

type ResidentInsert = typeof schema.residents.$inferInsert;

/** A resident's stored fields as people give them (sensitive ones in the clear, before encryption). */
export type ResidentPlainFields = {
  firstName: string;
  lastName: string;
  otherNames?: string;
  flags?: readonly string[] | null;
  healthNotes?: string | null;
  /** Validated before (check digit); stored encrypted, matched through its blind index. */
  idNumber?: string | null;
};

/**
 * The one place that turns a resident's names and sensitive fields into their
 * stored form: search keys, encrypted values and blind-index tokens. Used by the
 * residents service, imports and the demo/scale generator, so all write the same.
 * Only the keys present in `fields` are returned (a partial update stays partial).
 */
export function residentStoredFields(
  cipher: FieldCipher,
  departmentId: string,
  fields: Partial<ResidentPlainFields>,
  current?: { firstName: string; lastName: string; otherNames: string },
): Partial<ResidentInsert> {
  const out: Partial<ResidentInsert> = {};
  if (
    fields.firstName !== undefined ||
    fields.lastName !== undefined ||
    fields.otherNames !== undefined
  ) {
    const firstName = fields.firstName ?? current?.firstName ?? "";
    const lastName = fields.lastName ?? current?.lastName ?? "";
    const otherNames = fields.otherNames ?? current?.otherNames ?? "";
    out.searchText = buildSearchText([firstName, lastName, otherNames]);
  }
  if (fields.flags !== undefined) {
    const flags = [...new Set(fields.flags ?? [])].sort();
    out.flagsEnc = flags.length ? cipher.encryptJson(flags) : null;
    out.flagTokens = flags.map((f) => flagToken(cipher, departmentId, f));
  }
  if (fields.healthNotes !== undefined) {
    out.healthNotesEnc = fields.healthNotes ? cipher.encrypt(fields.healthNotes) : null;
  }
  if (fields.idNumber !== undefined) {
    const id = fields.idNumber ? canonicalIsraeliId(fields.idNumber) : null;
    out.idNumberEnc = id ? cipher.encrypt(id) : null;
    out.idNumberHash = id ? idNumberToken(cipher, departmentId, id) : null;
  }
  return out;
}

/** The blind-index token of one vulnerability flag (filter with `flag_tokens @> array[token]`). */
export function flagToken(cipher: FieldCipher, departmentId: string, flag: string): string {
  return cipher.blindIndex(departmentId, "flag", flag);
}

/** The blind-index token of an ID number (any accepted spelling). */
export function idNumberToken(cipher: FieldCipher, departmentId: string, idNumber: string): string {
  return cipher.blindIndex(departmentId, "id", canonicalIsraeliId(idNumber));
}

/** Decrypts the stored flags (empty when none). */
export function decryptFlags(cipher: FieldCipher, flagsEnc: string | null): string[] {
  return flagsEnc ? cipher.decryptJson<string[]>(flagsEnc) : [];
}
