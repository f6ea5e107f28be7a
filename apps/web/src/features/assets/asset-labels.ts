/** The name to show in the reader's language: its own name there when it has one. */
export function displayName(a: { name: string; altNames: Record<string, string> }, locale: string) {
  return a.altNames[locale]?.trim() || a.name;
}

/** The asset's other names (the main one included when it is not the one shown). */
export function otherNames(
  a: { name: string; altNames: Record<string, string> },
  locale: string,
): string[] {
  const shown = displayName(a, locale);
  const all = [a.name, ...Object.values(a.altNames)].map((n) => n.trim()).filter(Boolean);
  return [...new Set(all)].filter((n) => n !== shown);
}

/**
 * A stored phone number as people write it in Israel: +972 4 612 3456 → 04-6123456,
 * +972 50 123 4567 → 050-1234567, 1800222333 → 1-800-222-333; others as stored.
 */
export function displayPhone(phone: string): string {
  const local = /^\+972(\d{8,9})$/.exec(phone);
  if (local) {
    const digits = `0${local[1]}`;
    const area = /^0(5\d|7\d)/.test(digits) ? 3 : 2;
    return `${digits.slice(0, area)}-${digits.slice(area)}`;
  }
  const toll = /^1([5789]00)(\d{3})(\d{3})$/.exec(phone);
  if (toll) return `1-${toll[1]}-${toll[2]}-${toll[3]}`;
  return phone;
}
