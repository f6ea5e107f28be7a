import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  AssignCallsBody,
  Call,
  CallOutcomeBody,
  CallPage,
  CreateVolunteerOfferBody,
  DeclareEmergencyBody,
  Emergency,
  EmergencyBoard,
  EmergencyModeResponse,
  EmergencySummary,
  HelpRequest,
  ListHelpRequestsQuery,
  ResidentEmergencyHistory,
  ReviewBody,
  Shelter,
  VolunteerOffer,
  assignCallsResultSchema,
  declareEmergencyResultSchema,
  generateCallsResultSchema,
  helpMatchListSchema,
  helpRequestPageSchema,
  reviewResponseSchema,
  shiftLogEntrySchema,
  shiftLogSchema,
  statusLinkSchema,
  volunteerOfferListSchema,
} from "@kaveret/contracts";
import { ApiError, apiGet, apiPatch, apiPost, apiPut } from "../../api/client.ts";

export type DeclareResult = z.infer<typeof declareEmergencyResultSchema>;
export type GenerateResult = z.infer<typeof generateCallsResultSchema>;
export type AssignResult = z.infer<typeof assignCallsResultSchema>;
export type HelpMatchList = z.infer<typeof helpMatchListSchema>;
export type HelpRequestPage = z.infer<typeof helpRequestPageSchema>;
export type ShiftLog = z.infer<typeof shiftLogSchema>;
export type ShiftLogEntry = z.infer<typeof shiftLogEntrySchema>;
export type ReviewResponse = z.infer<typeof reviewResponseSchema>;
export type OfferList = z.infer<typeof volunteerOfferListSchema>;
export type StatusLink = z.infer<typeof statusLinkSchema>;

const enc = encodeURIComponent;
const E = (id: string) => `/api/emergency/events/${enc(id)}`;

/** Everything about emergencies lives under ["emergency", …] (the live stream refreshes it). */
export const emergencyKeys = {
  all: ["emergency"] as const,
  mode: ["emergency", "mode"] as const,
  list: ["emergency", "list"] as const,
  event: (id: string) => ["emergency", "event", id] as const,
  board: (id: string) => ["emergency", "event", id, "board"] as const,
  log: (id: string) => ["emergency", "event", id, "log"] as const,
  summary: (id: string) => ["emergency", "event", id, "summary"] as const,
  review: (id: string) => ["emergency", "event", id, "review"] as const,
  calls: (id: string, params: Record<string, string | number | undefined>) =>
    ["emergency", "event", id, "calls", params] as const,
  help: (id: string, params: Record<string, string | number | undefined>) =>
    ["emergency", "event", id, "help", params] as const,
  offers: (id: string) => ["emergency", "event", id, "offers"] as const,
  helpOne: (id: string) => ["emergency", "help", id] as const,
  matches: (id: string) => ["emergency", "help", id, "matches"] as const,
  residentHistory: (id: string) => ["emergency", "resident", id] as const,
};

/**
 * The department's mode, for every screen's banner. District and ministry users (no
 * department role) are refused it: that is routine for them, not an error.
 */
export const modeQuery = queryOptions({
  queryKey: emergencyKeys.mode,
  queryFn: async ({ signal }): Promise<EmergencyModeResponse | null> => {
    try {
      return await apiGet<EmergencyModeResponse>("/api/emergency/mode", undefined, signal);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 403 || err.status === 401)) return null;
      throw err;
    }
  },
  staleTime: 60_000,
  retry: (count, err) => !(err instanceof ApiError && err.status > 0) && count < 2,
});

export const emergencyListQuery = queryOptions({
  queryKey: emergencyKeys.list,
  queryFn: ({ signal }) =>
    apiGet<{ items: Emergency[] }>("/api/emergency/events", undefined, signal),
});

export function emergencyQuery(id: string) {
  return queryOptions({
    queryKey: emergencyKeys.event(id),
    queryFn: ({ signal }) => apiGet<Emergency>(E(id), undefined, signal),
  });
}

export function boardQuery(id: string) {
  return queryOptions({
    queryKey: emergencyKeys.board(id),
    queryFn: ({ signal }) => apiGet<EmergencyBoard>(`${E(id)}/board`, undefined, signal),
    placeholderData: (prev) => prev,
  });
}

export function logQuery(id: string) {
  return queryOptions({
    queryKey: emergencyKeys.log(id),
    queryFn: ({ signal }) => apiGet<ShiftLog>(`${E(id)}/log`, undefined, signal),
  });
}

export function summaryQuery(id: string) {
  return queryOptions({
    queryKey: emergencyKeys.summary(id),
    queryFn: ({ signal }) => apiGet<EmergencySummary>(`${E(id)}/summary`, undefined, signal),
  });
}

export function reviewQuery(id: string) {
  return queryOptions({
    queryKey: emergencyKeys.review(id),
    queryFn: ({ signal }) => apiGet<ReviewResponse>(`${E(id)}/review`, undefined, signal),
  });
}

/** Calls of an emergency as the reader may see them (online; the phone list reads the device). */
export function callsQuery(id: string, params: { assignee?: string; pageSize?: number }) {
  return queryOptions({
    queryKey: emergencyKeys.calls(id, params),
    queryFn: ({ signal }) => apiGet<CallPage>(`${E(id)}/calls`, params, signal),
  });
}

export interface HelpListParams {
  status?: string;
  category?: ListHelpRequestsQuery["category"];
  mine?: "true";
  page?: number;
  pageSize?: number;
}

export function helpRequestsQuery(id: string, params: HelpListParams) {
  return queryOptions({
    queryKey: emergencyKeys.help(id, { ...params }),
    queryFn: ({ signal }) =>
      apiGet<HelpRequestPage>(`${E(id)}/help-requests`, { ...params }, signal),
    placeholderData: (prev) => prev,
  });
}

export function helpRequestQuery(id: string) {
  return queryOptions({
    queryKey: emergencyKeys.helpOne(id),
    queryFn: ({ signal }) =>
      apiGet<HelpRequest>(`/api/emergency/help-requests/${enc(id)}`, undefined, signal),
  });
}

export function helpMatchesQuery(id: string) {
  return queryOptions({
    queryKey: emergencyKeys.matches(id),
    queryFn: ({ signal }) =>
      apiGet<HelpMatchList>(`/api/emergency/help-requests/${enc(id)}/matches`, undefined, signal),
  });
}

export function offersQuery(id: string) {
  return queryOptions({
    queryKey: emergencyKeys.offers(id),
    queryFn: ({ signal }) => apiGet<OfferList>(`${E(id)}/offers`, undefined, signal),
  });
}

export function residentEmergencyHistoryQuery(residentId: string) {
  return queryOptions({
    queryKey: emergencyKeys.residentHistory(residentId),
    queryFn: ({ signal }) =>
      apiGet<ResidentEmergencyHistory>(
        `/api/emergency/residents/${enc(residentId)}/history`,
        undefined,
        signal,
      ),
    retry: false,
  });
}

/* Commands. */

export const declareEmergency = (body: DeclareEmergencyBody) =>
  apiPost<DeclareResult>("/api/emergency/events", body);

export const updateEmergency = (
  id: string,
  body: { version: number; level?: number; title?: string; note?: string; communityIds?: string[] },
) => apiPatch<Emergency>(E(id), body);

export const closeEmergency = (id: string, body: { version: number; note: string }) =>
  apiPost<EmergencySummary>(`${E(id)}/close`, body);

export const generateCalls = (id: string) => apiPost<GenerateResult>(`${E(id)}/calls/generate`);

export const assignCalls = (id: string, body: AssignCallsBody) =>
  apiPost<AssignResult>(`${E(id)}/calls/assign`, body);

export const recordOutcomeOnline = (callId: string, body: CallOutcomeBody) =>
  apiPost<Call>(`/api/emergency/calls/${enc(callId)}/outcome`, body);

export const statusLink = (callId: string) =>
  apiPost<StatusLink>(`/api/emergency/calls/${enc(callId)}/status-link`);

export const addLogEntry = (id: string, body: { kind: string; text: string }) =>
  apiPost<ShiftLogEntry>(`${E(id)}/log`, body);

export const setOccupancy = (
  id: string,
  assetId: string,
  body: { occupancy: number; version: number },
) => apiPut<Shelter>(`${E(id)}/shelters/${enc(assetId)}/occupancy`, body);

export const saveReview = (id: string, body: ReviewBody) =>
  apiPut<ReviewResponse>(`${E(id)}/review`, body);

export type HelpMove = "claim" | "release" | "complete" | "cancel";
export const moveHelp = (
  id: string,
  move: HelpMove,
  body: { version: number; userId?: string; reason?: string; note?: string },
) => apiPost<HelpRequest>(`/api/emergency/help-requests/${enc(id)}/${move}`, body);

export const saveOffer = (id: string, body: CreateVolunteerOfferBody) =>
  apiPost<VolunteerOffer>(`${E(id)}/offers`, body);

export const withdrawOffer = (offerId: string) =>
  apiPost<VolunteerOffer>(`/api/emergency/offers/${enc(offerId)}/withdraw`);

/** The printable summary (he, ar or en) and the call list as CSV (manager). */
export const summaryHtmlUrl = (id: string, lang: string) =>
  `${E(id)}/summary.html?lang=${enc(lang)}`;
export const summaryCsvUrl = (id: string) => `${E(id)}/summary.csv`;
