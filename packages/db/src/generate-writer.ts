import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "./client.ts";
import type { FieldCipher } from "./field-crypto.ts";
import { residentStoredFields } from "./resident-values.ts";
import type { GeneratedBatch } from "./generate-residents.ts";

/**
 * Fast bulk writes for the demo seed and the scale generator: one
 * `insert … select … from unnest($1::uuid[], $2::text[], …)` per table and
 * batch — a single statement with one parameter per column, whatever the number
 * of rows (no 65,535-parameter limit, no per-row round trips), the same SQL on
 * PGlite and PostgreSQL. Sensitive fields go through `residentStoredFields`,
 * exactly as the residents service writes them.
 */

type ColumnType = "uuid" | "text" | "int" | "float8" | "bool" | "timestamptz" | "text[]" | "jsonb";
export type Column = readonly [name: string, type: ColumnType];

/** A PostgreSQL array literal of strings ({"a","b \"c\""}). */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

/**
 * The statements inserting rows (values in column order) into a tenant table,
 * department_id first: one per chunk of rows. Building them is the CPU part;
 * running them (`db.execute`) the database's.
 */
export function unnestInserts(
  table: string,
  departmentId: string,
  columns: readonly Column[],
  rows: readonly unknown[][],
  chunk = 5000,
): SQL[] {
  const statements: SQL[] = [];
  const names = columns.map(([name]) => name).join(", ");
  const selected = columns
    .map(([name, type]) =>
      type === "text[]" || type === "jsonb" ? `u.${name}::${type}` : `u.${name}`,
    )
    .join(", ");
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const arrays: SQL[] = columns.map(([, type], i) => {
      const values = part.map((row) => {
        const v = row[i];
        if (v === null || v === undefined) return null;
        if (type === "text[]") return pgTextArray(v as string[]);
        if (type === "jsonb") return JSON.stringify(v);
        if (v instanceof Date) return v.toISOString();
        return v;
      });
      const paramType = type === "text[]" || type === "jsonb" ? "text" : type;
      return sql`${sql.param(values)}::${sql.raw(paramType)}[]`;
    });
    statements.push(
      sql`insert into ${sql.raw(table)} (department_id, ${sql.raw(names)})
        select ${departmentId}::uuid, ${sql.raw(selected)}
        from unnest(${sql.join(arrays, sql`, `)}) as u(${sql.raw(names)})`,
    );
  }
  return statements;
}

/** Inserts rows (values in column order) into a tenant table, department_id first. */
export async function insertUnnest(
  db: DbOrTx,
  table: string,
  departmentId: string,
  columns: readonly Column[],
  rows: readonly unknown[][],
  chunk = 5000,
): Promise<void> {
  for (const statement of unnestInserts(table, departmentId, columns, rows, chunk))
    await db.execute(statement);
}

const RESIDENT_COLUMNS = [
  ["id", "uuid"],
  ["first_name", "text"],
  ["last_name", "text"],
  ["other_names", "text"],
  ["search_text", "text"],
  ["phone", "text"],
  ["email", "text"],
  ["birth_year", "int"],
  ["gender", "text"],
  ["street_id", "uuid"],
  ["house_number", "text"],
  ["apartment", "text"],
  ["lat", "float8"],
  ["lon", "float8"],
  ["home_community_id", "uuid"],
  ["languages", "text[]"],
  ["household_id", "uuid"],
  ["household_role", "text"],
  ["community_roles", "text[]"],
  ["skills", "text[]"],
  ["consents", "text[]"],
  ["flags_enc", "text"],
  ["flag_tokens", "text[]"],
  ["health_notes_enc", "text"],
  ["id_number_enc", "text"],
  ["id_number_hash", "text"],
  ["notes", "text"],
  ["user_id", "text"],
  ["created_at", "timestamptz"],
  ["updated_at", "timestamptz"],
  ["created_by", "text"],
] as const satisfies readonly Column[];

export type WriteOptions = {
  /** Who recorded the consents and made the records (a staff user id), or null (an import). */
  recordedBy: string | null;
};

export type WriteCounts = {
  households: number;
  residents: number;
  memberships: number;
  consentEvents: number;
};

export type PreparedBatch = { statements: SQL[]; counts: WriteCounts };

/** Writes a generated batch: households, residents (encrypted fields), memberships, consent history. */
export async function writeResidentBatch(
  db: DbOrTx,
  cipher: FieldCipher,
  departmentId: string,
  batch: GeneratedBatch,
  options: WriteOptions,
): Promise<WriteCounts> {
  const prepared = prepareResidentBatch(cipher, departmentId, batch, options);
  for (const statement of prepared.statements) await db.execute(statement);
  return prepared.counts;
}

/**
 * The statements that write a batch, built ahead (encryption, search keys,
 * parameter arrays), so the scale generator can build the next batch while the
 * database writes this one.
 */
export function prepareResidentBatch(
  cipher: FieldCipher,
  departmentId: string,
  batch: GeneratedBatch,
  options: WriteOptions,
): PreparedBatch {
  const recordedBy = options.recordedBy;
  const statements = unnestInserts(
    "households",
    departmentId,
    [
      ["id", "uuid"],
      ["label", "text"],
    ],
    batch.households.map((h) => [h.id, h.label]),
  );
  const residentRows: unknown[][] = [];
  const memberships: unknown[][] = [];
  const consents: unknown[][] = [];
  for (const r of batch.residents) {
    const stored = residentStoredFields(cipher, departmentId, {
      firstName: r.firstName,
      lastName: r.lastName,
      otherNames: r.otherNames,
      flags: r.flags,
      healthNotes: r.healthNotes,
      idNumber: r.idNumber,
    });
    residentRows.push([
      r.id,
      r.firstName,
      r.lastName,
      r.otherNames,
      stored.searchText ?? "",
      r.phone,
      r.email,
      r.birthYear,
      r.gender,
      r.streetId,
      r.houseNumber,
      r.apartment,
      r.lat,
      r.lon,
      r.homeCommunityId,
      r.languages,
      r.householdId,
      r.householdRole,
      r.communityRoles,
      r.skills,
      r.consents,
      stored.flagsEnc ?? null,
      stored.flagTokens ?? [],
      stored.healthNotesEnc ?? null,
      stored.idNumberEnc ?? null,
      stored.idNumberHash ?? null,
      r.notes,
      r.userId,
      r.createdAt,
      r.createdAt,
      recordedBy,
    ]);
    for (const m of r.communities) memberships.push([r.id, m.communityId, m.source, r.createdAt]);
    for (const e of r.consentEvents) {
      consents.push([
        crypto.randomUUID(),
        r.id,
        e.purpose,
        e.granted,
        e.method,
        e.note,
        recordedBy,
        e.recordedAt,
      ]);
    }
  }
  statements.push(...unnestInserts("residents", departmentId, RESIDENT_COLUMNS, residentRows));
  statements.push(
    ...unnestInserts(
      "resident_communities",
      departmentId,
      [
        ["resident_id", "uuid"],
        ["community_id", "uuid"],
        ["source", "text"],
        ["created_at", "timestamptz"],
      ],
      memberships,
    ),
  );
  statements.push(
    ...unnestInserts(
      "resident_consents",
      departmentId,
      [
        ["id", "uuid"],
        ["resident_id", "uuid"],
        ["purpose", "text"],
        ["granted", "bool"],
        ["method", "text"],
        ["note", "text"],
        ["recorded_by", "text"],
        ["recorded_at", "timestamptz"],
      ],
      consents,
    ),
  );
  return {
    statements,
    counts: {
      households: batch.households.length,
      residents: residentRows.length,
      memberships: memberships.length,
      consentEvents: consents.length,
    },
  };
}
