import { NativeSelect } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { changeLocale, currentLocale } from "../i18n/index.ts";
import { STAFF_UI_LOCALES, UI_LOCALES, isUiLocale, type UiLocale } from "../i18n/locales.ts";

// Each language is named in itself, whatever the UI language.
export const LANGUAGE_NAMES: Record<UiLocale, string> = {
  he: "עברית",
  ar: "العربية",
  en: "English",
  ru: "Русский",
  am: "አማርኛ",
};

export function LanguageSwitch({
  all = false,
  onChange,
}: {
  /** Offer ru and am too (resident screens). */
  all?: boolean;
  onChange?: (locale: UiLocale) => void;
}) {
  const { t, i18n } = useTranslation();
  const active = isUiLocale(i18n.language) ? i18n.language : currentLocale();
  const list: readonly UiLocale[] = all ? UI_LOCALES : STAFF_UI_LOCALES;
  const options = (list.includes(active) ? list : [...list, active]).map((l) => ({
    value: l,
    label: LANGUAGE_NAMES[l],
  }));
  return (
    <NativeSelect
      label={t("lang.label")}
      classNames={{ label: "visually-hidden" }}
      data-testid="lang-switch"
      size="xs"
      w={110}
      value={active}
      data={options}
      onChange={(e) => {
        const v = e.currentTarget.value;
        if (!isUiLocale(v)) return;
        void changeLocale(v).then(() => onChange?.(v));
      }}
    />
  );
}
