import { PgTransaction } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@kaveret/db";

/** An ILIKE pattern matching `text` anywhere, with the user's % and _ taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** The rows of a raw `db.execute()` result (drizzle returns `{ rows }` on both drivers). */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/**
 * Runs independent reads together on the pool, or one after another inside a transaction:
 * a transaction is one connection, where pg would only queue overlapping queries (and warns
 * that pg@9 will refuse them).
 */
export async function readTogether<T extends readonly unknown[]>(
  db: DbOrTx,
  work: { readonly [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  if (!(db instanceof PgTransaction)) {
    return (await Promise.all(work.map((w) => w()))) as unknown as T;
  }
  const out: unknown[] = [];
  for (const w of work) out.push(await w());
  return out as unknown as T;
}
