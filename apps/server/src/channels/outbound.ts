import type { MessageTransport } from "../messaging/transport.ts";
import type { OutboundReply } from "./conversation.ts";
import { twimlReply } from "./twilio-webhook.ts";

/** Sends the conversation's replies to a resident over one channel. */
export interface ReplySender {
  readonly name: string;
  /** Sends them in order; the provider's message ids where the channel gives them. */
  sendReplies(to: string, replies: OutboundReply[]): Promise<string[]>;
}

/** A reply as plain text: a choice becomes numbered lines ("1. Food"), "0" last. */
export function replyText(reply: OutboundReply): string {
  if (reply.kind !== "choice") return reply.text;
  return [reply.text, ...reply.options.map((o) => `${o.number}. ${o.title}`)].join("\n");
}

/** Several replies as one text: one SMS costs less than three, and they arrive in order. */
export function repliesAsText(replies: OutboundReply[]): string {
  return replies.map(replyText).join("\n\n");
}

/** The synchronous answer to a Twilio webhook (Content-Type text/xml); no replies → no message. */
export function twimlForReplies(replies: OutboundReply[]): string {
  return twimlReply(replies.length ? [repliesAsText(replies)] : []);
}

/** Replies by SMS through the configured message transport (Twilio, or the local outbox). */
export function createSmsReplySender(transport: MessageTransport): ReplySender {
  return {
    name: `sms:${transport.name}`,
    async sendReplies(to, replies) {
      if (replies.length === 0) return [];
      await transport.send({ channel: "sms", to, body: repliesAsText(replies) });
      return [];
    },
  };
}
