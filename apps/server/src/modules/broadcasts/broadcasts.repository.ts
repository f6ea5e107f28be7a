import { sql, type SQL } from "drizzle-orm";
import { schema, type DbOrTx } from "@kaveret/db";
import type { BroadcastChannel, BroadcastLanguage } from "@kaveret/contracts";
import { rowsOf } from "../../lib/sql.ts";
import { inCommunities, liveResident } from "../residents/residents.scope.ts";

/**
 * The only code of broadcasts that touches the database. Big writes (deliveries, receipts)
 * pass their rows as one JSON parameter (`json_to_recordset`): one statement, any count,
 * the same on PostgreSQL and PGlite.
 */

const r = schema.residents;
const b = schema.broadcasts;

export type BroadcastRow = typeof schema.broadcasts.$inferSelect;

export type AudienceFilter = {
  departmentId: string;
  communityIds: string[];
  languages: string[];
  /** Blind-index tokens of the flags (any of them). */
  flagTokens: string[];
  consents: string[];
};

const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** The residents a broadcast goes to (live records of the department). */
export function audienceWhere(a: AudienceFilter): SQL {
  const parts: SQL[] = [sql`${r.departmentId} = ${a.departmentId}`, liveResident];
  if (a.communityIds.length) parts.push(inCommunities(a.communityIds));
  if (a.languages.length) parts.push(sql`${r.languages} && ${textArray(a.languages)}`);
  if (a.flagTokens.length) parts.push(sql`${r.flagTokens} && ${textArray(a.flagTokens)}`);
  parts.push(sql`${r.consents} @> ${textArray(a.consents)}`);
  return sql.join(parts, sql` and `);
}

/** The language a resident gets: their first language with a text, else the fallback. */
function languageOf(messageLanguages: string[], fallback: string): SQL {
  return sql`coalesce((select l from unnest(${r.languages}) with ordinality u(l, o)
    where l = any(${textArray(messageLanguages)}) order by o limit 1), ${fallback}::text)`;
}

/** Whether a row of the dry run's `base` (below) can be reached on a channel. */
const hasChannel: Record<BroadcastChannel, SQL> = {
  web_push: sql`(devices > 0)`,
  sms: sql`has_phone`,
  email: sql`has_email`,
  in_app: sql`has_user`,
};

/**
 * Dry run: residents in the audience, how many each channel reaches (push counts devices),
 * and how many get each language — the same choices the fan-out makes (chooseChannels).
 */
export async function dryRunCounts(
  db: DbOrTx,
  a: AudienceFilter,
  channels: BroadcastChannel[],
  mode: "all" | "first",
  messageLanguages: string[],
  fallback: string,
) {
  const chosen = (c: BroadcastChannel): SQL => {
    if (mode === "all") return hasChannel[c];
    const before = channels.slice(0, channels.indexOf(c));
    return before.length
      ? sql`(${hasChannel[c]} and not (${sql.join(
          before.map((x) => hasChannel[x]),
          sql` or `,
        )}))`
      : hasChannel[c];
  };
  const any = sql.join(
    channels.map((c) => hasChannel[c]),
    sql` or `,
  );
  // Devices counted once per department (one hash join), not per resident and channel.
  const rows = rowsOf<Record<string, number | string | null>>(
    await db.execute(sql`
      with devices as (
        select resident_id, count(*)::int as n from push_subscriptions
        where department_id = ${a.departmentId} and resident_id is not null group by resident_id
      ), base as (
        select ${languageOf(messageLanguages, fallback)} as lang, ${r.languages}[1] as first_language,
          ${r.phone} is not null as has_phone, ${r.email} is not null as has_email,
          ${r.userId} is not null as has_user, coalesce(devices.n, 0) as devices
        from residents left join devices on devices.resident_id = ${r.id}
        where ${audienceWhere(a)}
      ), a as (
        select lang, first_language, devices, ${any} as reachable,
          ${sql.join(
            channels.map((c) => sql`${chosen(c)} as ${sql.identifier(`has_${c}`)}`),
            sql`, `,
          )}
        from base
      )
      select lang, count(*)::int as residents, count(*) filter (where reachable)::int as reachable,
        ${sql.join(
          channels.map(
            (c) =>
              sql`coalesce(sum(case when ${sql.identifier(`has_${c}`)} then ${c === "web_push" ? sql`devices` : sql`1`} else 0 end), 0)::int as ${sql.identifier(c)}`,
          ),
          sql`, `,
        )},
        array_agg(distinct first_language) filter (where first_language is not null) as first_languages
      from a group by lang`),
  );
  return rows as Array<
    Record<BroadcastChannel, number> & {
      lang: string;
      residents: number;
      reachable: number;
      first_languages: string[] | null;
    }
  >;
}

export type RecipientRow = {
  id: string;
  language: string;
  has_phone: boolean;
  has_email: boolean;
  has_user: boolean;
  subs: { id: string; language: string }[];
};

/** One page of the audience, in resident id order, after `after`. */
export async function audiencePage(
  db: DbOrTx,
  a: AudienceFilter,
  messageLanguages: string[],
  fallback: string,
  after: string | null,
  limit: number,
): Promise<RecipientRow[]> {
  return rowsOf<RecipientRow>(
    await db.execute(sql`
      select ${r.id} as id, ${languageOf(messageLanguages, fallback)} as language,
        ${r.phone} is not null as has_phone, ${r.email} is not null as has_email,
        ${r.userId} is not null as has_user,
        coalesce((select json_agg(json_build_object('id', s.id, 'language', s.language))
          from push_subscriptions s
          where s.department_id = ${r.departmentId} and s.resident_id = ${r.id}), '[]'::json) as subs
      from residents
      where ${audienceWhere(a)} ${after ? sql`and ${r.id} > ${after}::uuid` : sql``}
      order by ${r.id} limit ${limit}`),
  );
}

/** The last resident a (possibly interrupted) fan-out already wrote deliveries for. */
export async function lastFannedOut(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
): Promise<string | null> {
  const [row] = rowsOf<{ last: string | null }>(
    await db.execute(sql`select max(resident_id::text) as last from broadcast_deliveries
      where department_id = ${departmentId} and broadcast_id = ${broadcastId}`),
  );
  return row?.last ?? null;
}

export type NewDelivery = {
  /** Null for an area subscription (a phone without an account). */
  resident_id: string | null;
  subscription_id: string | null;
  channel: BroadcastChannel;
  language: string;
};

/** Inserts a page of deliveries; their ids per channel (ascending). */
export async function insertDeliveries(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
  rows: NewDelivery[],
): Promise<{ id: number; channel: BroadcastChannel }[]> {
  if (rows.length === 0) return [];
  const inserted = rowsOf<{ id: string | number; channel: BroadcastChannel }>(
    await db.execute(sql`
      insert into broadcast_deliveries (department_id, broadcast_id, resident_id, subscription_id, channel, language)
      select ${departmentId}::uuid, ${broadcastId}::uuid, x.resident_id, x.subscription_id, x.channel, x.language
      from json_to_recordset(${JSON.stringify(rows)}::json)
        as x(resident_id uuid, subscription_id uuid, channel text, language text)
      returning id, channel`),
  );
  await db.execute(sql`update broadcasts set total = total + ${inserted.length}, updated_at = now()
    where department_id = ${departmentId} and id = ${broadcastId}`);
  return inserted
    .map((x) => ({ id: Number(x.id), channel: x.channel }))
    .sort((p, q) => p.id - q.id);
}

export type PushTarget = {
  id: number;
  language: BroadcastLanguage;
  resident_id: string | null;
  subscription_id: string | null;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
};

/** Queued push deliveries of a batch with their subscription (null when it was removed since). */
export async function queuedPush(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
  fromId: number,
  toId: number,
): Promise<PushTarget[]> {
  return rowsOf<PushTarget>(
    await db.execute(sql`
      select d.id::int8 as id, d.language, d.resident_id, d.subscription_id, s.endpoint, s.p256dh, s.auth
      from broadcast_deliveries d
      left join push_subscriptions s on s.department_id = d.department_id and s.id = d.subscription_id
      where d.department_id = ${departmentId} and d.broadcast_id = ${broadcastId}
        and d.channel = 'web_push' and d.id between ${fromId} and ${toId} and d.status = 'queued'
      order by d.id`),
  ).map((x) => ({ ...x, id: Number(x.id) }));
}

export type AddressTarget = {
  id: number;
  language: BroadcastLanguage;
  resident_id: string | null;
  phone: string | null;
  email: string | null;
  user_id: string | null;
};

/** Queued SMS / e-mail / in-app deliveries of a batch with the resident's current address. */
export async function queuedAddressed(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
  channel: BroadcastChannel,
  fromId: number,
  toId: number,
): Promise<AddressTarget[]> {
  return rowsOf<AddressTarget>(
    await db.execute(sql`
      select d.id::int8 as id, d.language, d.resident_id, r.phone, r.email, r.user_id
      from broadcast_deliveries d
      left join residents r on r.department_id = d.department_id and r.id = d.resident_id
        and r.merged_into_id is null and r.archived_at is null
      where d.department_id = ${departmentId} and d.broadcast_id = ${broadcastId}
        and d.channel = ${channel} and d.id between ${fromId} and ${toId} and d.status = 'queued'
      order by d.id`),
  ).map((x) => ({ ...x, id: Number(x.id) }));
}

export type Outcome = {
  id: number;
  /** retry: refused for a passing reason; the delivery stays queued until its attempts run out. */
  status: "sent" | "delivered" | "failed" | "skipped" | "retry";
  error: string | null;
};

/** Tries per delivery, counting the first: after the last, a passing refusal is a failure. */
export const MAX_SEND_ATTEMPTS = 3;

/**
 * Records send outcomes of queued deliveries (a receipt may have come first: only rows still
 * queued change) and moves the broadcast's counters by what changed. Returns the counters,
 * with how many deliveries stay queued for another try and the highest try count among them.
 */
export async function recordOutcomes(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
  outcomes: Outcome[],
): Promise<(Counters & { retrying: number; attempt: number }) | null> {
  if (outcomes.length === 0) return null;
  const [row] = rowsOf<Counters & { retrying: number; attempt: number }>(
    await db.execute(sql`
      with x as (
        select * from json_to_recordset(${JSON.stringify(outcomes)}::json) as x(id int8, status text, error text)
      ), upd as (
        update broadcast_deliveries d set
          status = case when x.status <> 'retry' then x.status
            when d.attempts + 1 >= ${MAX_SEND_ATTEMPTS} then 'failed' else 'queued' end,
          attempts = d.attempts + (x.status = 'retry')::int,
          error = x.error,
          sent_at = case when x.status in ('sent', 'delivered') then now() end,
          delivered_at = case when x.status = 'delivered' then now() end
        from x
        where d.department_id = ${departmentId} and d.broadcast_id = ${broadcastId}
          and d.id = x.id and d.status = 'queued'
        returning d.status, d.attempts
      ), b as (
        update broadcasts set
          sent = sent + (select count(*) from upd where status = 'sent'),
          delivered = delivered + (select count(*) from upd where status = 'delivered'),
          failed = failed + (select count(*) from upd where status in ('failed', 'skipped')),
          updated_at = now()
        where department_id = ${departmentId} and id = ${broadcastId}
        returning id, department_id, status, total, sent, delivered, failed
      )
      select b.*,
        (select count(*) from upd where status = 'queued')::int as retrying,
        (select coalesce(max(attempts), 0) from upd where status = 'queued')::int as attempt
      from b`),
  );
  return row ?? null;
}

export type Counters = {
  id: string;
  department_id: string;
  status: string;
  total: number;
  sent: number;
  delivered: number;
  failed: number;
};

/** Marks it done when the fan-out has finished (status sending) and nothing is queued. */
export async function finishIfDone(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
): Promise<Counters | null> {
  const [row] = rowsOf<Counters>(
    await db.execute(sql`
      update broadcasts set status = 'done', finished_at = now(), updated_at = now()
      where department_id = ${departmentId} and id = ${broadcastId} and status = 'sending'
        and not exists (select 1 from broadcast_deliveries d
          where d.department_id = ${departmentId} and d.broadcast_id = ${broadcastId} and d.status = 'queued')
      returning id, department_id, status, total, sent, delivered, failed`),
  );
  return row ?? null;
}

/** Removes subscriptions the push service called gone (404/410). */
export async function deleteSubscriptions(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return;
  await db.execute(sql`delete from push_subscriptions where department_id = ${departmentId}
    and id in (select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json))`);
}

export async function touchSubscriptions(db: DbOrTx, departmentId: string, ids: string[]) {
  if (ids.length === 0) return;
  await db.execute(sql`update push_subscriptions set last_success_at = now()
    where department_id = ${departmentId}
      and id in (select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json))`);
}

export type Receipt = {
  department_id: string;
  broadcast_id: string;
  id: number;
  status: "delivered" | "failed";
};

/**
 * Applies receipts (acks from devices, provider callbacks) in one statement: queued or sent
 * deliveries become delivered/failed; counters move by the rows that changed.
 */
export async function applyReceipts(db: DbOrTx, receipts: Receipt[]): Promise<Counters[]> {
  if (receipts.length === 0) return [];
  return rowsOf<Counters>(
    await db.execute(sql`
      with x as (
        select * from json_to_recordset(${JSON.stringify(receipts)}::json)
          as x(department_id uuid, broadcast_id uuid, id int8, status text)
      ), old as (
        select d.department_id, d.broadcast_id, d.id, d.status as before, x.status as after
        from broadcast_deliveries d
        join x on d.department_id = x.department_id and d.broadcast_id = x.broadcast_id and d.id = x.id
        where d.status in ('queued', 'sent')
        for update of d
      ), upd as (
        update broadcast_deliveries d set status = old.after,
          delivered_at = case when old.after = 'delivered' then now() else d.delivered_at end,
          sent_at = coalesce(d.sent_at, now()),
          error = case when old.after = 'failed' then 'receipt' else d.error end
        from old
        where d.department_id = old.department_id and d.broadcast_id = old.broadcast_id and d.id = old.id
        returning old.department_id, old.broadcast_id, old.before, old.after
      ), agg as (
        select department_id, broadcast_id,
          count(*) filter (where after = 'delivered') as dlv,
          count(*) filter (where after = 'failed') as fl,
          count(*) filter (where before = 'sent') as was_sent
        from upd group by department_id, broadcast_id
      )
      update broadcasts b set delivered = b.delivered + agg.dlv, failed = b.failed + agg.fl,
        sent = b.sent - agg.was_sent, updated_at = now()
      from agg where b.department_id = agg.department_id and b.id = agg.broadcast_id
      returning b.id, b.department_id, b.status, b.total, b.sent, b.delivered, b.failed`),
  );
}

/** Counts per channel and status (the progress bar and the receipts summary). */
export async function statusCounts(db: DbOrTx, departmentId: string, broadcastId: string) {
  return rowsOf<{ channel: BroadcastChannel; status: string; n: number }>(
    await db.execute(sql`select channel, status, count(*)::int as n from broadcast_deliveries
      where department_id = ${departmentId} and broadcast_id = ${broadcastId}
      group by channel, status`),
  );
}

export async function deliveryPage(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
  q: { status?: string | undefined; channel?: string | undefined; page: number; pageSize: number },
) {
  const d = schema.broadcastDeliveries;
  const where = sql.join(
    [
      sql`${d.departmentId} = ${departmentId}`,
      sql`${d.broadcastId} = ${broadcastId}`,
      ...(q.status ? [sql`${d.status} = ${q.status}`] : []),
      ...(q.channel ? [sql`${d.channel} = ${q.channel}`] : []),
    ],
    sql` and `,
  );
  const [items, [count]] = await Promise.all([
    db
      .select()
      .from(d)
      .where(where)
      .orderBy(d.id)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(d)
      .where(where),
  ]);
  return { items, total: count?.n ?? 0 };
}

export async function findBroadcast(db: DbOrTx, departmentId: string, id: string) {
  const [row] = await db
    .select()
    .from(b)
    .where(sql`${b.departmentId} = ${departmentId} and ${b.id} = ${id}`)
    .limit(1);
  return row ?? null;
}

/** A page of broadcasts; `reach` limits a community worker to their own and their communities'. */
export async function listBroadcasts(
  db: DbOrTx,
  departmentId: string,
  q: { status?: string | undefined; page: number; pageSize: number },
  reach: { userId: string; communityIds: string[] } | null,
) {
  const parts: SQL[] = [sql`${b.departmentId} = ${departmentId}`];
  if (q.status) parts.push(sql`${b.status} = ${q.status}`);
  if (reach) {
    const ids = reach.communityIds.length
      ? sql`array[${sql.join(
          reach.communityIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}]`
      : sql`'{}'::uuid[]`;
    parts.push(
      sql`(${b.createdBy} = ${reach.userId} or (cardinality(${b.communityIds}) > 0 and ${b.communityIds} <@ ${ids}))`,
    );
  }
  const where = sql.join(parts, sql` and `);
  const [items, [count]] = await Promise.all([
    db
      .select({
        row: b,
        createdByName: sql<
          string | null
        >`(select u.name from "user" u where u.id = ${b.createdBy})`,
      })
      .from(b)
      .where(where)
      .orderBy(sql`${b.createdAt} desc`)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(b)
      .where(where),
  ]);
  return { items, total: count?.n ?? 0 };
}

export async function userNames(db: DbOrTx, ids: (string | null)[]) {
  const list = [...new Set(ids.filter((x): x is string => Boolean(x)))];
  if (list.length === 0) return new Map<string, string>();
  const rows = rowsOf<{ id: string; name: string }>(
    await db.execute(
      sql`select id, name from "user" where id in (${sql.join(
        list.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    ),
  );
  return new Map(rows.map((x) => [x.id, x.name]));
}

export async function quietHours(db: DbOrTx, departmentId: string) {
  const [row] = await db
    .select()
    .from(schema.broadcastSettings)
    .where(sql`${schema.broadcastSettings.departmentId} = ${departmentId}`)
    .limit(1);
  return {
    enabled: row?.quietHoursEnabled ?? true,
    start: row?.quietStart ?? "22:00",
    end: row?.quietEnd ?? "07:00",
  };
}

/** Stores in-app notifications (the in-app channel) for residents with a login. */
export async function insertNotifications(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
  rows: { user_id: string; resident_id: string | null; title: string; body: string }[],
) {
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into notifications (department_id, user_id, resident_id, broadcast_id, title, body)
    select ${departmentId}::uuid, x.user_id, x.resident_id, ${broadcastId}::uuid, x.title, x.body
    from json_to_recordset(${JSON.stringify(rows)}::json)
      as x(user_id text, resident_id uuid, title text, body text)`);
}

/** The fan-out has written every delivery: from now on the last batch finishes it. */
export async function markSending(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
): Promise<Counters | null> {
  const [row] = rowsOf<Counters>(
    await db.execute(sql`update broadcasts set status = 'sending', updated_at = now()
      where department_id = ${departmentId} and id = ${broadcastId} and status = 'confirmed'
      returning id, department_id, status, total, sent, delivered, failed`),
  );
  return row ?? null;
}

export async function countersOf(
  db: DbOrTx,
  departmentId: string,
  broadcastId: string,
): Promise<Counters | null> {
  const [row] = rowsOf<Counters>(
    await db.execute(sql`select id, department_id, status, total, sent, delivered, failed
      from broadcasts where department_id = ${departmentId} and id = ${broadcastId}`),
  );
  return row ?? null;
}
