import { intlLocaleOf, type UiLocale } from "../i18n/locales.ts";

const dateTimeCache = new Map<string, Intl.DateTimeFormat>();

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** dd.MM.yyyy HH:mm in Israel time, with Western digits, in any UI language. */
export function formatDateTime(iso: string, locale: UiLocale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const key = intlLocaleOf(locale);
  let fmt = dateTimeCache.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(`${key}-u-nu-latn`, {
      timeZone: "Asia/Jerusalem",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    dateTimeCache.set(key, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(d)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return `${pad(parts.day ?? 0)}.${pad(parts.month ?? 0)}.${parts.year ?? 0} ${pad(parts.hour ?? 0)}:${pad(parts.minute ?? 0)}`;
}

/** dd.MM.yyyy in Israel time. */
export function formatDate(iso: string, locale: UiLocale): string {
  return formatDateTime(iso, locale).slice(0, 10);
}

export function formatNumber(n: number, locale: UiLocale): string {
  return new Intl.NumberFormat(`${intlLocaleOf(locale)}-u-nu-latn`).format(n);
}

/**
 * A name or other person-made text inside a sentence, isolated (FSI … PDI) so a Hebrew
 * name ending in a number ("מקלט ציבורי 15") keeps its order inside an English sentence,
 * and "אל-נור → נווה שלום" is not read backwards around the arrow.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
