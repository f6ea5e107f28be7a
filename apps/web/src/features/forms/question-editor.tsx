import { useState } from "react";
import {
  Button,
  Checkbox,
  Collapse,
  List,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  FORM_LIMITS,
  isContainer,
  type Field,
  type FieldType,
  type FormDefinition,
  type FormNode,
  type LocalizedText,
} from "@kaveret/forms";
import { ExpressionInput, LocalizedInputs, MONO, NameInput } from "./builder-fields.tsx";
import {
  BUILDER_FIELD_TYPES,
  allNames,
  changeType,
  nameProblem,
  renameNode,
  setLocalized,
  slugifyName,
  uniqueName,
  updateNode,
  withProperty,
  type NodePath,
} from "./builder-tree.ts";
import { ChoicesEditor } from "./choices-editor.tsx";
import { problemProperty, problemText, type ProblemLike } from "./form-problems.ts";
import { typeKey } from "./form-labels.ts";

/** Names the builder changes: the old one leaves the auto-named set, the new one may join it. */
export type AutoNamesUpdate = (names: Set<string>) => void;

const INPUT_TYPES = new Set<string>([
  "text",
  "integer",
  "decimal",
  "select_one",
  "select_multiple",
  "date",
  "geopoint",
  "image",
]);
const isSelectType = (t: string) => t === "select_one" || t === "select_multiple";

/**
 * Everything about one question (or group, or repeat): type, texts in each language,
 * name, required, choices, and — under "more settings" — the rules: shown when,
 * allowed when, calculation, default, read-only, appearance, choice filter, repeat count.
 * Each change is applied to the definition at once (the parent checks it live).
 */
export function QuestionEditor({
  def,
  path,
  node,
  problems,
  autoNamed,
  onChange,
}: {
  def: FormDefinition;
  path: NodePath;
  node: FormNode;
  problems: readonly ProblemLike[];
  autoNamed: boolean;
  onChange: (def: FormDefinition, names?: AutoNamesUpdate) => void;
}) {
  const { t } = useTranslation();
  const settings = def.settings;
  const field = isContainer(node) ? null : node;
  const type = node.type;
  const [advanced, setAdvanced] = useState(() => hasAdvanced(node));
  const advancedId = `adv-${path.join("-")}`;

  const propertyError = (...properties: string[]) => {
    const found = problems.filter((p) => {
      const prop = problemProperty(p);
      return prop !== undefined && properties.includes(prop);
    });
    return found.length > 0 ? found.map((p) => problemText(t, p)).join(" · ") : undefined;
  };
  const shownElsewhere = new Set([
    "relevant",
    "constraint",
    "calculation",
    "choiceFilter",
    "repeatCount",
    "default",
    "required",
    "readOnly",
  ]);
  const general = problems.filter((p) => {
    const prop = problemProperty(p);
    return !prop || !shownElsewhere.has(prop);
  });

  const set = (key: string, value: unknown) =>
    onChange(updateNode(def, path, (n) => withProperty(n, key, value)));

  const setText =
    (key: "label" | "hint" | "requiredMessage" | "constraintMessage") =>
    (lang: string, text: string) => {
      const current = (node as Partial<Record<typeof key, LocalizedText>>)[key];
      let next = updateNode(def, path, (n) =>
        withProperty(n, key, setLocalized(current, lang, text)),
      );
      // A new question's name follows its label (in the default language) until renamed by hand.
      if (key === "label" && lang === settings.defaultLanguage && autoNamed) {
        const slug = slugifyName(text);
        if (slug) {
          const taken = allNames(next);
          taken.delete(node.name);
          const name = uniqueName(slug, taken);
          if (name !== node.name) {
            next = renameNode(next, path, name);
            onChange(next, (names) => {
              names.delete(node.name);
              names.add(name);
            });
            return;
          }
        }
      }
      onChange(next);
    };

  const taken = allNames(def);
  const requiredOn = field ? field.required !== undefined && field.required !== false : false;
  const typeOptions: readonly string[] = field
    ? (BUILDER_FIELD_TYPES as readonly string[]).includes(type)
      ? BUILDER_FIELD_TYPES
      : [...BUILDER_FIELD_TYPES, type]
    : [];

  return (
    <Stack gap="md" data-testid={`editor-${node.name}`}>
      {general.length > 0 ? (
        <List size="sm" spacing={4} c="red.9" data-testid="editor-problems">
          {general.map((p, i) => (
            <List.Item key={i}>
              {t(`forms.level.${p.level}`)}: {problemText(t, p)}
            </List.Item>
          ))}
        </List>
      ) : null}

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {field ? (
          <NativeSelect
            label={t("forms.builder.type")}
            value={type}
            data={typeOptions.map((v) => ({ value: v, label: t(typeKey(v)) }))}
            onChange={(e) => onChange(changeType(def, path, e.currentTarget.value as FieldType))}
            data-testid="question-type"
          />
        ) : (
          <TextInput label={t("forms.builder.type")} value={t(typeKey(type))} readOnly />
        )}
        <NameInput
          label={t("forms.builder.name")}
          description={autoNamed ? t("forms.builder.nameAuto") : t("forms.builder.nameHint")}
          value={node.name}
          problem={(text) => {
            const p = nameProblem(text, taken, node.name);
            return p ? t(`forms.builder.nameProblem.${p}`, { max: FORM_LIMITS.name }) : null;
          }}
          onApply={(name) =>
            onChange(renameNode(def, path, name), (names) => names.delete(node.name))
          }
          testId="question-name"
        />
      </SimpleGrid>

      <LocalizedInputs
        label={type === "note" ? t("forms.builder.noteText") : t("forms.builder.label")}
        value={node.label}
        settings={settings}
        onChange={setText("label")}
        multiline
        testId="question-label"
      />
      {field && type !== "calculate" ? (
        <LocalizedInputs
          label={t("forms.builder.hint")}
          description={t("forms.builder.hintHint")}
          value={field.hint}
          settings={settings}
          onChange={setText("hint")}
          multiline
        />
      ) : null}

      {field && INPUT_TYPES.has(type) ? (
        <Stack gap="xs">
          <Checkbox
            label={t("forms.builder.required")}
            checked={requiredOn}
            onChange={(e) => {
              if (e.currentTarget.checked) set("required", true);
              else
                onChange(
                  updateNode(def, path, (n) =>
                    withProperty(
                      withProperty(n, "required", undefined),
                      "requiredMessage",
                      undefined,
                    ),
                  ),
                );
            }}
            data-testid="question-required"
          />
          {requiredOn ? (
            <>
              <ExpressionInput
                label={t("forms.builder.requiredWhen")}
                description={t("forms.builder.requiredWhenHint")}
                value={typeof field.required === "string" ? field.required : undefined}
                onChange={(v) => set("required", v ?? true)}
                error={propertyError("required")}
              />
              <LocalizedInputs
                label={t("forms.builder.requiredMessage")}
                description={t("forms.builder.requiredMessageHint")}
                value={field.requiredMessage}
                settings={settings}
                onChange={setText("requiredMessage")}
              />
            </>
          ) : null}
        </Stack>
      ) : null}

      {field && type === "calculate" ? (
        <ExpressionInput
          label={t("forms.builder.calculation")}
          description={t("forms.builder.calculationHint")}
          value={field.calculation}
          onChange={(v) => set("calculation", v)}
          error={propertyError("calculation")}
          testId="question-calculation"
        />
      ) : null}

      {field && isSelectType(type) ? (
        <ChoicesEditor
          def={def}
          path={path}
          listName={field.choiceList}
          onChange={(next) => onChange(next)}
        />
      ) : null}

      <div>
        <Button
          variant="subtle"
          size="compact-md"
          // Long labels wrap on a phone instead of running out of the card.
          styles={{
            root: { height: "auto", minHeight: 28, paddingBlock: 4 },
            label: { whiteSpace: "normal", lineHeight: 1.35 },
          }}
          aria-expanded={advanced}
          aria-controls={advancedId}
          onClick={() => setAdvanced((a) => !a)}
          data-testid="question-advanced"
        >
          {advanced ? t("forms.builder.lessSettings") : t("forms.builder.moreSettings")}
        </Button>
      </div>
      <Collapse expanded={advanced} id={advancedId}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t("forms.builder.expressionHelp")}
          </Text>
          <ExpressionInput
            label={t("forms.builder.relevant")}
            description={t("forms.builder.relevantHint")}
            value={node.relevant}
            onChange={(v) => set("relevant", v)}
            error={propertyError("relevant")}
            testId="question-relevant"
          />
          {field && INPUT_TYPES.has(type) ? (
            <>
              <ExpressionInput
                label={t("forms.builder.constraint")}
                description={t("forms.builder.constraintHint")}
                value={field.constraint}
                onChange={(v) => set("constraint", v)}
                error={propertyError("constraint")}
                testId="question-constraint"
              />
              {field.constraint ? (
                <LocalizedInputs
                  label={t("forms.builder.constraintMessage")}
                  value={field.constraintMessage}
                  settings={settings}
                  onChange={setText("constraintMessage")}
                />
              ) : null}
              <ExpressionInput
                label={t("forms.builder.calculation")}
                description={t("forms.builder.calculationFieldHint")}
                value={field.calculation}
                onChange={(v) => set("calculation", v)}
                error={propertyError("calculation")}
              />
              <TextInput
                label={t("forms.builder.default")}
                description={t("forms.builder.defaultHint")}
                value={field.default ?? ""}
                dir="auto"
                maxLength={FORM_LIMITS.text}
                error={propertyError("default")}
                onChange={(e) => set("default", e.currentTarget.value)}
              />
              <ReadOnlyFlag
                field={field}
                onChange={(v) => set("readOnly", v)}
                error={propertyError("readOnly")}
              />
            </>
          ) : null}
          {field && isSelectType(type) ? (
            <ExpressionInput
              label={t("forms.builder.choiceFilter")}
              description={t("forms.builder.choiceFilterHint")}
              value={field.choiceFilter}
              onChange={(v) => set("choiceFilter", v)}
              error={propertyError("choiceFilter")}
            />
          ) : null}
          {node.type === "repeat" ? (
            <ExpressionInput
              label={t("forms.builder.repeatCount")}
              description={t("forms.builder.repeatCountHint")}
              value={node.repeatCount}
              onChange={(v) => set("repeatCount", v)}
              error={propertyError("repeatCount")}
            />
          ) : null}
          <TextInput
            label={t("forms.builder.appearance")}
            description={t("forms.builder.appearanceHint")}
            value={node.appearance ?? ""}
            dir="ltr"
            styles={MONO}
            maxLength={FORM_LIMITS.appearance}
            onChange={(e) => set("appearance", e.currentTarget.value)}
          />
        </Stack>
      </Collapse>
    </Stack>
  );
}

/** Read-only: never, always, or when an expression holds (ODK allows each). */
function ReadOnlyFlag({
  field,
  onChange,
  error,
}: {
  field: Field;
  onChange: (v: boolean | string | undefined) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const on = field.readOnly !== undefined && field.readOnly !== false;
  return (
    <Stack gap="xs">
      <Checkbox
        label={t("forms.builder.readOnly")}
        description={t("forms.builder.readOnlyHint")}
        checked={on}
        onChange={(e) => onChange(e.currentTarget.checked ? true : undefined)}
      />
      {on ? (
        <ExpressionInput
          label={t("forms.builder.readOnlyWhen")}
          value={typeof field.readOnly === "string" ? field.readOnly : undefined}
          onChange={(v) => onChange(v ?? true)}
          error={error}
        />
      ) : null}
    </Stack>
  );
}

/** Whether a node uses any of the rules kept under "more settings" (then they start open). */
function hasAdvanced(node: FormNode): boolean {
  if (node.relevant || node.appearance) return true;
  if (node.type === "repeat") return Boolean(node.repeatCount);
  if (node.type === "group") return false;
  return Boolean(
    node.constraint ||
    node.default ||
    node.readOnly ||
    node.choiceFilter ||
    (node.calculation && node.type !== "calculate"),
  );
}
