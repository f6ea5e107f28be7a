// Phone normalisation lives with the contracts (the server uses the same rules).
export { isPlausiblePhone, normalizePhone } from "@kaveret/contracts";

/** A local path only (no open redirects to other sites). */
export function safeRedirect(target: string | undefined): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return "/";
  }
  if (target.startsWith("/signin") || target.startsWith("/resident/signin")) return "/";
  return target;
}
