/**
 * The QR code of a form's public link: what the distribution tab shows, downloads and
 * prints is read back by a real QR decoder (jsQR) as the link itself — from the SVG
 * file's path and from the card rendered to HTML — so a drawing bug (a shifted run, a
 * lost module, a wrong margin) cannot pass.
 */
import { createElement as h } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { MantineProvider } from "@mantine/core";
import { I18nextProvider } from "react-i18next";
import jsQR from "jsqr";
import { encode } from "uqr";
import { theme } from "../../app/theme.ts";
import { i18n } from "../../i18n/index.ts";
import { initTestI18n } from "../../test/i18n.ts";
import { FormQrCard } from "./form-qr-card.tsx";
import { QR_QUIET_ZONE, qrCode, qrFileName, qrSvgFile } from "./form-qr.ts";

const LINK = "https://kaveret.example.org/s/5eb2f0c8-c4ac-4f32-ab4a-2c1252337915";

/** The dark modules a path of `M{x} {y}h{w}v1h{-w}z` rectangles paints. */
function modulesOf(path: string, size: number): boolean[][] {
  const grid = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  const re = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/g;
  let consumed = 0;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    const [x, y, w, back] = [m[1], m[2], m[3], m[4]].map(Number) as [
      number,
      number,
      number,
      number,
    ];
    expect(back).toBe(w);
    for (let i = x; i < x + w; i++) grid[y]![i] = true;
    consumed += m[0].length;
  }
  expect(consumed).toBe(path.length); // nothing in the path the parser did not understand
  return grid;
}

/** What a camera sees: the modules as black and white pixels, `scale` per module. */
function decode(grid: boolean[][], scale = 4): string | null {
  const side = grid.length * scale;
  const pixels = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = grid[Math.floor(y / scale)]![Math.floor(x / scale)] ? 0 : 255;
      pixels.set([v, v, v, 255], (y * side + x) * 4);
    }
  }
  return jsQR(pixels, side, side, { inversionAttempts: "dontInvert" })?.data ?? null;
}

const attr = (svg: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(svg)?.[1];

beforeAll(async () => {
  await initTestI18n({ languages: ["he", "en"], lng: "he", fallbackLng: { default: ["he"] } });
});

describe("form QR code", () => {
  it("draws uqr's matrix exactly, with a quiet zone, and decodes to the link", () => {
    const code = qrCode(LINK);
    const grid = modulesOf(code.path, code.size);
    expect(grid).toEqual(encode(LINK, { ecc: "M", border: QR_QUIET_ZONE }).data);
    // The margin is white all round.
    for (let i = 0; i < code.size; i++) {
      for (const [x, y] of [
        [i, 0],
        [0, i],
        [i, code.size - 1],
        [code.size - 1, i],
      ] as const) {
        expect(grid[y]![x]).toBe(false);
      }
    }
    expect(decode(grid)).toBe(LINK);
    // The decoder does read what it is given: another link's code is that link.
    const other = qrCode(`${LINK}0`);
    expect(decode(modulesOf(other.path, other.size))).toBe(`${LINK}0`);
  });

  it("the downloadable SVG file holds the same code and names the form", () => {
    const code = qrCode(LINK);
    const file = qrSvgFile(code, "קוד QR לסקר „שכונה & <בית>”");
    expect(file.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(file).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(file).toContain(`viewBox="0 0 ${code.size} ${code.size}"`);
    expect(file).toContain("<title>קוד QR לסקר „שכונה &#38; &#60;בית&#62;”</title>");
    const path = attr(file.slice(file.indexOf("<path")), "d") ?? "";
    expect(decode(modulesOf(path, code.size))).toBe(LINK);
    expect(qrFileName("סקר דלת לדלת — נווה שלום")).toBe("סקר-דלת-לדלת-נווה-שלום-qr.svg");
    expect(qrFileName("///")).toBe("form-qr.svg");
  });

  it("the card in the distribution tab shows the link's code with a translated name, download and print", async () => {
    await i18n.changeLanguage("he");
    const html = renderToString(
      h(
        I18nextProvider,
        { i18n },
        h(MantineProvider, { theme }, h(FormQrCard, { url: LINK, title: "סקר שכונה" })),
      ),
    );
    const svg = /<svg[^>]*data-testid="form-qr-svg"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "";
    expect(attr(svg, "aria-label")).toBe("קוד QR לסקר „סקר שכונה”");
    expect(attr(svg, "role")).toBe("img");
    const [, , w] = (attr(svg, "viewBox") ?? "").split(" ").map(Number);
    const path = attr(svg.slice(svg.indexOf("<path")), "d") ?? "";
    expect(decode(modulesOf(path, w ?? 0))).toBe(LINK);
    expect(html).toContain('data-testid="qr-download"');
    expect(html).toContain("הורדת הקוד (SVG)");
    expect(html).toContain('data-testid="qr-print"');
    expect(html).toContain("הדפסה");
  });
});
