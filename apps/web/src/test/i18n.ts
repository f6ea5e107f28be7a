import type { InitOptions, ResourceLanguage } from "i18next";
import { initReactI18next } from "react-i18next";
import { i18n } from "../i18n/index.ts";
import { mergeBundles } from "../i18n/merge.ts";
import he from "../i18n/he.json";
import en from "../i18n/en.json";
import ru from "../i18n/ru.json";
import am from "../i18n/am.json";

/*
 * For tests that render pages to HTML: the app's own i18next instance (pages read the
 * language from it) with the app's and every feature's translations, without a document.
 */

const parts = import.meta.glob<ResourceLanguage>("../features/*/i18n/*.json", {
  eager: true,
  import: "default",
});
const main: Record<TestLanguage, ResourceLanguage> = { he, en, ru, am };

type TestLanguage = "he" | "en" | "ru" | "am";

const bundleOf = (lang: TestLanguage) =>
  mergeBundles(
    main[lang],
    Object.entries(parts)
      .filter(([path]) => path.endsWith(`/${lang}.json`))
      .map(([, bundle]) => bundle),
  );

export async function initTestI18n(o: {
  languages: TestLanguage[];
  lng: TestLanguage;
  fallbackLng: InitOptions["fallbackLng"];
}) {
  await i18n.use(initReactI18next).init({
    resources: Object.fromEntries(o.languages.map((l) => [l, { translation: bundleOf(l) }])),
    lng: o.lng,
    fallbackLng: o.fallbackLng,
    interpolation: { escapeValue: false },
  });
}
