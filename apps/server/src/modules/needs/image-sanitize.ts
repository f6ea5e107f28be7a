/**
 * Photos residents send (a broken pavement, a leaking roof) must not carry where and
 * when they were taken, nor the phone's serial number: EXIF, XMP, IPTC and text
 * chunks are removed byte-wise (no re-encoding, no native image library). The type is
 * decided by the file's own bytes, never by what the sender claimed.
 */

export type SanitizedImage = {
  contentType: "image/jpeg" | "image/png" | "image/webp";
  data: Buffer;
  width: number | null;
  height: number | null;
};

export class ImageError extends Error {
  constructor(public readonly reason: "type" | "corrupt") {
    super(reason === "type" ? "not a JPEG, PNG or WebP image" : "the image file is damaged");
  }
}

export function sniffImageType(buf: Buffer): SanitizedImage["contentType"] | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "image/jpeg";
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return "image/png";
  if (
    buf.length >= 12 &&
    buf.toString("latin1", 0, 4) === "RIFF" &&
    buf.toString("latin1", 8, 12) === "WEBP"
  ) {
    return "image/webp";
  }
  return null;
}

/** Strips metadata; throws ImageError("type") for anything but JPEG/PNG/WebP. */
export function sanitizeImage(buf: Buffer): SanitizedImage {
  const type = sniffImageType(buf);
  if (type === "image/jpeg") return { contentType: type, ...stripJpeg(buf) };
  if (type === "image/png") return { contentType: type, ...stripPng(buf) };
  if (type === "image/webp") return { contentType: type, ...stripWebp(buf) };
  throw new ImageError("type");
}

/* JPEG: drop APP1–APP15 (EXIF, XMP, IPTC, maker notes) except APP2 ICC colour and APP14 Adobe, and comments. */
function stripJpeg(buf: Buffer) {
  const out: Buffer[] = [buf.subarray(0, 2)];
  let width: number | null = null;
  let height: number | null = null;
  let i = 2;
  while (i < buf.length) {
    if (buf[i] !== 0xff) throw new ImageError("corrupt");
    const marker = buf[i + 1];
    if (marker === undefined) throw new ImageError("corrupt");
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      out.push(buf.subarray(i, i + 2));
      break;
    }
    if (marker >= 0xd0 && marker <= 0xd7) {
      out.push(buf.subarray(i, i + 2));
      i += 2;
      continue;
    }
    if (i + 4 > buf.length) throw new ImageError("corrupt");
    const length = buf.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > buf.length) throw new ImageError("corrupt");
    const isSof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof && length >= 7) {
      height = buf.readUInt16BE(i + 5);
      width = buf.readUInt16BE(i + 7);
    }
    const isApp = marker >= 0xe1 && marker <= 0xef;
    const keepApp =
      (marker === 0xe2 && buf.toString("latin1", i + 4, i + 15) === "ICC_PROFILE") ||
      marker === 0xee;
    if (!(isApp && !keepApp) && marker !== 0xfe) out.push(buf.subarray(i, end));
    if (marker === 0xda) {
      // Start of scan: the compressed image follows; the rest is copied as is.
      out.push(buf.subarray(end));
      break;
    }
    i = end;
  }
  return { data: Buffer.concat(out), width, height };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_KEEP = new Set([
  "IHDR",
  "PLTE",
  "IDAT",
  "IEND",
  "tRNS",
  "gAMA",
  "cHRM",
  "sRGB",
  "iCCP",
  "sBIT",
  "pHYs",
  "bKGD",
  "acTL",
  "fcTL",
  "fdAT",
]);

function stripPng(buf: Buffer) {
  const out: Buffer[] = [PNG_SIGNATURE];
  let width: number | null = null;
  let height: number | null = null;
  let i = 8;
  while (i + 8 <= buf.length) {
    const length = buf.readUInt32BE(i);
    const type = buf.toString("latin1", i + 4, i + 8);
    const end = i + 12 + length;
    if (end > buf.length) throw new ImageError("corrupt");
    if (type === "IHDR" && length >= 8) {
      width = buf.readUInt32BE(i + 8);
      height = buf.readUInt32BE(i + 12);
    }
    if (PNG_KEEP.has(type)) out.push(buf.subarray(i, end));
    i = end;
    if (type === "IEND") break;
  }
  if (width === null) throw new ImageError("corrupt");
  return { data: Buffer.concat(out), width, height };
}

function stripWebp(buf: Buffer) {
  const chunks: Buffer[] = [];
  let width: number | null = null;
  let height: number | null = null;
  let i = 12;
  while (i + 8 <= buf.length) {
    const type = buf.toString("latin1", i, i + 4);
    const length = buf.readUInt32LE(i + 4);
    const end = i + 8 + length + (length % 2);
    if (i + 8 + length > buf.length) throw new ImageError("corrupt");
    const chunk = Buffer.from(buf.subarray(i, Math.min(end, buf.length)));
    if (type === "VP8X" && length >= 10) {
      chunk[8] = chunk[8]! & ~0x0c; // no EXIF (0x08), no XMP (0x04)
      width = 1 + chunk.readUIntLE(12, 3);
      height = 1 + chunk.readUIntLE(15, 3);
    } else if (type === "VP8 " && length >= 10 && width === null) {
      width = chunk.readUInt16LE(14) & 0x3fff;
      height = chunk.readUInt16LE(16) & 0x3fff;
    } else if (type === "VP8L" && length >= 5 && width === null) {
      const bits = chunk.readUInt32LE(9);
      width = (bits & 0x3fff) + 1;
      height = ((bits >> 14) & 0x3fff) + 1;
    }
    if (type !== "EXIF" && type !== "XMP ") chunks.push(chunk);
    i = end;
  }
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(body.length + 4, 4);
  header.write("WEBP", 8, "latin1");
  return { data: Buffer.concat([header, body]), width, height };
}
