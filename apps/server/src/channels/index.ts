// What the needs module's webhook routes use. The stubs in ./testing are for tests only.
export { ChannelError, type ChannelErrorCode } from "./channel-errors.ts";
export { keepRawBodies } from "./raw-body.ts";
export {
  publicWebhookUrl,
  readTwilioWebhook,
  twilioConversationInput,
  twimlReply,
  type TwilioInboundMessage,
} from "./twilio-webhook.ts";
export {
  answerWhatsAppVerification,
  readWhatsAppWebhook,
  whatsAppConversationInput,
  type WhatsAppInboundMessage,
  type WhatsAppStatus,
  type WhatsAppWebhook,
} from "./whatsapp-webhook.ts";
export {
  createWhatsAppTransport,
  WhatsAppTransportError,
  DEFAULT_GRAPH_URL,
  DEFAULT_GRAPH_VERSION,
  type WhatsAppTransport,
  type WhatsAppTransportOptions,
} from "./whatsapp-transport.ts";
export {
  createSmsReplySender,
  repliesAsText,
  twimlForReplies,
  type ReplySender,
} from "./outbound.ts";
export { downloadTwilioMedia, MediaRefusedError, type DownloadedMedia } from "./media-download.ts";
export {
  step,
  confirmationReplies,
  parseConversationState,
  conversationStateSchema,
  CONVERSATION_TIMEOUT_MS,
  type ConversationContext,
  type ConversationInput,
  type ConversationResult,
  type ConversationState,
  type ConversationCategory,
  type NeedDraft,
  type OutboundReply,
} from "./conversation.ts";
