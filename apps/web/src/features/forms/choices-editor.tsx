import {
  ActionIcon,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { FORM_LIMITS, type FormDefinition } from "@kaveret/forms";
import { LocalizedInputs, MONO } from "./builder-fields.tsx";
import {
  addChoice,
  choiceListOf,
  choiceNameProblem,
  listUsage,
  moveChoice,
  removeChoice,
  setLocalized,
  setQuestionList,
  updateChoices,
  type NodePath,
} from "./builder-tree.ts";
import { DownIcon, PlusIcon, TrashIcon, UpIcon } from "./form-icons.tsx";

/**
 * The choices of a select: which list it uses (lists may be shared, as in XLSForm), and
 * that list's choices — a stored value and a label per language — added, removed and
 * reordered with buttons.
 */
export function ChoicesEditor({
  def,
  path,
  listName,
  onChange,
}: {
  def: FormDefinition;
  path: NodePath;
  listName: string | undefined;
  onChange: (def: FormDefinition) => void;
}) {
  const { t } = useTranslation();
  const list = choiceListOf(def, listName);
  const shared = listName ? listUsage(def, listName) : 0;
  const choices = list?.choices ?? [];
  return (
    <Stack gap="sm" role="group" aria-label={t("forms.builder.choices")}>
      <NativeSelect
        label={t("forms.builder.choiceList")}
        description={
          shared > 1
            ? t("forms.builder.sharedList", { n: shared })
            : t("forms.builder.choiceListHint")
        }
        value={list ? list.name : ""}
        data={[
          ...def.choiceLists.map((l) => ({
            value: l.name,
            label: t("forms.builder.listOption", { name: l.name, n: l.choices.length }),
          })),
          { value: "", label: t("forms.builder.newList") },
        ]}
        onChange={(e) => onChange(setQuestionList(def, path, e.currentTarget.value))}
        data-testid="choice-list"
      />
      {list ? (
        <>
          {choices.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("forms.builder.noChoices")}
            </Text>
          ) : null}
          <Stack gap="xs" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {choices.map((choice, i) => {
              const problem = choiceNameProblem(choice.name, choices, i);
              const shown = choice.label?.[def.settings.defaultLanguage] || choice.name;
              return (
                <Paper
                  key={i}
                  component="li"
                  withBorder
                  radius="md"
                  p="xs"
                  data-testid={`choice-${i}`}
                >
                  <Stack gap="xs">
                    <LocalizedInputs
                      label={t("forms.builder.choiceLabel", { n: i + 1 })}
                      value={choice.label}
                      settings={def.settings}
                      onChange={(lang, text) =>
                        onChange(
                          updateChoices(def, list.name, (cs) =>
                            cs.map((c, k) => {
                              if (k !== i) return c;
                              const label = setLocalized(c.label, lang, text);
                              const { label: _old, ...rest } = c;
                              return label ? { ...rest, label } : rest;
                            }),
                          ),
                        )
                      }
                      testId={`choice-${i}-label`}
                    />
                    <Group gap="xs" align="flex-end" wrap="nowrap">
                      <TextInput
                        style={{ flex: 1 }}
                        label={t("forms.builder.choiceValue")}
                        description={i === 0 ? t("forms.builder.choiceValueHint") : undefined}
                        value={choice.name}
                        dir="ltr"
                        styles={MONO}
                        maxLength={FORM_LIMITS.name}
                        error={problem ? t(`forms.builder.choiceProblem.${problem}`) : undefined}
                        onChange={(e) => {
                          const name = e.currentTarget.value.replace(/\s+/g, "_");
                          onChange(
                            updateChoices(def, list.name, (cs) =>
                              cs.map((c, k) => (k === i ? { ...c, name } : c)),
                            ),
                          );
                        }}
                      />
                      <ActionIcon
                        variant="default"
                        size="input-sm"
                        disabled={i === 0}
                        aria-label={t("forms.builder.choiceUp", { choice: shown })}
                        onClick={() => onChange(moveChoice(def, list.name, i, "up"))}
                      >
                        <UpIcon />
                      </ActionIcon>
                      <ActionIcon
                        variant="default"
                        size="input-sm"
                        disabled={i === choices.length - 1}
                        aria-label={t("forms.builder.choiceDown", { choice: shown })}
                        onClick={() => onChange(moveChoice(def, list.name, i, "down"))}
                      >
                        <DownIcon />
                      </ActionIcon>
                      <ActionIcon
                        variant="default"
                        color="red"
                        size="input-sm"
                        aria-label={t("forms.builder.choiceRemove", { choice: shown })}
                        onClick={() => onChange(removeChoice(def, list.name, i))}
                      >
                        <TrashIcon />
                      </ActionIcon>
                    </Group>
                  </Stack>
                </Paper>
              );
            })}
          </Stack>
          <Group>
            <Button
              variant="light"
              leftSection={<PlusIcon size={16} />}
              onClick={() => onChange(addChoice(def, list.name))}
              data-testid="add-choice"
            >
              {t("forms.builder.addChoice")}
            </Button>
          </Group>
        </>
      ) : null}
    </Stack>
  );
}
