import { WIDGET_HEIGHT_MESSAGE } from "@kaveret/contracts";

/**
 * The embedded report page (the widget's iframe) tells the page around it how tall it is,
 * so the widget's loader (server: public-needs.routes.ts widgetScript) can fit the iframe.
 * Only to a site the department allows: the origin the loader names, else the referrer's,
 * and only when it is on the department's list.
 */

/** The message's type (in the contract: the loader accepts nothing else). */
export const HEIGHT_MESSAGE = WIDGET_HEIGHT_MESSAGE;

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * The origin to post heights to: the one the loader named (`?parent=`), else the
 * referrer's, when the department lists it among the sites that may embed the page;
 * null otherwise (then nothing is posted).
 */
export function embedderOrigin(
  named: string | undefined,
  referrer: string,
  allowed: readonly string[],
): string | null {
  const allowedOrigins = new Set(allowed.map(originOf).filter((o) => o !== null));
  for (const candidate of [named, referrer]) {
    const origin = originOf(candidate);
    if (origin && allowedOrigins.has(origin)) return origin;
  }
  return null;
}

export function heightMessage(height: number): { type: typeof HEIGHT_MESSAGE; height: number } {
  return { type: HEIGHT_MESSAGE, height: Math.ceil(height) };
}
