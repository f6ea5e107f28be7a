import { WEEKDAYS, type OpeningHoursRow, type Weekday } from "@kaveret/contracts";
import { foldWord } from "./mapping.ts";
import { DAY_WORDS, labelOf, type ExportLocale } from "./vocabulary.ts";

/**
 * Opening hours written as text, in Hebrew, Arabic or English:
 * "א-ה 08:00-16:00, ו 08:00-12:00", "ראשון עד חמישי 8-16",
 * "Sun-Thu 08:00-16:00; Fri 8:00-12:00", "الأحد-الخميس 08:00-16:00",
 * "א-ה 08:00-12:00 16:00-19:00" (two openings on the same days).
 */

const DAY_BY_WORD = new Map<string, Weekday>();
for (const day of WEEKDAYS) {
  const w = DAY_WORDS[day];
  for (const word of [...w.he, ...w.ar, ...w.en]) DAY_BY_WORD.set(foldWord(word), day);
}

const TIME = String.raw`(\d{1,2})(?:[:.](\d{2}))?`;
const TIME_RANGE = new RegExp(
  String.raw`${TIME}\s*(?:-|–|—|עד|to|until|حتى|الى|إلى)\s*${TIME}`,
  "giu",
);

function time(h: string, m: string | undefined): string | null {
  const hour = Number(h);
  const minute = m === undefined ? 0 : Number(m);
  if (hour > 24 || minute > 59 || (hour === 24 && minute > 0)) return null;
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

function dayOf(word: string): Weekday | null {
  // "יום ראשון", "א'", "Sun." — the folded word, also without "יום".
  const f = foldWord(word);
  return DAY_BY_WORD.get(f) ?? DAY_BY_WORD.get(f.replace(/^יומ?/, "")) ?? null;
}

/** The days a text names: single days and ranges ("א-ה", "Sun to Thu", "א,ג,ה"). */
function parseDays(text: string): Weekday[] | null {
  const cleaned = text.replace(/[:]/g, " ").trim();
  if (!cleaned) return [];
  const out: Weekday[] = [];
  for (const part of cleaned.split(/[,،;/&]|\s+ו(?=\S)|\s+and\s+|\s+و(?=\S)/u)) {
    const p = part.trim();
    if (!p) continue;
    const range =
      /^(.+?)\s*(?:-|–|—|\s+עד\s+|\s+to\s+|\s+حتى\s+|\s+الى\s+|\s+إلى\s+)\s*(.+)$/iu.exec(p);
    if (range) {
      const from = dayOf(range[1]!);
      const to = dayOf(range[2]!);
      if (!from || !to) return null;
      let i = WEEKDAYS.indexOf(from);
      const end = WEEKDAYS.indexOf(to);
      for (let guard = 0; guard < 7; guard++) {
        if (!out.includes(WEEKDAYS[i]!)) out.push(WEEKDAYS[i]!);
        if (i === end) break;
        i = (i + 1) % 7;
      }
      continue;
    }
    const day = dayOf(p);
    if (!day) return null;
    if (!out.includes(day)) out.push(day);
  }
  return out;
}

/** The weekly rows of an opening-hours text, or null when it cannot be read. */
export function parseOpeningHours(text: string): OpeningHoursRow[] | null {
  const source = text.replace(/\s+/g, " ").trim();
  if (!source) return [];
  const rows: OpeningHoursRow[] = [];
  let days: Weekday[] = [];
  let last = 0;
  TIME_RANGE.lastIndex = 0;
  for (let m = TIME_RANGE.exec(source); m; m = TIME_RANGE.exec(source)) {
    const between = source
      .slice(last, m.index)
      .replace(/^[\s,;|]+|[\s,;|]+$/g, "")
      .trim();
    if (between) {
      const parsed = parseDays(between);
      if (!parsed || parsed.length === 0) return null;
      days = parsed;
    }
    if (days.length === 0) return null;
    const opens = time(m[1]!, m[2]);
    const closes = time(m[3]!, m[4]);
    if (!opens || !closes || opens === "24:00") return null;
    for (const day of days) rows.push({ day, opens, closes, note: "" });
    last = m.index + m[0].length;
  }
  if (source.slice(last).replace(/[\s,;.|]/g, "") !== "" || rows.length === 0) return null;
  return rows;
}

/** Opening hours as one line in a language ("א-ה 08:00-16:00; ו 08:00-12:00"), readable back. */
export function formatOpeningHours(
  rows: { day: string; opens: string; closes: string }[],
  locale: ExportLocale,
): string {
  // Same hours on consecutive days are written as a range.
  const byDay = new Map<string, string>();
  for (const r of rows) {
    const span = `${r.opens}-${r.closes}`;
    byDay.set(r.day, byDay.has(r.day) ? `${byDay.get(r.day)} ${span}` : span);
  }
  const parts: string[] = [];
  let i = 0;
  while (i < WEEKDAYS.length) {
    const hours = byDay.get(WEEKDAYS[i]!);
    if (!hours) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < WEEKDAYS.length && byDay.get(WEEKDAYS[j + 1]!) === hours) j++;
    const from = labelOf(DAY_WORDS, WEEKDAYS[i]!, locale);
    const to = labelOf(DAY_WORDS, WEEKDAYS[j]!, locale);
    parts.push(`${i === j ? from : `${from}-${to}`} ${hours}`);
    i = j + 1;
  }
  return parts.join("; ");
}
