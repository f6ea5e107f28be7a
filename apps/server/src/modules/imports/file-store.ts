import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { FieldCipher } from "@kaveret/db";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * An uploaded file as kept until its import ends: compressed (a CSV shrinks
 * several times), then encrypted with the field key like any sensitive value.
 */
export async function sealFile(cipher: FieldCipher, file: Buffer): Promise<string> {
  const packed = await gzipAsync(file, { level: 6 });
  return cipher.encrypt(packed.toString("base64"));
}

export async function openFile(cipher: FieldCipher, sealed: string): Promise<Buffer> {
  return gunzipAsync(Buffer.from(cipher.decrypt(sealed), "base64"));
}
