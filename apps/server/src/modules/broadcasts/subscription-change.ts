import { sql } from "drizzle-orm";
import type { DbOrTx } from "@kaveret/db";
import type { PushSubscriptionChangeBody, PushSubscriptionChangeResult } from "@kaveret/contracts";
import { AppError } from "../../lib/errors.ts";
import { rowsOf } from "../../lib/sql.ts";
import { endpointAllowed, keysValid } from "./area-alerts.service.ts";

/**
 * A browser's push service may replace a subscription (its endpoint and keys change; Firefox
 * does when one expires). The service worker then gets `pushsubscriptionchange` and reports
 * the new one here (public/push-sw.js). Without this, that browser silently stops getting
 * broadcasts until someone opens the page again — for an area alert that may be the one
 * emergency that matters. Public and cookie-less (the worker has no session and area
 * subscribers have no account): the old endpoint's auth secret is the proof, as for
 * unsubscribing. Every subscription of that browser (one per department) moves.
 */

export type SubscriptionChangeDeps = {
  db: DbOrTx;
  pushHosts: string[];
  allowLoopback: boolean;
};

export async function changeSubscription(
  deps: SubscriptionChangeDeps,
  body: PushSubscriptionChangeBody,
): Promise<PushSubscriptionChangeResult> {
  if (!endpointAllowed(body.endpoint, deps.pushHosts, deps.allowLoopback)) {
    throw new AppError(
      "push.endpoint_not_allowed",
      400,
      "The subscription must name a known push service over https",
      { path: ["endpoint"] },
    );
  }
  if (!keysValid(body.keys)) {
    throw new AppError("push.bad_keys", 400, "The subscription's keys are not valid", {
      path: ["keys"],
    });
  }
  const moved = await deps.db.transaction(async (tx) => {
    const old = rowsOf<{ id: string; departmentId: string; taken: boolean }>(
      await tx.execute(sql`
        select o.id, o.department_id as "departmentId",
          exists (select 1 from push_subscriptions n
            where n.department_id = o.department_id and n.endpoint = ${body.endpoint}
              and n.id <> o.id) as taken
        from push_subscriptions o
        where o.endpoint = ${body.oldEndpoint} and o.auth = ${body.oldAuth}
        for update of o`),
    );
    if (old.length === 0) return 0;
    // Where the new endpoint is already subscribed in that department (the page got there
    // first), the old row is only a duplicate that would fail at the next send.
    const taken = old.filter((r) => r.taken).map((r) => r.id);
    const move = old.filter((r) => !r.taken).map((r) => r.id);
    const ids = (list: string[]) =>
      sql.join(
        list.map((id) => sql`${id}::uuid`),
        sql`, `,
      );
    if (taken.length) {
      await tx.execute(sql`delete from push_subscriptions where id in (${ids(taken)})`);
    }
    if (move.length) {
      await tx.execute(sql`update push_subscriptions
        set endpoint = ${body.endpoint}, p256dh = ${body.keys.p256dh}, auth = ${body.keys.auth},
          last_success_at = null
        where id in (${ids(move)})`);
    }
    return old.length;
  });
  if (moved === 0) {
    throw new AppError("push.subscription_unknown", 404, "No such subscription");
  }
  return { moved };
}
