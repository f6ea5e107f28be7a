import type { TFunction } from "i18next";

/** An Israeli number as people write it (054-128-6284, 04-600-0000); others as stored. */
export function displayPhone(e164: string): string {
  const m = /^\+972(\d+)$/.exec(e164);
  if (!m) return e164;
  const local = `0${m[1]}`;
  if (/^05\d{8}$/.test(local) || /^07\d{8}$/.test(local)) {
    return `${local.slice(0, 3)}-${local.slice(3, 6)}-${local.slice(6)}`;
  }
  if (/^0[2-9]\d{7}$/.test(local))
    return `${local.slice(0, 2)}-${local.slice(2, 5)}-${local.slice(5)}`;
  return local;
}

const KNOWN_SOURCES = new Set(["manual", "cbs", "import"]);

/** A figure's source: known codes translated, anything else as written. */
export function sourceLabel(t: TFunction, source: string): string {
  const key = source.trim().toLowerCase();
  return KNOWN_SOURCES.has(key) ? t(`communityPage.figures.sources.${key}`) : source;
}
