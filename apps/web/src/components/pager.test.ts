/**
 * The shared pager rendered to HTML (server-side React, no browser): a named navigation
 * landmark with named controls, nothing for one page, and "next" after the pages with the
 * chevron Mantine turns under dir="rtl" — so in Hebrew and Arabic it sits on the left and
 * points left. Written with createElement: the suite collects *.test.ts.
 */
import { createElement as h } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { MantineProvider } from "@mantine/core";
import { I18nextProvider } from "react-i18next";
import { theme } from "../app/theme.ts";
import { i18n } from "../i18n/index.ts";
import { initTestI18n } from "../test/i18n.ts";
import { Pager } from "./pager.tsx";

beforeAll(async () => {
  await initTestI18n({ languages: ["he", "en"], lng: "he", fallbackLng: ["he"] });
});

async function render(total: number, value: number, lng = "he") {
  await i18n.changeLanguage(lng);
  return renderToString(
    h(
      I18nextProvider,
      { i18n },
      h(MantineProvider, { theme }, h(Pager, { total, value, onChange: () => {} })),
    ),
  );
}

/** The opening tag of the control named `label`, and where it stands in the page. */
function control(html: string, label: string) {
  const at = html.indexOf(`aria-label="${label}"`);
  const start = html.lastIndexOf("<button", at);
  return { at, tag: html.slice(start, html.indexOf("</button>", at)) };
}

describe("Pager", () => {
  it("shows nothing for a single page", async () => {
    expect(await render(1, 1)).not.toContain("<nav");
    expect(await render(0, 1)).not.toContain("<nav");
  });

  it("is a named landmark whose controls and pages have names in the reader's language", async () => {
    const html = await render(5, 2, "he");
    expect(html).toMatch(/<nav[^>]*aria-label="מעבר בין עמודים"/);
    expect(html).toContain('aria-label="עמוד 3"');
    expect(control(html, "עמוד הבא").at).toBeGreaterThan(-1);
    const en = await render(5, 2, "en");
    expect(control(en, "Next page").at).toBeGreaterThan(-1);
  });

  it("puts next after the pages, with the chevron that turns in right-to-left text", async () => {
    const html = await render(5, 2, "he");
    const next = control(html, "עמוד הבא");
    const previous = control(html, "עמוד קודם");
    expect(previous.at).toBeLessThan(html.indexOf('aria-label="עמוד 1"'));
    expect(next.at).toBeGreaterThan(html.indexOf('aria-label="עמוד 5"'));
    expect(next.tag).toContain("mantine-rotate-rtl");
    expect(previous.tag).toContain("mantine-rotate-rtl");
  });

  it("keeps the current page within the pages there are", async () => {
    const html = await render(3, 9, "en");
    expect(control(html, "Page 3").tag).toContain('aria-current="page"');
  });
});
