import { describe, expect, it } from "vitest";
import type { ResourceLanguage } from "i18next";
import { COMMUNITY_KINDS, COMMUNITY_LEVELS, ERROR_CODES, ROLES } from "@kaveret/contracts";
import heMain from "./he.json";
import arMain from "./ar.json";
import enMain from "./en.json";
import ruMain from "./ru.json";
import amMain from "./am.json";
import { UI_LOCALES } from "./locales.ts";
import { mergeBundles } from "./merge.ts";

// The same merge as the app: each language's main file plus every feature's file.
const parts = import.meta.glob<ResourceLanguage>("../features/*/i18n/*.json", {
  eager: true,
  import: "default",
});
const partsOf = (lng: string) =>
  Object.entries(parts)
    .filter(([path]) => path.endsWith(`/i18n/${lng}.json`))
    .map(([, bundle]) => bundle);
const he = mergeBundles(heMain, partsOf("he"));
const ar = mergeBundles(arMain, partsOf("ar"));
const en = mergeBundles(enMain, partsOf("en"));
const ru = mergeBundles(ruMain, partsOf("ru"));
const am = mergeBundles(amMain, partsOf("am"));

type Tree = { [k: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Keys with plural suffixes folded to their base ("communities.count_two" → "communities.count"). */
function baseKeys(tree: Tree): Set<string> {
  return new Set([...flatten(tree).keys()].map((k) => k.replace(PLURAL, "")));
}

function pluralForms(tree: Tree, base: string): string[] {
  return [...flatten(tree).keys()]
    .filter((k) => k.replace(PLURAL, "") === base && PLURAL.test(k))
    .map((k) => PLURAL.exec(k)?.[1] ?? "");
}

const bundles = { he, ar, en, ru, am } as Record<string, Tree>;
const heTree = he as Tree;

describe("translations", () => {
  it("every Hebrew key exists in Arabic and English", () => {
    const source = baseKeys(heTree);
    for (const lng of ["ar", "en"]) {
      const target = baseKeys(bundles[lng] as Tree);
      const missing = [...source].filter((k) => !target.has(k));
      expect(missing, `missing in ${lng}`).toEqual([]);
    }
  });

  it("no language has keys Hebrew lacks", () => {
    const source = baseKeys(heTree);
    for (const lng of ["ar", "en", "ru", "am"]) {
      const extra = [...baseKeys(bundles[lng] as Tree)].filter((k) => !source.has(k));
      expect(extra, `extra in ${lng}`).toEqual([]);
    }
  });

  it("plural keys carry every plural category of their language", () => {
    const plurals = [...flatten(heTree).keys()]
      .filter((k) => PLURAL.test(k))
      .map((k) => k.replace(PLURAL, ""));
    for (const lng of ["he", "ar", "en"]) {
      const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
      for (const base of new Set(plurals)) {
        const forms = pluralForms(bundles[lng] as Tree, base);
        for (const c of categories) expect(forms, `${lng} ${base}_${c}`).toContain(c);
      }
    }
  });

  it("every server error code has a message in he, ar and en", () => {
    for (const lng of ["he", "ar", "en"]) {
      const keys = flatten(bundles[lng] as Tree);
      for (const code of ERROR_CODES)
        expect(keys.has(`errors.${code}`), `${lng} errors.${code}`).toBe(true);
      expect(keys.has("errors.generic")).toBe(true);
    }
  });

  it("roles, community kinds and levels are translated", () => {
    for (const lng of ["he", "ar", "en"]) {
      const keys = flatten(bundles[lng] as Tree);
      for (const r of ROLES) expect(keys.has(`roles.${r}`), `${lng} roles.${r}`).toBe(true);
      for (const k of COMMUNITY_KINDS) expect(keys.has(`communities.kinds.${k}`)).toBe(true);
      for (const l of COMMUNITY_LEVELS) expect(keys.has(`communities.levels.${l}`)).toBe(true);
    }
  });

  it("Russian and Amharic cover the resident sign-in screen and language names", () => {
    const needed = [...flatten(heTree).keys()].filter(
      (k) => k.startsWith("auth.resident.") || k.startsWith("languages.") || k === "lang.label",
    );
    for (const lng of ["ru", "am"]) {
      const keys = flatten(bundles[lng] as Tree);
      const missing = needed.filter((k) => !keys.has(k));
      expect(missing, `missing in ${lng}`).toEqual([]);
    }
  });

  it("has a bundle for every UI locale", () => {
    for (const l of UI_LOCALES) expect(bundles[l]).toBeDefined();
  });

  it("every literal key used in the code exists in Hebrew", () => {
    const sources = import.meta.glob("../**/*.{ts,tsx}", {
      query: "?raw",
      import: "default",
      eager: true,
    }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    const keys = baseKeys(heTree);
    const missing: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      if (file.endsWith(".test.ts")) continue;
      for (const m of text.matchAll(/\bt\(\s*"([a-zA-Z][\w.]*)"/g)) {
        const key = m[1] ?? "";
        if (!keys.has(key)) missing.push(`${file}: ${key}`);
      }
      for (const m of text.matchAll(/\bt\(\s*\w+(?:\.\w+)?\s*\?\s*"([\w.]+)"\s*:\s*"([\w.]+)"/g)) {
        for (const key of [m[1] ?? "", m[2] ?? ""])
          if (!keys.has(key)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
