import pg from "pg";
import type { Database } from "@kaveret/db";

/**
 * Cross-instance events over PostgreSQL LISTEN/NOTIFY: N app instances on one database
 * need nothing else. Each topic is a NOTIFY channel (`kv_<topic>`); every instance
 * (the publishing one too) receives what is published, so there is one delivery path.
 *
 * - PostgreSQL: publish through the pool (`pg_notify`), listen on one dedicated client per
 *   instance, reconnected with its LISTENs after a lost connection (events published while
 *   it was down are lost: live screens refetch on reconnect, nothing relies on delivery).
 * - PGlite: its in-process LISTEN/NOTIFY (one process holds the database).
 *
 * Payloads are small facts — ids, counters, statuses — never personal data, and at most
 * MAX_EVENT_BYTES of JSON (PostgreSQL refuses 8,000 bytes): a larger one is refused; put
 * the data in a table and publish its id.
 *
 * Topics and their payload types are declared by the modules that use them:
 *   declare module "../../events/bus.ts" { interface EventTopics { needs: NeedChange } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventTopics {}

export type Topic = keyof EventTopics & string;

export const MAX_EVENT_BYTES = 7 * 1024;
const TOPIC = /^[a-z][a-z0-9_]{0,39}$/;

export class EventTooLargeError extends Error {
  constructor(topic: string, bytes: number) {
    super(`event on ${topic} is ${bytes} bytes (limit ${MAX_EVENT_BYTES}); publish an id instead`);
  }
}

export type Unsubscribe = (() => void) & {
  /** Resolves once this instance listens (events published before may be missed). */
  ready: Promise<void>;
};

export interface EventBus {
  publish<K extends Topic>(topic: K, payload: EventTopics[K]): Promise<void>;
  subscribe<K extends Topic>(topic: K, handler: (payload: EventTopics[K]) => void): Unsubscribe;
  close(): Promise<void>;
}

const channelOf = (topic: string) => {
  if (!TOPIC.test(topic)) throw new Error(`bad event topic ${JSON.stringify(topic)}`);
  return `kv_${topic}`;
};

/**
 * The NOTIFY channel of a topic, for a statement that publishes as part of a write
 * (`select pg_notify(<channel>, <payload>)` inside the writing transaction): PostgreSQL
 * delivers it at commit, to every instance, exactly as `publish` would after the commit —
 * and never when the write rolls back. The payload must stay within MAX_EVENT_BYTES.
 */
export const notifyChannel = <K extends Topic>(topic: K): string => channelOf(topic);

/** The bus of one app instance on its database. */
export function createEventBus(database: Database): EventBus {
  const handlers = new Map<string, Set<(payload: never) => void>>();
  let closed = false;

  const dispatch = (topic: string, text: string) => {
    const set = handlers.get(topic);
    if (!set || set.size === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return;
    }
    for (const handler of [...set]) {
      try {
        handler(payload as never);
      } catch {
        // A failing subscriber must not stop the others (nor the listener connection).
      }
    }
  };

  const listener =
    database.kind === "pglite"
      ? pgliteListener(database, dispatch)
      : pgListener(database, dispatch);

  return {
    async publish(topic, payload) {
      const channel = channelOf(topic);
      const text = JSON.stringify(payload);
      const bytes = Buffer.byteLength(text);
      if (bytes > MAX_EVENT_BYTES) throw new EventTooLargeError(topic, bytes);
      if (closed) return;
      await database.query("select pg_notify($1, $2)", [channel, text]);
    },
    subscribe(topic, handler) {
      channelOf(topic);
      let set = handlers.get(topic);
      const first = !set;
      if (!set) {
        set = new Set();
        handlers.set(topic, set);
      }
      set.add(handler as (payload: never) => void);
      const ready = first ? listener.listen(topic) : listener.listening(topic);
      ready.catch(() => undefined);
      const off = (() => {
        const current = handlers.get(topic);
        if (!current?.delete(handler as (payload: never) => void)) return;
        if (current.size === 0) {
          handlers.delete(topic);
          listener.unlisten(topic).catch(() => undefined);
        }
      }) as Unsubscribe;
      off.ready = ready;
      return off;
    },
    async close() {
      closed = true;
      handlers.clear();
      await listener.close();
    },
  };
}

type Listener = {
  listen(topic: string): Promise<void>;
  /** The pending or done LISTEN of a topic already listened to. */
  listening(topic: string): Promise<void>;
  unlisten(topic: string): Promise<void>;
  close(): Promise<void>;
};

function pgliteListener(
  database: Database,
  dispatch: (topic: string, text: string) => void,
): Listener {
  const active = new Map<string, Promise<() => Promise<void>>>();
  return {
    listen(topic) {
      const pending = database.listen!(channelOf(topic), (text) => dispatch(topic, text));
      active.set(topic, pending);
      return pending.then(() => undefined);
    },
    listening: (topic) => (active.get(topic) ?? Promise.resolve()).then(() => undefined),
    async unlisten(topic) {
      const pending = active.get(topic);
      active.delete(topic);
      if (pending) await (await pending)();
    },
    async close() {
      const all = [...active.values()];
      active.clear();
      for (const pending of all) await (await pending)().catch(() => undefined);
    },
  };
}

/** One dedicated connection per instance; LISTENs are serialized on it and replayed after a reconnect. */
function pgListener(database: Database, dispatch: (topic: string, text: string) => void): Listener {
  const topics = new Map<string, Promise<void>>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const onNotification = (msg: pg.Notification) => {
    if (!msg.channel.startsWith("kv_")) return;
    dispatch(msg.channel.slice(3), msg.payload ?? "null");
  };

  const connect = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: database.url });
      c.on("notification", onNotification);
      c.on("error", () => lost(c));
      c.on("end", () => lost(c));
      await c.connect();
      if (closed) {
        await c.end().catch(() => undefined);
        throw new Error("event bus closed");
      }
      client = c;
      return c;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    if (closed || retry) return;
    // Reconnect and listen again to every topic still subscribed.
    const again = () => {
      retry = null;
      if (closed) return;
      connect()
        .then((fresh) =>
          Promise.all([...topics.keys()].map((t) => fresh.query(`listen ${channelOf(t)}`))),
        )
        .catch(() => {
          retry ??= setTimeout(again, 1000);
        });
    };
    retry = setTimeout(again, 250);
  };

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    listen(topic) {
      const done = serial(async () => {
        const c = await connect();
        await c.query(`listen ${channelOf(topic)}`);
      });
      topics.set(topic, done);
      return done;
    },
    listening: (topic) => topics.get(topic) ?? Promise.resolve(),
    unlisten(topic) {
      topics.delete(topic);
      return serial(async () => {
        if (!client || topics.has(topic)) return;
        await client.query(`unlisten ${channelOf(topic)}`);
      });
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      topics.clear();
      await queue;
      const c = client ?? (connecting ? await connecting.catch(() => null) : null);
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
