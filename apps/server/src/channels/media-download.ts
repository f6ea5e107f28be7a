import { TransportError } from "../messaging/transport.ts";

/** A photo we will not fetch: too large, or at an address that is not the provider's. */
export class MediaRefusedError extends TransportError {
  constructor(
    transport: string,
    public readonly reason: "too_large" | "not_provider_url",
  ) {
    super(
      transport,
      reason === "too_large" ? "media too large" : "media URL is not the provider's",
    );
    this.name = "MediaRefusedError";
  }
}

export type DownloadedMedia = { bytes: Buffer; contentType: string };

/** Reads a response body, stopping (and refusing) as soon as it passes maxBytes. */
export async function readLimited(
  res: Response,
  maxBytes: number,
  transport: string,
): Promise<Buffer> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new MediaRefusedError(transport, "too_large");
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new MediaRefusedError(transport, "too_large");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The media type of a response, without its parameters. */
export const contentTypeOf = (res: Response) =>
  (res.headers.get("content-type") ?? "application/octet-stream").split(";")[0]!.trim();

/**
 * Fetches a photo a resident sent by MMS (a Twilio MediaUrl) with the
 * account's credentials. Only URLs under our own account on the configured
 * Twilio API are fetched: the URL came in a webhook, and we never let a
 * webhook point the server at an address of its choosing.
 */
export async function downloadTwilioMedia(
  url: string,
  o: {
    apiUrl: string;
    accountSid: string;
    authToken: string;
    maxBytes: number;
    timeoutMs?: number;
  },
): Promise<DownloadedMedia> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new MediaRefusedError("twilio", "not_provider_url");
  }
  const api = new URL(o.apiUrl);
  if (
    target.origin !== api.origin ||
    !target.pathname.startsWith(`/2010-04-01/Accounts/${o.accountSid}/Messages/`)
  ) {
    throw new MediaRefusedError("twilio", "not_provider_url");
  }
  const res = await fetch(target, {
    // Twilio answers with a redirect to its media store; fetch drops the
    // Authorization header when the redirect leaves the origin.
    headers: {
      authorization: `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString("base64")}`,
    },
    signal: AbortSignal.timeout(o.timeoutMs ?? 20_000),
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new TransportError("twilio", `media HTTP ${res.status}`);
  }
  return { bytes: await readLimited(res, o.maxBytes, "twilio"), contentType: contentTypeOf(res) };
}
