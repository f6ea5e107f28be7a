import { useState } from "react";
import {
  Alert,
  Button,
  Group,
  NativeSelect,
  Radio,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  CALL_OUTCOMES,
  EMERGENCY_LIMITS,
  HELP_CATEGORIES,
  HELP_URGENCIES,
  type CallOutcomeBody,
  type HelpCategory,
} from "@kaveret/contracts";
import { AppModal } from "../../components/app-modal.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { EMPTY_OUTCOME, outcomeFromForm, type ListedCall, type OutcomeForm } from "./call-list.ts";
import { helpCategoryName, isolate } from "./emergency-labels.ts";

export type OutcomeValue = Pick<CallOutcomeBody, "outcome" | "note" | "help">;

const OUTCOME_COLOR = {
  reached_ok: "#1d5a2a",
  reached_needs_help: "#9b1c1c",
  not_reached: "#8a3a00",
} as const;

/**
 * "How did the call go?": reached and OK, reached and needs help (what help, how urgent,
 * a few words), or not reached — with an optional note. Saved on the device first.
 */
export function OutcomeDialog({
  call,
  onClose,
  onSave,
}: {
  call: ListedCall | null;
  onClose: () => void;
  onSave: (value: OutcomeValue) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState<OutcomeForm>(EMPTY_OUTCOME);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [forCall, setForCall] = useState<string | null>(null);
  // A new call opens an empty form.
  if ((call?.id ?? null) !== forCall) {
    setForCall(call?.id ?? null);
    setForm(EMPTY_OUTCOME);
    setProblem(null);
    setError(null);
  }
  const set = (patch: Partial<OutcomeForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setProblem(null);
  };

  const save = async () => {
    const result = outcomeFromForm(form);
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSave(result.value);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal
      opened={call !== null}
      onClose={onClose}
      title={call ? t("emergency.outcome.title", { name: isolate(call.resident.name) }) : ""}
    >
      <Stack gap="md">
        <Radio.Group
          value={form.outcome ?? ""}
          onChange={(v) =>
            set({
              outcome: (CALL_OUTCOMES as readonly string[]).includes(v)
                ? (v as OutcomeForm["outcome"])
                : null,
            })
          }
          label={t("emergency.outcome.question")}
          error={problem === "outcome" ? t("emergency.outcome.choose") : undefined}
          required
        >
          <Stack gap="xs" mt="xs">
            {CALL_OUTCOMES.map((o) => (
              <Radio.Card
                key={o}
                value={o}
                radius="md"
                p="sm"
                data-testid={`outcome-${o}`}
                style={{
                  borderColor: form.outcome === o ? OUTCOME_COLOR[o] : undefined,
                  borderWidth: form.outcome === o ? 2 : 1,
                }}
              >
                <Group wrap="nowrap" gap="sm" align="center">
                  <Radio.Indicator />
                  <Text fw={700} c={OUTCOME_COLOR[o]}>
                    {t(`emergency.outcomes.${o}`)}
                  </Text>
                </Group>
              </Radio.Card>
            ))}
          </Stack>
        </Radio.Group>

        {form.outcome === "reached_needs_help" ? (
          <Stack gap="sm">
            <NativeSelect
              label={t("emergency.outcome.category")}
              required
              value={form.category ?? ""}
              error={problem === "category" ? t("emergency.outcome.chooseCategory") : undefined}
              data={[
                { value: "", label: t("emergency.outcome.chooseCategory") },
                ...HELP_CATEGORIES.map((c) => ({ value: c, label: helpCategoryName(t, c) })),
              ]}
              onChange={(e) => {
                const v = e.currentTarget.value;
                set({
                  category: (HELP_CATEGORIES as readonly string[]).includes(v)
                    ? (v as HelpCategory)
                    : null,
                });
              }}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} id="outcome-urgency-label">
                {t("emergency.outcome.urgency")}
              </Text>
              <SegmentedControl
                fullWidth
                aria-labelledby="outcome-urgency-label"
                value={form.urgency}
                onChange={(v) =>
                  set({
                    urgency: (HELP_URGENCIES as readonly string[]).includes(v)
                      ? (v as OutcomeForm["urgency"])
                      : "normal",
                  })
                }
                data={HELP_URGENCIES.map((u) => ({ value: u, label: t(`emergency.urgency.${u}`) }))}
              />
            </Stack>
            <Textarea
              label={t("emergency.outcome.description")}
              autosize
              minRows={2}
              maxLength={EMERGENCY_LIMITS.note}
              value={form.description}
              onChange={(e) => set({ description: e.currentTarget.value })}
            />
          </Stack>
        ) : null}

        <Textarea
          label={t("emergency.outcome.note")}
          description={t("emergency.outcome.noteHint")}
          autosize
          minRows={2}
          maxLength={EMERGENCY_LIMITS.note}
          value={form.note}
          onChange={(e) => set({ note: e.currentTarget.value })}
        />
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t("app.cancel")}
          </Button>
          <Button onClick={() => void save()} loading={busy} data-testid="outcome-save">
            {t("emergency.outcome.save")}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}
