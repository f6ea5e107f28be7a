/**
 * A spam signal for public reports, from what the report itself shows — no outside
 * service, nothing about the sender kept. Each sign adds to a score (0–100); at
 * SPAM_THRESHOLD the report waits in the "suspected spam" view instead of the queue,
 * where a person can still release it. A filled honeypot is refused outright.
 */
export type SpamInput = {
  description: string;
  /** When the form was shown (ms since epoch), if the page sent it. */
  startedAt?: number;
  now: number;
  /** The same text arrived from this department's public intake in the last minutes. */
  repeated: boolean;
};

export type SpamVerdict = { score: number; signs: string[] };

const LINK = /(https?:\/\/|www\.)\S+/gi;

export function spamScore(input: SpamInput): SpamVerdict {
  const signs: string[] = [];
  let score = 0;
  const add = (points: number, sign: string) => {
    score += points;
    signs.push(sign);
  };
  if (input.startedAt !== undefined && input.now - input.startedAt < 2_000) {
    add(40, "too_fast");
  }
  const links = input.description.match(LINK)?.length ?? 0;
  if (links >= 2) add(45, "links");
  else if (links === 1) add(15, "link");
  if (input.repeated) add(50, "repeated");
  const letters = input.description.match(/\p{L}/gu)?.length ?? 0;
  if (input.description.length >= 20 && letters / input.description.length < 0.4) {
    add(25, "few_letters");
  }
  if (/(.)\1{9,}/u.test(input.description)) add(20, "repeated_characters");
  return { score: Math.min(100, score), signs };
}
