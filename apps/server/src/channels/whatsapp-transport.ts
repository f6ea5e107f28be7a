import { z } from "zod";
import { TransportError } from "../messaging/transport.ts";
import type { OutboundReply } from "./conversation.ts";
import {
  contentTypeOf,
  MediaRefusedError,
  readLimited,
  type DownloadedMedia,
} from "./media-download.ts";
import { replyText, type ReplySender } from "./outbound.ts";

export const DEFAULT_GRAPH_URL = "https://graph.facebook.com";
export const DEFAULT_GRAPH_VERSION = "v23.0";

/** The Cloud API's limits on what we send (larger is refused with Graph error 100/131009). */
export const WHATSAPP_LIMITS = {
  textBody: 4096,
  listBody: 1024,
  listButton: 20,
  rowsPerList: 10,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  /** More lists than this for one question reads as spam: numbered text instead. */
  listsPerChoice: 3,
} as const;

/** A message body for POST /{version}/{phone-number-id}/messages. */
export type GraphMessage =
  | {
      messaging_product: "whatsapp";
      recipient_type: "individual";
      to: string;
      type: "text";
      text: { preview_url: false; body: string };
    }
  | {
      messaging_product: "whatsapp";
      recipient_type: "individual";
      to: string;
      type: "interactive";
      interactive:
        | {
            type: "list";
            body: { text: string };
            action: {
              button: string;
              sections: { rows: { id: string; title: string; description?: string }[] }[];
            };
          }
        | {
            type: "location_request_message";
            body: { text: string };
            action: { name: "send_location" };
          };
    };

/**
 * The Graph API refused or could not be reached. Carries Graph's error code,
 * type and trace id (what Meta support asks for) — never the recipient or the
 * text, which are a resident's data.
 */
export class WhatsAppTransportError extends TransportError {
  constructor(
    public readonly status: number,
    public readonly graph: {
      code: number | null;
      subcode: number | null;
      type: string | null;
      fbtraceId: string | null;
    },
    what = `HTTP ${status}`,
  ) {
    const parts = [
      graph.code !== null
        ? `Graph code ${graph.code}${graph.subcode !== null ? `/${graph.subcode}` : ""}`
        : "",
      graph.type ?? "",
      graph.fbtraceId ? `fbtrace_id ${graph.fbtraceId}` : "",
    ].filter(Boolean);
    super("whatsapp", parts.length ? `${what} (${parts.join(", ")})` : what);
    this.name = "WhatsAppTransportError";
  }
}

const NO_GRAPH = { code: null, subcode: null, type: null, fbtraceId: null };

const graphErrorSchema = z.object({
  error: z.object({
    type: z.string().max(100).optional(),
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    fbtrace_id: z.string().max(100).optional(),
  }),
});

const sendAnswerSchema = z.object({
  messages: z.array(z.object({ id: z.string().min(1).max(256) })).min(1),
});

const mediaInfoSchema = z.object({
  url: z.string().min(1).max(4000),
  mime_type: z.string().max(100),
  file_size: z.union([z.number(), z.string()]).optional(),
});

const digitsOf = (to: string) => to.replace(/\D/g, "");

function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const head = text.slice(0, limit - 1);
  return `${/[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head}…`;
}

export function textMessage(to: string, body: string): GraphMessage {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: digitsOf(to),
    type: "text",
    text: { preview_url: false, body: cut(body, WHATSAPP_LIMITS.textBody) },
  };
}

export function locationRequestMessage(to: string, body: string): GraphMessage {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: digitsOf(to),
    type: "interactive",
    interactive: {
      type: "location_request_message",
      body: { text: cut(body, WHATSAPP_LIMITS.listBody) },
      action: { name: "send_location" },
    },
  };
}

/**
 * A choice as WhatsApp list messages: rows "1. Food", ten to a list, so
 * twelve categories and "not sure" make two lists (a row chosen from either
 * comes back with its id). Titles longer than 24 characters are shortened,
 * the full title shown under them. null when it does not fit (too many
 * options, a long question): send it as numbered text instead.
 */
export function listMessages(
  to: string,
  choice: Extract<OutboundReply, { kind: "choice" }>,
): GraphMessage[] | null {
  const L = WHATSAPP_LIMITS;
  const pages = Math.ceil(choice.options.length / L.rowsPerList);
  if (
    pages === 0 ||
    pages > L.listsPerChoice ||
    choice.text.length > L.listBody ||
    choice.options.some((o) => o.id.length > L.rowId || !o.title)
  ) {
    return null;
  }
  return Array.from({ length: pages }, (_, page) => {
    const rows = choice.options.slice(page * L.rowsPerList, (page + 1) * L.rowsPerList).map((o) => {
      const title = `${o.number}. ${o.title}`;
      return title.length <= L.rowTitle
        ? { id: o.id, title }
        : { id: o.id, title: cut(title, L.rowTitle), description: cut(o.title, L.rowDescription) };
    });
    return {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: digitsOf(to),
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: page === 0 ? choice.text : `${choice.moreText} (${page + 1}/${pages})` },
        action: { button: cut(choice.button, L.listButton), sections: [{ rows }] },
      },
    } satisfies GraphMessage;
  });
}

/** The Graph messages one reply becomes. */
export function graphMessagesFor(to: string, reply: OutboundReply): GraphMessage[] {
  switch (reply.kind) {
    case "text":
      return [textMessage(to, reply.text)];
    case "location_request":
      return [locationRequestMessage(to, reply.text)];
    case "choice":
      return listMessages(to, reply) ?? [textMessage(to, replyText(reply))];
  }
}

export type WhatsAppTransportOptions = {
  accessToken: string;
  phoneNumberId: string;
  baseUrl?: string;
  version?: string;
  timeoutMs?: number;
  /** Hosts the Graph API hands out media URLs on (besides baseUrl's own). */
  mediaHosts?: string[];
};

export type WhatsAppTransport = ReplySender & {
  /** Sends one message; the answer's messages[0].id (a wamid). */
  send(message: GraphMessage): Promise<string>;
  sendText(to: string, body: string): Promise<string>;
  /** A photo a resident sent: media id → its URL (Graph) → the bytes, refused past maxBytes. */
  downloadMedia(mediaId: string, o: { maxBytes: number }): Promise<DownloadedMedia>;
};

/** Outbound WhatsApp through the Cloud API (a ReplySender too) (graph.facebook.com or a local stub with its shape). */
export function createWhatsAppTransport(o: WhatsAppTransportOptions): WhatsAppTransport {
  const base = (o.baseUrl ?? DEFAULT_GRAPH_URL).replace(/\/+$/, "");
  const version = o.version ?? DEFAULT_GRAPH_VERSION;
  const auth = `Bearer ${o.accessToken}`;
  const timeout = o.timeoutMs ?? 10_000;
  const mediaHosts = o.mediaHosts ?? ["lookaside.fbsbx.com"];

  async function call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        headers: { authorization: auth, ...init.headers },
        signal: AbortSignal.timeout(timeout),
      });
    } catch (err) {
      const name = err instanceof Error ? err.name : "";
      throw new WhatsAppTransportError(
        0,
        NO_GRAPH,
        name === "TimeoutError" ? "timed out" : "network error",
      );
    }
  }

  async function failure(res: Response): Promise<WhatsAppTransportError> {
    const parsed = graphErrorSchema.safeParse(await res.json().catch(() => null));
    const e = parsed.success ? parsed.data.error : null;
    return new WhatsAppTransportError(res.status, {
      code: e?.code ?? null,
      subcode: e?.error_subcode ?? null,
      type: e?.type ?? null,
      fbtraceId: e?.fbtrace_id ?? null,
    });
  }

  async function send(message: GraphMessage): Promise<string> {
    const res = await call(`${base}/${version}/${encodeURIComponent(o.phoneNumberId)}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
    });
    if (!res.ok) throw await failure(res);
    const answer = sendAnswerSchema.safeParse(await res.json().catch(() => null));
    if (!answer.success)
      throw new WhatsAppTransportError(res.status, NO_GRAPH, "unexpected answer");
    return answer.data.messages[0]!.id;
  }

  return {
    name: "whatsapp",
    send,
    sendText: (to, body) => send(textMessage(to, body)),
    async sendReplies(to, replies) {
      const ids: string[] = [];
      // One after another: WhatsApp shows them in the order they were accepted.
      for (const reply of replies) {
        for (const message of graphMessagesFor(to, reply)) ids.push(await send(message));
      }
      return ids;
    },
    async downloadMedia(mediaId, { maxBytes }) {
      const infoRes = await call(`${base}/${version}/${encodeURIComponent(mediaId)}`, {
        method: "GET",
      });
      if (!infoRes.ok) throw await failure(infoRes);
      const info = mediaInfoSchema.safeParse(await infoRes.json().catch(() => null));
      if (!info.success)
        throw new WhatsAppTransportError(infoRes.status, NO_GRAPH, "unexpected answer");
      let url: URL;
      try {
        url = new URL(info.data.url);
      } catch {
        throw new MediaRefusedError("whatsapp", "not_provider_url");
      }
      const own = url.origin === new URL(base).origin;
      if (!own && !(url.protocol === "https:" && mediaHosts.includes(url.hostname))) {
        throw new MediaRefusedError("whatsapp", "not_provider_url");
      }
      if (Number(info.data.file_size ?? 0) > maxBytes)
        throw new MediaRefusedError("whatsapp", "too_large");
      const res = await call(url.toString(), { method: "GET" });
      if (!res.ok) throw await failure(res);
      const bytes = await readLimited(res, maxBytes, "whatsapp");
      return { bytes, contentType: info.data.mime_type || contentTypeOf(res) };
    },
  };
}
