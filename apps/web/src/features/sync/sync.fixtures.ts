import type { Call, FieldAssignment, SyncCommand, SyncCommandResult } from "@kaveret/contracts";
import type { FetchLike } from "./sync-engine.ts";

/*
 * A small in-memory stand-in for the server half (apps/server/src/modules/sync), for the
 * engine's tests: the same push semantics (each command applied once, a replay answers
 * the stored result, field-by-field merge of edits, conflicts on the same field) and
 * pull pages over a change log. Faults can be queued per request.
 */

export interface ServerNeed {
  id: string;
  reference: string;
  version: number;
  status: string;
  category: string | null;
  urgency: string;
  description: string;
  addressText: string;
  community: { id: string; name: string } | null;
  /** Ids of comments (the command id is the comment id on the real server too). */
  comments: Set<string>;
}

/** What happens to the next request: dropped before the server, or after it applied. */
export type Fault = "fail-before" | "lose-answer" | "server-error" | "unauthenticated";

const FIELDS = ["status", "category", "urgency", "description", "addressText"] as const;

export class FakeSyncServer {
  needs = new Map<string, ServerNeed>();
  forms = new Map<
    string,
    { id: string; title: string; status: string; definition: unknown; version: number }
  >();
  responses = new Map<string, { formId: string; answers: unknown }>();
  /** Emergency calls held by the reader (the fake has one reader). */
  calls = new Map<string, Call>();
  /** Call attempts recorded, by device-made attempt id (each should appear once). */
  attempts = new Map<string, { callId: string; outcome: string; help?: unknown }>();
  /** Command ids in the order the server applied them (each should appear once). */
  applied: string[] = [];
  /** Command ids of each push, as received. */
  pushes: string[][] = [];
  /** Cursors asked for by pulls. */
  pulls: number[] = [];
  /** The reader's door-to-door assignments (sent whole on a pull's last page; null: an older server). */
  assignments: FieldAssignment[] | null = null;
  /** Needs out of the reader's reach (pulled as removals). */
  hidden = new Set<string>();
  faults: Fault[] = [];
  /** Photos uploaded (by their device-made ids; each should appear once whatever the retries). */
  photos = new Map<string, { formId: string; size: number }>();
  /** Photo uploads refused with this status and code (too large, not an image). */
  refusePhotos = new Map<string, { status: number; code: string }>();
  /** Every request that reached the server, in order: "PUT photo <id>", "POST push <ids>". */
  requests: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private stored = new Map<string, { hash: string; result: SyncCommandResult }>();
  private log: { seq: number; kind: "need" | "form" | "emergency_call"; id: string }[] = [];
  private seq = 0;
  private number = 0;

  fetch: FetchLike = async (input, init) => {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // A turn of the event loop, so concurrent callers could overlap if they were allowed to.
      await new Promise((r) => setTimeout(r, 0));
      const fault = this.faults.shift();
      if (fault === "fail-before") throw new TypeError("Failed to fetch");
      if (fault === "server-error") return json(500, { error: { code: "internal_error" } });
      if (fault === "unauthenticated") return json(401, { error: { code: "unauthenticated" } });
      const url = new URL(input, "http://device.test");
      let res: Response;
      const photo = /^\/api\/forms\/([^/]+)\/photos\/([^/]+)$/.exec(url.pathname);
      if (photo && init.method === "PUT") {
        const [, formId, id] = photo as unknown as [string, string, string];
        this.requests.push(`PUT photo ${id}`);
        const refused = this.refusePhotos.get(id);
        if (refused) {
          res = json(refused.status, { error: { code: refused.code, message: refused.code } });
        } else {
          const size = init.body instanceof Blob ? init.body.size : 0;
          if (!this.photos.has(id)) this.photos.set(id, { formId, size });
          res = json(200, { id, contentType: "image/jpeg", bytes: size, width: 1, height: 1 });
        }
      } else if (url.pathname === "/api/sync/push" && init.method === "POST") {
        const body = JSON.parse(String(init.body)) as { commands: SyncCommand[] };
        this.requests.push(`POST push ${body.commands.map((c) => c.id).join(",")}`);
        res = json(200, this.push(body.commands));
      } else if (url.pathname === "/api/sync/pull") {
        res = json(
          200,
          this.pull(Number(url.searchParams.get("cursor")), Number(url.searchParams.get("limit"))),
        );
      } else {
        res = json(404, { error: { code: "route_not_found" } });
      }
      if (fault === "lose-answer") throw new TypeError("Failed to fetch");
      return res;
    } finally {
      this.inFlight -= 1;
    }
  };

  push(commands: SyncCommand[]): { results: SyncCommandResult[] } {
    this.pushes.push(commands.map((c) => c.id));
    const results = commands.map((c) => {
      const hash = JSON.stringify([c.name, c.args]);
      const before = this.stored.get(c.id);
      if (before) {
        return before.hash === hash
          ? before.result
          : { id: c.id, status: "rejected" as const, code: "conflict", message: "reused id" };
      }
      const result = this.apply(c);
      this.stored.set(c.id, { hash, result });
      if (result.status === "ok") this.applied.push(c.id);
      return result;
    });
    return { results };
  }

  private changed(kind: "need" | "form" | "emergency_call", id: string) {
    this.log.push({ seq: ++this.seq, kind, id });
  }

  private apply(c: SyncCommand): SyncCommandResult {
    switch (c.name) {
      case "need.create": {
        if (this.needs.has(c.args.id)) {
          return { id: c.id, status: "rejected", code: "conflict", message: "exists" };
        }
        this.needs.set(c.args.id, {
          id: c.args.id,
          reference: `N-2026-${String(++this.number).padStart(4, "0")}`,
          version: 1,
          status: "new",
          category: c.args.category,
          urgency: c.args.urgency,
          description: c.args.description,
          addressText: c.args.addressText,
          community: { id: "c0000000-0000-4000-8000-000000000001", name: "שכונה א" },
          comments: new Set(),
        });
        this.changed("need", c.args.id);
        return { id: c.id, status: "ok", recordId: c.args.id, version: 1 };
      }
      case "need.comment": {
        const n = this.needs.get(c.args.needId);
        if (!n || this.hidden.has(n.id)) {
          return { id: c.id, status: "rejected", code: "not_found", message: "Need not found" };
        }
        n.comments.add(c.id);
        return { id: c.id, status: "ok", recordId: n.id, version: n.version };
      }
      case "need.update": {
        const n = this.needs.get(c.args.needId);
        if (!n || this.hidden.has(n.id)) {
          return { id: c.id, status: "rejected", code: "not_found", message: "Need not found" };
        }
        const apply: Record<string, unknown> = {};
        const conflicts: NonNullable<SyncCommandResult["conflicts"]> = [];
        for (const [field, mine] of Object.entries(c.args.changes)) {
          if (field === "reason") continue;
          const theirs = (n as unknown as Record<string, unknown>)[field];
          if (theirs === mine) continue;
          const base = (c.args.base as Record<string, unknown>)[field];
          if (n.version === c.args.baseVersion || theirs === base) apply[field] = mine;
          else conflicts.push({ field, base, mine, theirs });
        }
        if (conflicts.length) {
          return {
            id: c.id,
            status: "conflict",
            recordId: n.id,
            conflicts,
            currentVersion: n.version,
          };
        }
        if (Object.keys(apply).length === 0) {
          return { id: c.id, status: "ok", recordId: n.id, version: n.version };
        }
        this.edit(n.id, apply);
        return { id: c.id, status: "ok", recordId: n.id, version: n.version };
      }
      case "form.response": {
        const f = this.forms.get(c.args.formId);
        if (!f || f.status !== "open") {
          return { id: c.id, status: "rejected", code: "form.not_open", message: "Form not open" };
        }
        // As the real server: an answer naming a photo (an id) it does not hold is refused.
        const lacking = [...idsIn(c.args.answers)].filter((id) => !this.photos.has(id));
        if (lacking.length) {
          return {
            id: c.id,
            status: "rejected",
            code: "form.answers_invalid",
            message: `photo missing: ${lacking.join(", ")}`,
          };
        }
        this.responses.set(c.args.id, { formId: f.id, answers: c.args.answers });
        return { id: c.id, status: "ok", recordId: c.args.id, version: 1 };
      }
      case "emergency.call_outcome": {
        const call = this.calls.get(c.args.callId);
        if (!call || call.status === "done") {
          return {
            id: c.id,
            status: "rejected",
            code: "emergency.call_not_found",
            message: "No such call",
          };
        }
        if (!this.attempts.has(c.args.attemptId)) {
          this.attempts.set(c.args.attemptId, {
            callId: call.id,
            outcome: c.args.outcome,
            ...(c.args.help ? { help: c.args.help } : {}),
          });
          const attempts = call.attempts + (c.args.outcome === "not_reached" ? 1 : 0);
          this.calls.set(call.id, {
            ...call,
            status: c.args.outcome === "not_reached" ? "retry" : "done",
            outcome: c.args.outcome,
            attempts,
            version: call.version + 1,
          });
          this.changed("emergency_call", call.id);
        }
        return { id: c.id, status: "ok", recordId: call.id, version: call.version + 1 };
      }
    }
  }

  /** An edit made online by someone else (or by this server's rules). */
  edit(needId: string, changes: Record<string, unknown>): void {
    const n = this.needs.get(needId);
    if (!n) throw new Error(`no need ${needId}`);
    for (const f of FIELDS) {
      if (changes[f] !== undefined) (n as unknown as Record<string, unknown>)[f] = changes[f];
    }
    n.version += 1;
    this.changed("need", needId);
  }

  /** The need leaves the reader's reach (moved to another community, say). */
  hide(needId: string): void {
    this.hidden.add(needId);
    this.changed("need", needId);
  }

  /** A call given to the reader (or changed by someone else). */
  putCall(call: Call): void {
    this.calls.set(call.id, call);
    this.changed("emergency_call", call.id);
  }

  /** The call is no longer the reader's (reassigned, or the emergency closed). */
  takeCall(callId: string): void {
    this.calls.delete(callId);
    this.changed("emergency_call", callId);
  }

  addForm(id: string, title: string, status = "open"): void {
    const before = this.forms.get(id);
    this.forms.set(id, {
      id,
      title,
      status,
      definition: { settings: {}, questions: [] },
      version: (before?.version ?? 0) + 1,
    });
    this.changed("form", id);
  }

  pull(cursor: number, limit: number) {
    this.pulls.push(cursor);
    const after = this.log.filter((l) => l.seq > cursor);
    const page = after.slice(0, limit);
    const hasMore = after.length > limit;
    const next = page.length ? page[page.length - 1]!.seq : cursor;
    const seen = new Set<string>();
    const changes = [];
    for (const l of page) {
      if (seen.has(l.id)) continue;
      seen.add(l.id);
      if (l.kind === "emergency_call") {
        const call = this.calls.get(l.id);
        // Done calls leave the device, as on the real server.
        changes.push(
          call && call.status !== "done"
            ? {
                kind: "emergency_call",
                id: l.id,
                op: "upsert",
                version: call.version,
                record: call,
              }
            : { kind: "emergency_call", id: l.id, op: "remove" },
        );
        continue;
      }
      if (l.kind === "form") {
        const f = this.forms.get(l.id);
        changes.push(
          f && f.status === "open"
            ? {
                kind: "form",
                id: l.id,
                op: "upsert",
                version: f.version,
                record: { ...f, anonymous: true },
              }
            : { kind: "form", id: l.id, op: "remove" },
        );
        continue;
      }
      const n = this.needs.get(l.id);
      if (!n || this.hidden.has(l.id)) {
        changes.push({ kind: "need", id: l.id, op: "remove" });
        continue;
      }
      changes.push({
        kind: "need",
        id: n.id,
        op: "upsert",
        version: n.version,
        record: {
          id: n.id,
          reference: n.reference,
          channel: "face_to_face",
          status: n.status,
          category: n.category,
          urgency: n.urgency,
          description: n.description,
          language: "he",
          community: n.community,
          assignee: null,
          hasResident: false,
          hasLocation: false,
          attachmentCount: 0,
          suggestedCategory: null,
          spam: false,
          createdAt: "2026-11-25T10:00:00.000Z",
          updatedAt: "2026-11-25T10:00:00.000Z",
          version: n.version,
          addressText: n.addressText,
          location: null,
        },
      });
    }
    return hasMore || this.assignments === null
      ? { changes, cursor: next, hasMore }
      : { changes, cursor: next, hasMore, assignments: this.assignments };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Id-shaped strings of an answer (the fake's stand-in for its photo questions). */
function idsIn(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === "string" && UUID.test(v)) out.add(v);
  else if (Array.isArray(v)) for (const x of v) idsIn(x, out);
  else if (v && typeof v === "object") for (const x of Object.values(v)) idsIn(x, out);
  return out;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
