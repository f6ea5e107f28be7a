import { BROADCAST_STATUSES, type BroadcastStatus } from "@kaveret/contracts";

export type BroadcastsSearch = { status?: BroadcastStatus; page?: number };

export function parseBroadcastsSearch(s: Record<string, unknown>): BroadcastsSearch {
  const status = BROADCAST_STATUSES.find((x) => x === s.status);
  const page = Number(s.page);
  return {
    ...(status ? { status } : {}),
    ...(Number.isInteger(page) && page > 1 && page < 10_000 ? { page } : {}),
  };
}

export type NewBroadcastSearch = { emergency?: boolean };

/** `/broadcasts/new?emergency=1`: opened from the situation board. */
export function parseNewBroadcastSearch(s: Record<string, unknown>): NewBroadcastSearch {
  return s.emergency === 1 || s.emergency === "1" || s.emergency === true
    ? { emergency: true }
    : {};
}
