import { useState } from "react";
import { Stack, TextInput, Textarea } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { FORM_LIMITS, type FormSettings, type LocalizedText } from "@kaveret/forms";
import { langAttribute, languageDirection, languageName } from "./form-languages.ts";

/** Monospace for what is typed (names, rules), not for the label and description around it. */
export const MONO = { input: { fontFamily: "var(--mantine-font-family-monospace)" } };

/*
 * Inputs the builder is made of: a text in each of the form's languages, and an
 * expression (ODK XPath, always left-to-right, monospace).
 */

/** One input per form language ("Label (עברית)"); just the label when the form has one language. */
export function LocalizedInputs({
  label,
  description,
  value,
  settings,
  onChange,
  multiline = false,
  error,
  testId,
}: {
  label: string;
  description?: string;
  value: LocalizedText | undefined;
  settings: FormSettings;
  onChange: (language: string, text: string) => void;
  multiline?: boolean;
  error?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const single = settings.languages.length === 1;
  return (
    <Stack gap="xs">
      {settings.languages.map((lang, i) => {
        const props = {
          label: single
            ? label
            : t("forms.builder.inLanguage", {
                field: label,
                language: languageName(lang, settings, t("formRunner.unnamedLanguage")),
              }),
          description: i === 0 ? description : undefined,
          value: value?.[lang] ?? "",
          lang: langAttribute(lang),
          dir: lang === "default" ? "auto" : languageDirection(lang),
          maxLength: FORM_LIMITS.text,
          error: i === 0 ? error : undefined,
          "data-testid": testId ? `${testId}-${lang}` : undefined,
        };
        return multiline ? (
          <Textarea
            key={lang}
            {...props}
            autosize
            minRows={1}
            maxRows={6}
            onChange={(e) => onChange(lang, e.currentTarget.value)}
          />
        ) : (
          <TextInput
            key={lang}
            {...props}
            onChange={(e) => onChange(lang, e.currentTarget.value)}
          />
        );
      })}
    </Stack>
  );
}

/**
 * An expression (relevant, constraint, calculation…): typed freely, empty means none.
 * `error` is the live check's finding for this property.
 */
export function ExpressionInput({
  label,
  description,
  value,
  onChange,
  error,
  testId,
}: {
  label: string;
  description?: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  error?: string;
  testId?: string;
}) {
  return (
    <TextInput
      label={label}
      description={description}
      value={value ?? ""}
      dir="ltr"
      styles={MONO}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      maxLength={FORM_LIMITS.expression}
      error={error}
      onChange={(e) => onChange(e.currentTarget.value === "" ? undefined : e.currentTarget.value)}
      data-testid={testId}
    />
  );
}

/**
 * A name typed by hand: applied only when valid, so the definition never holds a broken
 * one; what is wrong shows under the input meanwhile. Follows outside changes (a name made
 * from the label) while the input is not being edited into something invalid.
 */
export function NameInput({
  label,
  description,
  value,
  problem,
  onApply,
  testId,
}: {
  label: string;
  description?: string;
  value: string;
  problem: (text: string) => string | null;
  onApply: (text: string) => void;
  testId?: string;
}) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    setText(value);
  }
  const error = text === value ? null : problem(text);
  return (
    <TextInput
      label={label}
      description={description}
      value={text}
      dir="ltr"
      styles={MONO}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      maxLength={FORM_LIMITS.name}
      error={error}
      onChange={(e) => {
        const next = e.currentTarget.value.trim();
        setText(e.currentTarget.value);
        if (next !== value && problem(next) === null) onApply(next);
      }}
      onBlur={() => setText(value)}
      data-testid={testId}
    />
  );
}
