import { z } from "zod";
import { LOCALES, normalizeForSearch, type Locale } from "@kaveret/contracts";
import { CONVERSATION_TEXTS, CONVERSATION_WORDS } from "./conversation-texts.ts";

/** Silence after which a half-finished conversation is dropped and the next message starts anew. */
export const CONVERSATION_TIMEOUT_MS = 30 * 60_000;
/** The need text limit (NEED_LIMITS.description in the contracts). */
export const NEED_TEXT_LIMIT = 2000;
export const ADDRESS_TEXT_LIMIT = 200;
/** Photos one need may carry (NEED_LIMITS.attachmentsPerNeed); more are ignored. */
export const MAX_PHOTOS = 5;
/** Wrong answers to one question that are asked again; the next one moves on without it. */
export const MAX_REASKS = 2;
/** WhatsApp list-row id of "not sure" (the "0" choice). */
export const NOT_SURE_ID = "cat:-";
const CATEGORY_ID_PREFIX = "cat:";
const MIN_DESCRIPTION = 5;

/** One message from the resident, whatever the channel (the webhook modules make these). */
export type ConversationInput = {
  text?: string;
  location?: { lat: number; lon: number; name?: string | null; address?: string | null };
  /** Photos: a WhatsApp media id, or a Twilio MediaUrl. */
  mediaIds?: string[];
  /** A WhatsApp list or button reply id. */
  interactiveId?: string;
};

export type ChoiceOption = { id: string; number: string; title: string };

/** What we answer; each outbound adapter renders it in its channel's means. */
export type OutboundReply =
  | { kind: "text"; text: string }
  /** A numbered choice: a WhatsApp list where it fits, numbered lines otherwise. */
  | { kind: "choice"; text: string; button: string; moreText: string; options: ChoiceOption[] }
  /** Asks for a location: WhatsApp's "send location" button; plain text on SMS. */
  | { kind: "location_request"; text: string };

/** The need the conversation gathered; the needs service stores it. */
export type NeedDraft = {
  description: string;
  category: string | null;
  location: { lat: number; lon: number } | null;
  addressText: string | null;
  language: Locale;
  mediaIds: string[];
  contactPhone: string;
};

export type ConversationCategory = { code: string; labels: Partial<Record<Locale, string>> };

export type ConversationContext = {
  /** The department's active categories, in the order to offer them. */
  categories: readonly ConversationCategory[];
  now: Date;
  channel: "sms" | "whatsapp";
  /** The resident's number (the conversation key); goes into the draft, not into the state. */
  contactPhone: string;
  /** Language when a message has no letters to tell by (a photo, a location). */
  defaultLanguage?: Locale;
};

const point = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

/** The state kept per (channel, phone) between messages: small, JSON, versioned. */
export const conversationStateSchema = z.object({
  v: z.literal(1),
  step: z.enum(["description", "category", "location", "done"]),
  language: z.enum(LOCALES),
  description: z.string().max(NEED_TEXT_LIMIT),
  category: z.string().max(40).nullable(),
  location: point.nullable(),
  addressText: z.string().max(ADDRESS_TEXT_LIMIT).nullable(),
  mediaIds: z.array(z.string().max(2000)).max(MAX_PHOTOS),
  /** Category codes in the order they were numbered, so "3" means what the resident saw. */
  offered: z.array(z.string().max(40)).max(100),
  attempts: z.number().int().min(0).max(10),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** After the need was made: whether the "already received" note was sent. */
  noticeSent: z.boolean(),
});
export type ConversationState = z.infer<typeof conversationStateSchema>;

export type ConversationResult = {
  /** null: nothing to keep (cancelled); delete the stored state. */
  state: ConversationState | null;
  replies: OutboundReply[];
  /** The conversation finished: store this need, then send confirmationReplies(language, reference). */
  done?: NeedDraft;
  /** An earlier conversation expired after its description was written; the caller may keep it. */
  abandoned?: NeedDraft;
};

/** A stored state, or null when it is missing, from an older version or damaged (start afresh). */
export function parseConversationState(value: unknown): ConversationState | null {
  const parsed = conversationStateSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The thank-you with the need's reference, once the caller stored the draft. */
export function confirmationReplies(language: Locale, reference: string): OutboundReply[] {
  return [{ kind: "text", text: CONVERSATION_TEXTS[language].thanks(reference) }];
}

/* ------------------------------------------------------------------ */
/* Reading the resident's words.                                        */
/* ------------------------------------------------------------------ */

const SCRIPTS: [Locale, RegExp][] = [
  ["he", /[\u0590-\u05FF\uFB1D-\uFB4F]/],
  ["ar", /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/],
  ["ru", /[\u0400-\u04FF]/],
  ["am", /[\u1200-\u139F\u2D80-\u2DDF\uAB00-\uAB2F]/],
  ["en", /[A-Za-z\u00C0-\u024F]/],
];

/** The language of a text by the script most of its letters are in; null when it has no letters. */
export function detectLanguage(text: string): Locale | null {
  const counts = new Map<Locale, number>();
  for (const letter of text.match(/\p{L}/gu) ?? []) {
    const script = SCRIPTS.find(([, re]) => re.test(letter));
    if (script) counts.set(script[0], (counts.get(script[0]) ?? 0) + 1);
  }
  let best: Locale | null = null;
  for (const [language, n] of counts) if (!best || n > (counts.get(best) ?? 0)) best = language;
  return best;
}

const fold = (text: string) =>
  normalizeForSearch(text).replace(/[.@+]/g, " ").replace(/\s+/g, " ").trim();
const wordSet = (words: readonly string[]) => new Set(words.map(fold));
const CANCEL = wordSet(CONVERSATION_WORDS.cancel);
const SKIP = wordSet(CONVERSATION_WORDS.skip);
const GREETINGS = wordSet(CONVERSATION_WORDS.greetings);
const THANKS = wordSet(CONVERSATION_WORDS.thanks);
const NOT_SURE = wordSet(LOCALES.map((l) => CONVERSATION_TEXTS[l].notSure));

/** A number answer ("3", "3.", "#3", Arabic-Indic "٣"), or null. */
export function numberAnswer(text: string): number | null {
  const ascii = text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .trim();
  const m = /^#?\s*(\d{1,3})\s*[.)]?$/.exec(ascii);
  return m ? Number(m[1]) : null;
}

// Control characters other than line breaks and tabs never belong in a need.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const clean = (text: string) => text.replace(CONTROL, "").trim();

/** Cut to `limit` UTF-16 units (what the contract's max counts) without splitting an emoji. */
function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function isDescription(text: string, folded: string): boolean {
  return (
    text.length >= MIN_DESCRIPTION &&
    /\p{L}/u.test(text) &&
    !GREETINGS.has(folded) &&
    !THANKS.has(folded)
  );
}

function labelOf(category: ConversationCategory | undefined, code: string, language: Locale) {
  const l = category?.labels;
  return (l?.[language] || l?.he || l?.en || code).trim();
}

/** A category named in words, in any language (or by its code); null when none or several fit. */
function categoryByWords(
  folded: string,
  offered: readonly string[],
  categories: readonly ConversationCategory[],
): string | null {
  if (folded.length < 2) return null;
  const exact: string[] = [];
  const partial: string[] = [];
  for (const code of offered) {
    const category = categories.find((c) => c.code === code);
    const terms = [code.replace(/_/g, " "), ...Object.values(category?.labels ?? {})]
      .map((t) => fold(t ?? ""))
      .filter((t) => t.length >= 2);
    if (terms.some((t) => t === folded)) exact.push(code);
    else if (
      terms.some(
        (t) => (t.length >= 3 && folded.includes(t)) || (folded.length >= 3 && t.includes(folded)),
      )
    )
      partial.push(code);
  }
  if (exact.length === 1) return exact[0]!;
  if (exact.length === 0 && partial.length === 1) return partial[0]!;
  return null;
}

/* ------------------------------------------------------------------ */
/* The conversation.                                                    */
/* ------------------------------------------------------------------ */

const say = (text: string): OutboundReply => ({ kind: "text", text });

function categoryChoice(
  s: ConversationState,
  ctx: ConversationContext,
  hint: boolean,
): OutboundReply {
  const t = CONVERSATION_TEXTS[s.language];
  return {
    kind: "choice",
    text: hint ? `${t.askCategory}\n${t.cancelHint}` : t.askCategory,
    button: t.chooseButton,
    moreText: t.moreTopics,
    options: [
      ...s.offered.map((code, i) => ({
        id: `${CATEGORY_ID_PREFIX}${code}`,
        number: String(i + 1),
        title: labelOf(
          ctx.categories.find((c) => c.code === code),
          code,
          s.language,
        ),
      })),
      { id: NOT_SURE_ID, number: "0", title: t.notSure },
    ],
  };
}

function locationAsk(s: ConversationState, ctx: ConversationContext, hint: boolean): OutboundReply {
  const t = CONVERSATION_TEXTS[s.language];
  const text = hint ? `${t.askLocation[ctx.channel]}\n${t.cancelHint}` : t.askLocation[ctx.channel];
  return ctx.channel === "whatsapp" ? { kind: "location_request", text } : say(text);
}

function draftOf(s: ConversationState, ctx: ConversationContext): NeedDraft {
  return {
    description: s.description,
    category: s.category,
    location: s.location,
    addressText: s.addressText,
    language: s.language,
    mediaIds: s.mediaIds,
    contactPhone: ctx.contactPhone,
  };
}

function finish(s: ConversationState, ctx: ConversationContext): ConversationResult {
  return {
    // What stays stored is only that a need was made (for "already received"), not its content.
    state: {
      ...s,
      step: "done",
      description: "",
      category: null,
      location: null,
      addressText: null,
      mediaIds: [],
      offered: [],
      attempts: 0,
      noticeSent: false,
    },
    replies: [],
    done: draftOf(s, ctx),
  };
}

/** Photos and a shared location are kept whenever they come. */
function absorb(
  s: ConversationState,
  input: ConversationInput,
  ctx: ConversationContext,
): ConversationState {
  const photos = (input.mediaIds ?? []).filter((id) => id.length > 0 && id.length <= 2000);
  const mediaIds = [...new Set([...s.mediaIds, ...photos])].slice(0, MAX_PHOTOS);
  const loc = input.location;
  const place = loc && point.safeParse({ lat: loc.lat, lon: loc.lon }).success ? loc : null;
  const named = place ? [place.name, place.address].filter((p) => p && p.trim()).join(", ") : "";
  return {
    ...s,
    mediaIds,
    location: place ? { lat: place.lat, lon: place.lon } : s.location,
    addressText: s.addressText ?? (named ? truncate(clean(named), ADDRESS_TEXT_LIMIT) : null),
    updatedAt: ctx.now.toISOString(),
  };
}

/** After the category: the location, unless one came already. */
function afterCategory(
  s: ConversationState,
  replies: OutboundReply[],
  ctx: ConversationContext,
  hint: boolean,
): ConversationResult {
  if (s.location) return finish(s, ctx);
  const next = { ...s, step: "location" as const, attempts: 0 };
  return { state: next, replies: [...replies, locationAsk(next, ctx, hint)] };
}

function withDescription(
  s: ConversationState,
  text: string,
  ctx: ConversationContext,
): ConversationResult {
  const next: ConversationState = {
    ...s,
    description: truncate(text, NEED_TEXT_LIMIT),
    language: detectLanguage(text) ?? s.language,
    attempts: 0,
  };
  const replies =
    text.length > NEED_TEXT_LIMIT ? [say(CONVERSATION_TEXTS[next.language].truncated)] : [];
  if (next.offered.length === 0)
    return afterCategory({ ...next, category: null }, replies, ctx, true);
  const asking = { ...next, step: "category" as const };
  return { state: asking, replies: [...replies, categoryChoice(asking, ctx, true)] };
}

/** A wrong answer: asked again up to MAX_REASKS times, then `moveOn`. */
function wrongAnswer(
  s: ConversationState,
  question: OutboundReply,
  moveOn: (s: ConversationState) => ConversationResult,
): ConversationResult {
  const attempts = s.attempts + 1;
  if (attempts > MAX_REASKS) return moveOn({ ...s, attempts: 0 });
  return {
    state: { ...s, attempts },
    replies: [say(CONVERSATION_TEXTS[s.language].notUnderstood), question],
  };
}

/**
 * One step of the intake conversation: the stored state (or null) and the
 * resident's message in, the new state, our replies and — when finished —
 * the need draft out. Pure: the caller loads and stores the state, sends the
 * replies through an outbound adapter and stores the need.
 */
export function step(
  previous: ConversationState | null,
  input: ConversationInput,
  ctx: ConversationContext,
): ConversationResult {
  let state = previous;
  let abandoned: NeedDraft | undefined;
  if (state && ctx.now.getTime() - Date.parse(state.updatedAt) > CONVERSATION_TIMEOUT_MS) {
    if (state.step === "category" || state.step === "location") abandoned = draftOf(state, ctx);
    state = null;
  }
  const result = advance(state, input, ctx);
  return abandoned ? { ...result, abandoned } : result;
}

function advance(
  state: ConversationState | null,
  input: ConversationInput,
  ctx: ConversationContext,
): ConversationResult {
  const text = clean(input.text ?? "");
  const folded = fold(text);
  const hasPhoto = (input.mediaIds ?? []).length > 0;
  const fallback = ctx.defaultLanguage ?? "he";

  if (folded && CANCEL.has(folded)) {
    const language =
      state && state.step !== "done" ? state.language : (detectLanguage(text) ?? fallback);
    return { state: null, replies: [say(CONVERSATION_TEXTS[language].cancelled)] };
  }

  if (state?.step === "done") {
    const smallTalk =
      !hasPhoto && !input.location && !input.interactiveId && !isDescription(text, folded);
    if (smallTalk) {
      const replies = state.noticeSent ? [] : [say(CONVERSATION_TEXTS[state.language].afterDone)];
      return { state: { ...state, noticeSent: true, updatedAt: ctx.now.toISOString() }, replies };
    }
    state = null; // something new to report
  }

  if (!state) {
    const now = ctx.now.toISOString();
    const fresh = absorb(
      {
        v: 1,
        step: "description",
        language: detectLanguage(text) ?? fallback,
        description: "",
        category: null,
        location: null,
        addressText: null,
        mediaIds: [],
        offered: ctx.categories.slice(0, 100).map((c) => c.code),
        attempts: 0,
        startedAt: now,
        updatedAt: now,
        noticeSent: false,
      },
      input,
      ctx,
    );
    if (isDescription(text, folded)) return withDescription(fresh, text, ctx);
    return { state: fresh, replies: [say(CONVERSATION_TEXTS[fresh.language].askDescription)] };
  }

  const s = absorb(state, input, ctx);
  const t = CONVERSATION_TEXTS[s.language];
  const gotSomething = hasPhoto || Boolean(input.location);
  const received = hasPhoto ? [say(t.photoReceived)] : [];

  switch (s.step) {
    case "description": {
      // After two non-answers, whatever words come are the description.
      if (isDescription(text, folded) || (/\p{L}/u.test(text) && s.attempts >= MAX_REASKS)) {
        return withDescription(s, text, ctx);
      }
      const attempts = gotSomething ? s.attempts : s.attempts + 1;
      return { state: { ...s, attempts }, replies: [...received, say(t.askDescription)] };
    }

    case "category": {
      const chosen = chosenCategory(s, input.interactiveId, text, folded, ctx);
      if (chosen !== undefined) return afterCategory({ ...s, category: chosen }, [], ctx, false);
      if (!text && !input.interactiveId && gotSomething) {
        return { state: s, replies: [...received, categoryChoice(s, ctx, false)] };
      }
      return wrongAnswer(s, categoryChoice(s, ctx, false), (next) =>
        afterCategory({ ...next, category: null }, [], ctx, false),
      );
    }

    case "location": {
      if (input.location && s.location) return finish(s, ctx);
      if (text && !input.interactiveId) {
        if (SKIP.has(folded) || numberAnswer(text) === 0) return finish(s, ctx);
        const letters = text.match(/\p{L}/gu)?.length ?? 0;
        if (letters >= 2 && text.length >= 3) {
          return finish({ ...s, addressText: truncate(text, ADDRESS_TEXT_LIMIT) }, ctx);
        }
      } else if (hasPhoto && !input.interactiveId) {
        return { state: s, replies: [...received, locationAsk(s, ctx, false)] };
      }
      return wrongAnswer(s, locationAsk(s, ctx, false), (next) => finish(next, ctx));
    }

    case "done": // handled above; kept for the compiler's exhaustiveness
      return { state: s, replies: [] };
  }
}

/** The category an answer names: a code, null for "not sure", undefined when it names none. */
function chosenCategory(
  s: ConversationState,
  interactiveId: string | undefined,
  text: string,
  folded: string,
  ctx: ConversationContext,
): string | null | undefined {
  if (interactiveId) {
    if (interactiveId === NOT_SURE_ID) return null;
    const code = interactiveId.startsWith(CATEGORY_ID_PREFIX)
      ? interactiveId.slice(CATEGORY_ID_PREFIX.length)
      : "";
    return s.offered.includes(code) ? code : undefined;
  }
  if (!text) return undefined;
  const n = numberAnswer(text);
  if (n !== null) return n === 0 ? null : (s.offered[n - 1] ?? undefined);
  if (NOT_SURE.has(folded)) return null;
  return categoryByWords(folded, s.offered, ctx.categories) ?? undefined;
}
