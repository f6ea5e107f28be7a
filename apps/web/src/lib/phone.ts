/** Israeli mobile numbers as people type them ("050-123 4567") → E.164 ("+972501234567"). */
export function normalizePhone(input: string): string {
  const digits = input.replace(/[^\d+]/g, "");
  if (digits.startsWith("+")) return `+${digits.slice(1).replace(/\+/g, "")}`;
  if (digits.startsWith("00")) return `+${digits.slice(2)}`;
  if (digits.startsWith("972")) return `+${digits}`;
  if (digits.startsWith("0")) return `+972${digits.slice(1)}`;
  return digits;
}

/** A plausible phone number after normalisation (8–15 digits, E.164). */
export function isPlausiblePhone(e164: string): boolean {
  return /^\+[1-9]\d{7,14}$/.test(e164);
}

/** A local path only (no open redirects to other sites). */
export function safeRedirect(target: string | undefined): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return "/";
  }
  if (target.startsWith("/signin") || target.startsWith("/resident/signin")) return "/";
  return target;
}
