import { schema, type Db } from "@kaveret/db";

export type OutgoingMessage = {
  channel: "email" | "sms";
  to: string;
  subject?: string;
  body: string;
};

/**
 * Every message that leaves Kaveret (one-time codes, invitations, later
 * broadcasts) goes through a transport. Providers (SMTP, SMS gateways,
 * WhatsApp) plug in here; the local transport really delivers — into the
 * dev_outbox table, shown on /dev/outbox — so development and tests need
 * no outside service and no code is hard-wired.
 */
export interface MessageTransport {
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
}

export function createLocalTransport(db: Db): MessageTransport {
  return {
    name: "local",
    async send(message) {
      await db.insert(schema.devOutbox).values({
        channel: message.channel,
        to: message.to,
        subject: message.subject ?? null,
        body: message.body,
      });
    },
  };
}
