import type { BroadcastLanguage, BroadcastStatus, Role } from "@kaveret/contracts";

/** Who composes broadcasts (the server decides per audience anyway). */
export const canBroadcast = (roles: readonly Role[]) =>
  roles.includes("manager") || roles.includes("community_worker");

export const canSetQuietHours = (roles: readonly Role[]) => roles.includes("manager");

export const STATUS_COLOR: Record<BroadcastStatus, string> = {
  draft: "gray",
  confirmed: "blue",
  sending: "blue",
  done: "green",
  cancelled: "red",
};

/** Text direction of a message language. */
export const dirOf = (language: BroadcastLanguage): "rtl" | "ltr" =>
  language === "he" || language === "ar" ? "rtl" : "ltr";

/** Share of the recipients processed (sent, delivered, failed or skipped), 0–100. */
export function processedPercent(p: { total: number; queued: number }): number {
  if (p.total === 0) return 0;
  return Math.round(((p.total - p.queued) / p.total) * 100);
}
