import type { TFunction } from "i18next";
import type {
  CallOutcome,
  CallStatus,
  EmergencyModeResponse,
  HelpCategory,
  Role,
} from "@kaveret/contracts";

/** A resident's language code in words (any code: unknown ones show as they are). */
export function languageName(t: TFunction, code: string): string {
  return t(`residents.languages.${code}`, {
    defaultValue: t(`languages.${code}`, { defaultValue: code }),
  });
}

export { isolate } from "../../lib/format.ts";

export function languagesText(t: TFunction, codes: readonly string[]): string {
  return codes.map((c) => languageName(t, c)).join(", ");
}

/** "Emergency · Rocket fire · level 3" / "Drill · …": what the banner and titles say. */
export function modeLine(t: TFunction, e: { drill: boolean; type: string; level: number }): string {
  return [
    t(e.drill ? "emergency.mode.drill" : "emergency.mode.emergency"),
    t(`emergency.types.${e.type}`),
    t("emergency.levelN", { level: e.level }),
  ].join(" · ");
}

/** Colours of call states (the map and the counts use the same; words always go with them). */
export const CALL_STATE_HEX: Record<CallStatus | CallOutcome, string> = {
  pending: "#5c636a",
  retry: "#b35c00",
  escalated: "#8a3a00",
  done: "#1d5a2a",
  reached_ok: "#1d7a35",
  reached_needs_help: "#c92a2a",
  not_reached: "#b35c00",
};

export const HELP_HEX = "#7b2cbf";
export const SHELTER_HEX = "#174a84";

/** The icon-free word for a call's state as the caller sees it. */
export function callStateKey(call: {
  status: CallStatus;
  outcome: CallOutcome | null;
}): `emergency.callState.${string}` {
  if (call.status === "done") {
    return call.outcome === "reached_needs_help"
      ? "emergency.callState.needsHelp"
      : "emergency.callState.ok";
  }
  return `emergency.callState.${call.status}`;
}

export function helpCategoryName(t: TFunction, c: HelpCategory | string): string {
  return t(`emergency.help.categories.${c}`, { defaultValue: c });
}

/** Staff (not volunteers): may read a status link out, see risk reasons, follow requests. */
export function isEmergencyStaff(roles: readonly Role[]): boolean {
  return roles.some((r) => r === "manager" || r === "community_worker" || r === "social_worker");
}

/** What the shell may offer in this emergency (the server decides anyway). */
export function emergencyLinks(mode: EmergencyModeResponse | null | undefined) {
  const p = mode?.permissions;
  const active = Boolean(mode?.emergency);
  return {
    board: Boolean(p?.board),
    calls: active && Boolean(p?.call),
    help: active && Boolean(p?.call || p?.offerHelp),
    offer: active && Boolean(p?.offerHelp),
  };
}
