import { createHash, randomBytes } from "node:crypto";
import type { FieldCipher } from "@kaveret/db";

/** The lookup key of a status-page token (only this is searched; the token is kept encrypted). */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** Fresh status-page links: a random token each, stored only hashed (lookup) and encrypted. */
export function newStatusLinkRows(cipher: FieldCipher, emergencyId: string, residentIds: string[]) {
  return residentIds.map((residentId) => {
    const token = randomBytes(24).toString("base64url");
    return {
      emergencyId,
      residentId,
      tokenHash: hashToken(token),
      tokenEnc: cipher.encrypt(token),
    };
  });
}
