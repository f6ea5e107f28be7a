import type { TFunction } from "i18next";
import { intlLocaleOf, type UiLocale } from "../../i18n/locales.ts";
import type { SyncState } from "./sync-store.ts";

const formats = new Map<string, Intl.RelativeTimeFormat>();

/** "2 minutes ago", "in 40 seconds", in the reader's language (Intl does every language). */
export function relativeTime(
  t: TFunction,
  at: number | null,
  now: number,
  locale: UiLocale,
): string {
  if (at === null) return t("sync.time.never");
  const seconds = Math.round((at - now) / 1000);
  const abs = Math.abs(seconds);
  if (seconds <= 0 && abs < 45) return t("sync.time.justNow");
  const key = intlLocaleOf(locale);
  let fmt = formats.get(key);
  if (!fmt) {
    fmt = new Intl.RelativeTimeFormat(`${key}-u-nu-latn`, { numeric: "auto" });
    formats.set(key, fmt);
  }
  if (abs < 45) return fmt.format(seconds, "second");
  if (abs < 45 * 60) return fmt.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return fmt.format(Math.round(seconds / 3600), "hour");
  return fmt.format(Math.round(seconds / 86_400), "day");
}

export type SyncTone = "offline" | "syncing" | "failed" | "attention" | "pending" | "synced";

/** The one word the indicator shows, most pressing first. */
export function toneOf(s: SyncState): SyncTone {
  if (!s.online) return "offline";
  if (s.syncing) return "syncing";
  if (s.lastError) return "failed";
  if (s.conflicts + s.rejected > 0) return "attention";
  if (s.pending > 0) return "pending";
  return "synced";
}

/** A sync error's reason in words (codes the indicator knows, else a general one). */
export function syncErrorText(t: TFunction, code: string): string {
  return t(`sync.error.${code}`, { defaultValue: t("sync.error.generic") });
}
