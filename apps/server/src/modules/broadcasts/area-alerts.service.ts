import type { DbOrTx } from "@kaveret/db";
import { localNames } from "@kaveret/contracts";
import type {
  AreaAlertSubscriptionBody,
  AreaAlertSubscriptionResult,
  AreaAlertUnsubscribeBody,
  AreaAlertsInfo,
  BroadcastChannel,
} from "@kaveret/contracts";
import { AppError, notFound } from "../../lib/errors.ts";
import * as repo from "./area-alerts.repository.ts";

/**
 * Area alerts: anyone may have the department's emergency broadcasts pushed to their phone
 * for a community they choose, without an account. Public routes (rate-limited per IP); the
 * subscription stores no personal data and staff never see its endpoint.
 */

export type AreaAlertsDeps = {
  db: DbOrTx;
  publicKey: string;
  /** Host suffixes of push services an endpoint may name (AREA_ALERT_PUSH_HOSTS). */
  pushHosts: string[];
  /** Outside production: http://localhost and 127.0.0.1 endpoints too (local push stub). */
  allowLoopback: boolean;
};

/**
 * Whether a broadcast reaches area subscribers at all: it belongs to a real emergency (not a
 * drill), goes by push, and picks no one by vulnerability flags (area subscribers have no
 * record to match them against).
 */
export function reachesAreaSubscribers(b: {
  realEmergency: boolean;
  channels: BroadcastChannel[];
  flags: string[];
}): boolean {
  return b.realEmergency && b.channels.includes("web_push") && b.flags.length === 0;
}

/** Whether an endpoint names an allowed push service (https, host in the list). */
export function endpointAllowed(
  endpoint: string,
  hosts: string[],
  allowLoopback: boolean,
): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  if (allowLoopback && (host === "localhost" || host === "127.0.0.1")) {
    return url.protocol === "http:" || url.protocol === "https:";
  }
  if (url.protocol !== "https:" || (url.port !== "" && url.port !== "443")) return false;
  return hosts.some((h) => {
    const suffix = h.trim().toLowerCase();
    return suffix !== "" && (host === suffix || host.endsWith(`.${suffix}`));
  });
}

/** The subscription's keys as a browser makes them: a P-256 point (65 bytes) and 16 bytes. */
export function keysValid(keys: { p256dh: string; auth: string }): boolean {
  const point = Buffer.from(keys.p256dh, "base64url");
  const auth = Buffer.from(keys.auth, "base64url");
  return point.length === 65 && point[0] === 0x04 && auth.length === 16;
}

async function department(db: DbOrTx, departmentId: string) {
  const row = await repo.departmentName(db, departmentId);
  if (!row) throw notFound("department");
  return row;
}

/** The public page's data: the department, the communities to choose from, the VAPID key. */
export async function alertsInfo(
  deps: AreaAlertsDeps,
  departmentId: string,
): Promise<AreaAlertsInfo> {
  const dept = await department(deps.db, departmentId);
  const rows = await repo.publicCommunities(deps.db, departmentId);
  return {
    department: { id: dept.id, name: dept.name, names: localNames(dept.altNames) },
    publicKey: deps.publicKey,
    communities: rows.map((r) => ({
      id: r.id,
      level: r.level ?? "neighbourhood",
      parentId: r.parentId,
      name: r.name,
      names: localNames(r.altNames),
    })),
  };
}

/** Stores (or updates, same endpoint) a phone's area subscription. */
export async function subscribeArea(
  deps: AreaAlertsDeps,
  departmentId: string,
  body: AreaAlertSubscriptionBody,
): Promise<AreaAlertSubscriptionResult> {
  await department(deps.db, departmentId);
  if (!endpointAllowed(body.endpoint, deps.pushHosts, deps.allowLoopback)) {
    throw new AppError(
      "alerts.endpoint_not_allowed",
      400,
      "The subscription must name a known push service over https",
      { path: ["endpoint"] },
    );
  }
  if (!keysValid(body.keys)) {
    throw new AppError("alerts.bad_keys", 400, "The subscription's keys are not valid", {
      path: ["keys"],
    });
  }
  const communities = await repo.publicCommunities(deps.db, departmentId);
  if (!communities.some((c) => c.id === body.communityId)) {
    throw new AppError("alerts.community_unknown", 400, "No such neighbourhood", {
      path: ["communityId"],
    });
  }
  const row = await repo.upsertAreaSubscription(deps.db, {
    departmentId,
    communityId: body.communityId,
    endpoint: body.endpoint,
    p256dh: body.keys.p256dh,
    auth: body.keys.auth,
    language: body.language,
  });
  if (!row) {
    throw new AppError(
      "alerts.endpoint_in_use",
      409,
      "This browser already gets messages through a signed-in account",
    );
  }
  return { communityId: body.communityId, language: body.language, created: row.created };
}

/** Removes a phone's area subscription; its auth secret is the proof. */
export async function unsubscribeArea(
  deps: AreaAlertsDeps,
  departmentId: string,
  body: AreaAlertUnsubscribeBody,
): Promise<void> {
  const removed = await repo.deleteAreaSubscription(
    deps.db,
    departmentId,
    body.endpoint,
    body.auth,
  );
  if (!removed) {
    throw new AppError("alerts.not_subscribed", 404, "No such subscription");
  }
}
