import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { HEIGHT_MESSAGE, widgetScript } from "./public-needs.routes.ts";

/**
 * The widget's loader as a municipality's page runs it (in a sandbox with just enough of
 * a page): the iframe it adds, and which height messages move it.
 */

const BASE = "https://kaveret.example.org";
const DEP = "5f0c6a1e-8a51-4cf0-9b5c-0f3a2b7d9e11";

function load(attrs: Record<string, string>, pageOrigin = "https://www.city.example") {
  const listeners: ((e: unknown) => void)[] = [];
  const inserted: unknown[] = [];
  const frame = {
    style: {} as Record<string, string>,
    contentWindow: { name: "the report page" },
    src: "",
    title: "",
    loading: "",
  };
  const script = {
    getAttribute: (n: string) => attrs[n] ?? null,
    parentNode: { insertBefore: (el: unknown) => inserted.push(el) },
  };
  runInNewContext(widgetScript(BASE), {
    document: { currentScript: script, createElement: () => frame },
    window: {
      location: { origin: pageOrigin },
      addEventListener: (type: string, fn: (e: unknown) => void) => {
        if (type === "message") listeners.push(fn);
      },
    },
  });
  const send = (e: { origin: string; source: unknown; data: unknown }) =>
    listeners.forEach((l) => l(e));
  const fromPage = (data: unknown) => send({ origin: BASE, source: frame.contentWindow, data });
  return { frame, inserted, send, fromPage };
}

describe("the widget loader", () => {
  it("adds the report page after its script, in the asked language, naming the page that embeds it", () => {
    const { frame, inserted } = load({ "data-department": DEP, "data-lang": "ar" });
    expect(inserted).toEqual([frame]);
    const src = new URL(frame.src);
    expect(src.origin + src.pathname).toBe(`${BASE}/embed/report/${DEP}`);
    expect(src.searchParams.get("lang")).toBe("ar");
    expect(src.searchParams.get("parent")).toBe("https://www.city.example");
    expect(frame.title).toBe("الإبلاغ عن حاجة");
    expect(frame.style.cssText).toContain("height:640px");
  });

  it("adds nothing without a valid department", () => {
    expect(load({ "data-department": "x" }).inserted).toEqual([]);
    expect(load({}).inserted).toEqual([]);
  });

  it("fits the iframe to the height its own page reports, within bounds", () => {
    const { frame, fromPage } = load({ "data-department": DEP });
    fromPage({ type: HEIGHT_MESSAGE, height: 812.3 });
    expect(frame.style.height).toBe("813px");
    fromPage({ type: HEIGHT_MESSAGE, height: 12 });
    expect(frame.style.height).toBe("240px");
    fromPage({ type: HEIGHT_MESSAGE, height: 1e9 });
    expect(frame.style.height).toBe("4000px");
  });

  it("ignores messages from another origin, another frame, or of another shape", () => {
    const { frame, send, fromPage } = load({ "data-department": DEP });
    fromPage({ type: HEIGHT_MESSAGE, height: 700 });
    const ignored: { origin: string; source: unknown; data: unknown }[] = [
      {
        origin: "https://evil.example",
        source: frame.contentWindow,
        data: { type: HEIGHT_MESSAGE, height: 90 },
      },
      {
        origin: BASE,
        source: { name: "another frame" },
        data: { type: HEIGHT_MESSAGE, height: 90 },
      },
      { origin: BASE, source: frame.contentWindow, data: { type: "other", height: 90 } },
      { origin: BASE, source: frame.contentWindow, data: { type: HEIGHT_MESSAGE, height: "900" } },
      {
        origin: BASE,
        source: frame.contentWindow,
        data: { type: HEIGHT_MESSAGE, height: Number.NaN },
      },
      {
        origin: BASE,
        source: frame.contentWindow,
        data: { type: HEIGHT_MESSAGE, height: Infinity },
      },
      { origin: BASE, source: frame.contentWindow, data: null },
      { origin: BASE, source: frame.contentWindow, data: "kaveret:report-height 900" },
    ];
    for (const e of ignored) send(e);
    expect(frame.style.height).toBe("700px");
  });
});
