import i18n, { type Resource, type ResourceLanguage } from "i18next";
import { initReactI18next } from "react-i18next";
import he from "./he.json";
import {
  DEFAULT_LOCALE,
  FALLBACKS,
  LOCALE_STORAGE_KEY,
  directionOf,
  isUiLocale,
  type UiLocale,
} from "./locales.ts";

type Loader = () => Promise<{ default: ResourceLanguage }>;

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
    const mod = await loaders[l]();
    i18n.addResourceBundle(l, "translation", mod.default, true, true);
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
export async function changeLocale(locale: UiLocale, remember = true): Promise<void> {
  await ensureLoaded(locale);
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
