/** The base32 secret inside an otpauth:// URI, spaced in groups of four for typing by hand. */
export function totpSecretOf(uri: string): string | null {
  const m = /[?&]secret=([A-Z2-7=]+)/i.exec(uri);
  if (!m?.[1]) return null;
  return m[1]
    .replace(/=+$/, "")
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, "$1 ");
}
