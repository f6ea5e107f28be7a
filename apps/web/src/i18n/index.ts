import i18n, { type Resource, type ResourceLanguage } from "i18next";
import { initReactI18next } from "react-i18next";
import heMain from "./he.json";
import { mergeBundles } from "./merge.ts";
import {
  DEFAULT_LOCALE,
  FALLBACKS,
  LOCALE_STORAGE_KEY,
  directionOf,
  isUiLocale,
  type UiLocale,
} from "./locales.ts";

type Loader = () => Promise<{ default: ResourceLanguage }>;
type PartLoader = () => Promise<ResourceLanguage>;

// Features keep their strings in features/<feature>/i18n/<lang>.json.
const heParts = import.meta.glob<ResourceLanguage>("../features/*/i18n/he.json", {
  eager: true,
  import: "default",
});
const he = mergeBundles(heMain, Object.values(heParts));
const partLoaders: Record<Exclude<UiLocale, "he">, Record<string, PartLoader>> = {
  ar: import.meta.glob<ResourceLanguage>("../features/*/i18n/ar.json", { import: "default" }),
  en: import.meta.glob<ResourceLanguage>("../features/*/i18n/en.json", { import: "default" }),
  ru: import.meta.glob<ResourceLanguage>("../features/*/i18n/ru.json", { import: "default" }),
  am: import.meta.glob<ResourceLanguage>("../features/*/i18n/am.json", { import: "default" }),
};

// Only Hebrew ships in the first bundle; other languages load on demand.
const loaders: Record<Exclude<UiLocale, "he">, Loader> = {
  ar: () => import("./ar.json"),
  en: () => import("./en.json"),
  ru: () => import("./ru.json"),
  am: () => import("./am.json"),
};

async function ensureLoaded(locale: UiLocale): Promise<void> {
  for (const l of [locale, ...FALLBACKS[locale]]) {
    if (l === "he" || i18n.hasResourceBundle(l, "translation")) continue;
    const [main, parts] = await Promise.all([
      loaders[l](),
      Promise.all(Object.values(partLoaders[l]).map((load) => load())),
    ]);
    i18n.addResourceBundle(l, "translation", mergeBundles(main.default, parts), true, true);
  }
}

export function readStoredLocale(): UiLocale | null {
  try {
    const v = localStorage.getItem(LOCALE_STORAGE_KEY);
    return isUiLocale(v) ? v : null;
  } catch {
    return null;
  }
}

function applyToDocument(locale: UiLocale): void {
  document.documentElement.lang = locale;
  // Mantine's DirectionProvider watches this attribute and follows it.
  document.documentElement.dir = directionOf(locale);
}

export function currentLocale(): UiLocale {
  return isUiLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

/** Switch the UI language: loads it, updates <html lang dir>, remembers it on this device. */
/** The newest request wins: a slow translation load must not undo a later choice. */
let localeRequest = 0;

export async function changeLocale(locale: UiLocale, remember = true): Promise<void> {
  const request = ++localeRequest;
  await ensureLoaded(locale);
  if (request !== localeRequest) return;
  await i18n.changeLanguage(locale);
  applyToDocument(locale);
  if (remember) {
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, locale);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }
}

export async function initI18n(): Promise<typeof i18n> {
  const initial = readStoredLocale() ?? DEFAULT_LOCALE;
  applyToDocument(initial);
  const resources: Resource = { he: { translation: he } };
  await i18n.use(initReactI18next).init({
    resources,
    lng: DEFAULT_LOCALE,
    fallbackLng: (code) => (isUiLocale(code) ? [...FALLBACKS[code], "he"] : ["he"]),
    supportedLngs: ["he", "ar", "en", "ru", "am"],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  if (initial !== DEFAULT_LOCALE) await changeLocale(initial, false);
  return i18n;
}

export { i18n };
