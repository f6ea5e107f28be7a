import type {
  Broadcast,
  BroadcastAudience,
  BroadcastChannel,
  BroadcastLanguage,
  BroadcastListItem,
  BroadcastMessages,
  BroadcastProgress,
  DeliveryStatus,
} from "@kaveret/contracts";
import { BROADCAST_CHANNELS } from "@kaveret/contracts";
import type { schema } from "@kaveret/db";
import type { BroadcastRow } from "./broadcasts.repository.ts";
import { messageLanguages } from "./broadcasts.texts.ts";

/** The only way a broadcast row becomes JSON. Texts are the department's, not personal data. */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentListItem(
  row: BroadcastRow,
  createdByName: string | null,
): BroadcastListItem {
  return {
    id: row.id,
    title: row.title,
    status: row.status as BroadcastListItem["status"],
    channels: row.channels as BroadcastChannel[],
    languages: messageLanguages(row.messages as BroadcastMessages),
    emergencyId: row.emergencyId,
    urgent: row.urgent,
    total: row.total,
    sent: row.sent,
    delivered: row.delivered,
    failed: row.failed,
    createdAt: row.createdAt.toISOString(),
    confirmedAt: iso(row.confirmedAt),
    createdByName,
  };
}

/** Progress from the deliveries themselves (exact), by channel and status. */
export function presentProgress(
  row: BroadcastRow,
  counts: { channel: BroadcastChannel; status: string; n: number }[],
): BroadcastProgress {
  const byChannel = Object.fromEntries(
    BROADCAST_CHANNELS.map((c) => [c, { total: 0, sent: 0, delivered: 0, failed: 0 }]),
  ) as BroadcastProgress["byChannel"];
  const totals: Record<DeliveryStatus, number> = {
    queued: 0,
    sent: 0,
    delivered: 0,
    failed: 0,
    skipped: 0,
  };
  for (const c of counts) {
    const n = Number(c.n);
    totals[c.status as DeliveryStatus] += n;
    const ch = byChannel[c.channel];
    if (!ch) continue;
    ch.total += n;
    if (c.status === "sent") ch.sent += n;
    if (c.status === "delivered") ch.delivered += n;
    if (c.status === "failed" || c.status === "skipped") ch.failed += n;
  }
  return {
    id: row.id,
    status: row.status as BroadcastProgress["status"],
    total: Object.values(totals).reduce((a, b) => a + b, 0),
    ...totals,
    byChannel,
    deferredUntil: iso(row.deferredUntil),
  };
}

export function presentBroadcast(
  row: BroadcastRow,
  names: Map<string, string>,
  counts: { channel: BroadcastChannel; status: string; n: number }[],
  can: Broadcast["can"],
): Broadcast {
  return {
    id: row.id,
    title: row.title,
    status: row.status as Broadcast["status"],
    audience: row.audience as BroadcastAudience,
    channels: row.channels as BroadcastChannel[],
    channelMode: row.channelMode as "all" | "first",
    messages: row.messages as BroadcastMessages,
    emergencyId: row.emergencyId,
    urgent: row.urgent,
    quietHoursBypassed: row.quietHoursBypassed,
    createdAt: row.createdAt.toISOString(),
    createdByName: row.createdBy ? (names.get(row.createdBy) ?? null) : null,
    confirmedAt: iso(row.confirmedAt),
    confirmedByName: row.confirmedBy ? (names.get(row.confirmedBy) ?? null) : null,
    finishedAt: iso(row.finishedAt),
    version: row.version,
    progress: presentProgress(row, counts),
    can,
  };
}

export function presentDelivery(d: typeof schema.broadcastDeliveries.$inferSelect) {
  return {
    id: String(d.id),
    residentId: d.residentId,
    channel: d.channel as BroadcastChannel,
    language: d.language as BroadcastLanguage,
    status: d.status as DeliveryStatus,
    error: d.error,
    sentAt: iso(d.sentAt),
    deliveredAt: iso(d.deliveredAt),
  };
}

export function presentNotification(n: typeof schema.notifications.$inferSelect) {
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    createdAt: n.createdAt.toISOString(),
    readAt: iso(n.readAt),
  };
}
