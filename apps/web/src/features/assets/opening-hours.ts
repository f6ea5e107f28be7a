import { WEEKDAYS, type OpeningHoursItem, type Weekday } from "@kaveret/contracts";

/** Sunday to Thursday: the Israeli working week ("copy to weekdays"). */
export const WORK_WEEK: readonly Weekday[] = ["su", "mo", "tu", "we", "th"];

const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Sun: "su",
  Mon: "mo",
  Tue: "tu",
  Wed: "we",
  Thu: "th",
  Fri: "fr",
  Sat: "sa",
};

let clock: Intl.DateTimeFormat | null = null;

/** The day and time of day ("HH:MM") in Israel at `at`. */
export function israelTime(at: Date): { day: Weekday; time: string } {
  clock ??= new Intl.DateTimeFormat("en-US", {
    timeZone: "Asia/Jerusalem",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const parts: Record<string, string> = {};
  for (const p of clock.formatToParts(at)) parts[p.type] = p.value;
  return {
    day: WEEKDAY_BY_SHORT[parts.weekday ?? "Sun"] ?? "su",
    time: `${parts.hour ?? "00"}:${parts.minute ?? "00"}`,
  };
}

/** Whether the place is open at `at` (Israel time); null when it has no hours at all. */
export function isOpenAt(hours: readonly OpeningHoursItem[], at: Date): boolean | null {
  if (hours.length === 0) return null;
  const { day, time } = israelTime(at);
  return hours.some((h) => h.day === day && h.opens <= time && time < h.closes);
}

/** The week, Sunday first, with each day's rows by opening time. */
export function weekOf<T extends { day: Weekday; opens: string }>(
  hours: readonly T[],
): { day: Weekday; rows: T[] }[] {
  return WEEKDAYS.map((day) => ({
    day,
    rows: hours.filter((h) => h.day === day).sort((a, b) => a.opens.localeCompare(b.opens)),
  }));
}

/** "24:00" reads as midnight. */
export const displayTime = (time: string): string => (time === "24:00" ? "00:00" : time);
