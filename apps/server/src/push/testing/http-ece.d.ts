declare module "http_ece" {
  import type { ECDH } from "node:crypto";
  type Params = { version: "aes128gcm"; privateKey?: ECDH; authSecret?: string; dh?: string };
  const ece: {
    encrypt(buffer: Buffer, params: Params): Buffer;
    decrypt(buffer: Buffer, params: Params): Buffer;
  };
  export default ece;
}
