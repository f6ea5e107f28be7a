import { encode } from "uqr";

/*
 * The QR code of a form's public link, drawn by us as one SVG path from uqr's module
 * matrix (no canvas, no image library): the same markup is shown, downloaded and printed.
 */

/** Modules of white margin around the code (the standard asks for 4). */
export const QR_QUIET_ZONE = 4;

export interface QrCode {
  /** Modules per side, margin included. */
  size: number;
  /** Row by row, true for a dark module (margin included). */
  modules: boolean[][];
  /** The path of the dark modules, one unit per module. */
  path: string;
}

/**
 * The code of `text`: error correction M (a printed poster may get a little dirty or
 * creased), the smallest version that holds it.
 */
export function qrCode(text: string): QrCode {
  const { data, size } = encode(text, { ecc: "M", border: QR_QUIET_ZONE });
  const parts: string[] = [];
  data.forEach((row, y) => {
    // Runs of dark modules in a row: one rectangle each keeps the path short.
    for (let x = 0; x < size;) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      let end = x;
      while (end < size && row[end]) end += 1;
      parts.push(`M${x} ${y}h${end - x}v1h${x - end}z`);
      x = end;
    }
  });
  return { size, modules: data, path: parts.join("") };
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A standalone SVG file of the code (for download), with its title for screen readers. */
export function qrSvgFile(code: QrCode, title: string, pixelsPerModule = 8): string {
  const px = code.size * pixelsPerModule;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${code.size} ${code.size}" shape-rendering="crispEdges" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${code.size}" height="${code.size}" fill="#ffffff"/>`,
    `<path d="${code.path}" fill="#000000"/>`,
    `</svg>`,
    "",
  ].join("\n");
}

/** A file name from a form's title: letters of any script kept, the rest dashes. */
export function qrFileName(title: string): string {
  const base = title
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${base || "form"}-qr.svg`;
}
