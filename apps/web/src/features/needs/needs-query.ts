import type { QueryValue } from "../../api/client.ts";
import { chosenStatuses, statusView, type NeedsSearch } from "./needs-search.ts";

export const PAGE_SIZE = 25;

/**
 * GET /api/needs query for a search. The default view is the open queue; the
 * suspected-spam view lists held reports whatever their status.
 */
export function listParams(s: NeedsSearch, pageSize = PAGE_SIZE): Record<string, QueryValue> {
  const view = statusView(s);
  const statuses = chosenStatuses(s);
  return {
    q: s.q,
    // The server lists open needs unless told otherwise: "all" says open=false.
    open: view === "open" && !s.spam ? "true" : view === "all" ? "false" : undefined,
    status: view === "custom" && statuses.length > 0 ? statuses.join(",") : undefined,
    urgency: s.urgency,
    category: s.category,
    channel: s.channel,
    communityId: s.communityId,
    assignee: s.assignee,
    residentId: s.residentId,
    spam: s.spam ? "true" : undefined,
    sort: s.sort ?? "urgency",
    page: s.page ?? 1,
    pageSize,
  };
}
