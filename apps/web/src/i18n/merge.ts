import type { ResourceLanguage } from "i18next";

type Tree = { [k: string]: unknown };

/**
 * Deep-merges translation trees: the language's main file, then each feature's
 * `features/<feature>/i18n/<lang>.json` (so features own their strings and may add
 * to shared namespaces such as `errors` or `nav`).
 */
export function mergeBundles(base: ResourceLanguage, parts: ResourceLanguage[]): ResourceLanguage {
  const out = structuredClone(base) as Tree;
  for (const part of parts) mergeInto(out, part as Tree);
  return out as ResourceLanguage;
}

function mergeInto(target: Tree, source: Tree): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (
      value &&
      typeof value === "object" &&
      existing &&
      typeof existing === "object" &&
      !Array.isArray(value)
    ) {
      mergeInto(existing as Tree, value as Tree);
    } else {
      target[key] = value;
    }
  }
}
