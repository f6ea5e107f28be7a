/*
 * Emergency alerts on this phone without an account (/alerts/:departmentId): what the
 * browser can do, what this device chose, and the subscribe/unsubscribe flows. Pure where
 * possible (tested in area-alerts.test.ts); the browser's objects are passed in.
 */
import { nameIn, type AreaAlertsInfo, type BroadcastLanguage } from "@kaveret/contracts";

export type AlertsSupport = "supported" | "unsupported" | "ios_home_screen";

export type BrowserTraits = {
  hasServiceWorker: boolean;
  hasPushManager: boolean;
  hasNotification: boolean;
  userAgent: string;
  maxTouchPoints: number;
  /** Opened from the home screen (display-mode standalone or navigator.standalone). */
  standalone: boolean;
};

/** iPhone, iPod, or an iPad (which says "Macintosh" but has touch). */
export function isIos(t: Pick<BrowserTraits, "userAgent" | "maxTouchPoints">): boolean {
  return (
    /iPhone|iPad|iPod/.test(t.userAgent) || (/Macintosh/.test(t.userAgent) && t.maxTouchPoints > 1)
  );
}

/**
 * Whether this browser can get push alerts. On iPhone and iPad, web push works only for a
 * site added to the home screen and opened from there (iOS 16.4+): say so instead of
 * "unsupported".
 */
export function alertsSupport(t: BrowserTraits): AlertsSupport {
  const ok = t.hasServiceWorker && t.hasPushManager && t.hasNotification;
  if (isIos(t) && !t.standalone) return "ios_home_screen";
  return ok ? "supported" : "unsupported";
}

export function browserTraits(): BrowserTraits {
  const nav = navigator as Navigator & { standalone?: boolean };
  return {
    hasServiceWorker: "serviceWorker" in navigator,
    hasPushManager: "PushManager" in window,
    hasNotification: "Notification" in window,
    userAgent: navigator.userAgent,
    maxTouchPoints: navigator.maxTouchPoints ?? 0,
    standalone:
      nav.standalone === true ||
      (typeof window.matchMedia === "function" &&
        window.matchMedia("(display-mode: standalone)").matches),
  };
}

/* What this device chose, kept on the device (the server keeps no one's identity). */

export type StoredChoice = { communityId: string; language: BroadcastLanguage; endpoint: string };

const storageKey = (departmentId: string) => `kaveret.alerts.${departmentId}`;
const LANGS: readonly string[] = ["he", "ar", "en", "ru", "am"];

export function parseChoice(raw: string | null): StoredChoice | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<StoredChoice>;
    if (
      typeof v.communityId === "string" &&
      typeof v.endpoint === "string" &&
      typeof v.language === "string" &&
      LANGS.includes(v.language)
    ) {
      return {
        communityId: v.communityId,
        endpoint: v.endpoint,
        language: v.language as BroadcastLanguage,
      };
    }
  } catch {
    /* a damaged entry is no choice */
  }
  return null;
}

export function readChoice(departmentId: string): StoredChoice | null {
  try {
    return parseChoice(localStorage.getItem(storageKey(departmentId)));
  } catch {
    return null;
  }
}

export function writeChoice(departmentId: string, choice: StoredChoice | null): void {
  try {
    if (choice) localStorage.setItem(storageKey(departmentId), JSON.stringify(choice));
    else localStorage.removeItem(storageKey(departmentId));
  } catch {
    /* private mode: the subscription still works, the page just forgets the choice */
  }
}

/**
 * The device is subscribed to this department's alerts when its push subscription is the one
 * it stored (another endpoint: a staff account's or an expired one).
 */
export function subscribedChoice(
  stored: StoredChoice | null,
  currentEndpoint: string | null,
): StoredChoice | null {
  return stored && currentEndpoint && stored.endpoint === currentEndpoint ? stored : null;
}

/**
 * Whether this device chose alerts but its browser's subscription has since been replaced
 * (the push service renewed it): the choice is then stored again under the new endpoint,
 * without asking anything (permission was given). The service worker reports the change to
 * the server itself; this covers browsers that do not tell it.
 */
export function needsRenewal(
  stored: StoredChoice | null,
  currentEndpoint: string | null,
  permission: NotificationPermission,
): boolean {
  return (
    stored !== null &&
    currentEndpoint !== null &&
    stored.endpoint !== currentEndpoint &&
    permission === "granted"
  );
}

/* The neighbourhood list. */

export type CommunityOption = { value: string; label: string };

/** Communities as options in the reader's language: the town(s) first, then neighbourhoods A–Z. */
export function communityOptions(
  communities: AreaAlertsInfo["communities"],
  locale: BroadcastLanguage,
  wholeTown: (name: string) => string,
): CommunityOption[] {
  const nameOf = (c: AreaAlertsInfo["communities"][number]) => nameIn(c, locale);
  const collator = new Intl.Collator(locale);
  const towns = communities.filter((c) => c.level === "town");
  const rest = communities
    .filter((c) => c.level !== "town")
    .sort((a, b) => collator.compare(nameOf(a), nameOf(b)));
  return [
    ...rest.map((c) => ({ value: c.id, label: nameOf(c) })),
    ...towns.map((c) => ({ value: c.id, label: wholeTown(nameOf(c)) })),
  ];
}

/* Errors shown to people: a translation key per stable code. */

export function alertsErrorKey(code: string): string {
  switch (code) {
    case "network_error":
      return "areaAlerts.errors.network";
    case "rate_limited":
      return "areaAlerts.errors.rateLimited";
    case "alerts.endpoint_in_use":
      return "areaAlerts.errors.inUse";
    case "alerts.community_unknown":
      return "areaAlerts.errors.community";
    case "alerts.endpoint_not_allowed":
    case "alerts.bad_keys":
    case "no_worker":
    case "subscribe_failed":
      return "areaAlerts.errors.browser";
    case "not_found":
      return "areaAlerts.errors.notFound";
    default:
      return "areaAlerts.errors.generic";
  }
}
