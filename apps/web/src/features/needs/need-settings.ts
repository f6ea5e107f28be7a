/** Pure helpers of the needs settings page (category order, widget origins). */

interface Ordered {
  code: string;
  sortOrder: number;
}

/** Categories in their shown order (sort order, then code). */
export function inOrder<T extends Ordered>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
}

/**
 * Moves one category a step up or down. Returns the sort orders to save (only the ones
 * that change). Orders are renumbered 10, 20, 30 … when equal ones would make a swap a no-op.
 */
export function moveCategory(
  items: readonly Ordered[],
  code: string,
  direction: -1 | 1,
): { code: string; sortOrder: number }[] {
  const list = inOrder(items);
  const i = list.findIndex((c) => c.code === code);
  const j = i + direction;
  if (i < 0 || j < 0 || j >= list.length) return [];
  const distinct = new Set(list.map((c) => c.sortOrder)).size === list.length;
  const before = new Map(list.map((c) => [c.code, c.sortOrder]));
  const orders = distinct ? list.map((c) => c.sortOrder) : list.map((_, k) => (k + 1) * 10);
  const codes = list.map((c) => c.code);
  [codes[i], codes[j]] = [codes[j]!, codes[i]!];
  const out: { code: string; sortOrder: number }[] = [];
  codes.forEach((c, k) => {
    const next = Math.min(999, orders[k]!);
    if (before.get(c) !== next) out.push({ code: c, sortOrder: next });
  });
  return out;
}

/** The sort order a new category gets: after the last one. */
export function nextSortOrder(items: readonly Ordered[]): number {
  const max = items.reduce((m, c) => Math.max(m, c.sortOrder), 0);
  return Math.min(999, max + 10);
}

/** Typed origins, cleaned: trimmed, no trailing slash, lower-case host, no repeats, no blanks. */
export function cleanOrigins(list: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of list) {
    const s = raw.trim().replace(/\/+$/, "");
    if (!s) continue;
    const m = /^(https?):\/\/([^/:]+)(:\d+)?$/i.exec(s);
    const v = m ? `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}${m[3] ?? ""}` : s;
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** A code suggestion from an English label ("Digital skills" → "digital_skills"). */
export function codeFromLabel(label: string): string {
  const s = label
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/^[0-9_]+/, "")
    .slice(0, 40);
  return s;
}
