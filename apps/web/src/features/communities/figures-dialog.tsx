import { useState } from "react";
import {
  Alert,
  Button,
  CloseButton,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  CUSTOM_INDICATOR_PATTERN,
  FIGURE_INDICATORS,
  FIGURE_PERIOD_PATTERN,
  figureValueProblem,
  type Figure,
  type FigureInput,
  type FigureList,
} from "@kaveret/contracts";
import { apiPut } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { figuresQuery } from "./communities.api.ts";
import { indicatorLabel, sortFigures } from "./figure-labels.ts";

const CUSTOM = "__custom";

interface Row {
  key: number;
  /** The stored pair this row was loaded from (to remove it when changed). */
  original: { indicator: string; period: string; value: number; source: string } | null;
  indicator: string;
  customKey: string;
  period: string;
  value: number | string;
  source: string;
}

type RowErrors = Partial<Record<"indicator" | "period" | "value" | "source", string>>;

let nextKey = 1;
const rowOf = (f: Figure): Row => {
  const custom = f.indicator.startsWith("custom.");
  return {
    key: nextKey++,
    original: { indicator: f.indicator, period: f.period, value: f.value, source: f.source },
    indicator: custom ? CUSTOM : f.indicator,
    customKey: custom ? f.indicator.slice("custom.".length) : "",
    period: f.period,
    value: f.value,
    source: f.source,
  };
};
const emptyRow = (): Row => ({
  key: nextKey++,
  original: null,
  indicator: "population",
  customKey: "",
  period: String(new Date().getFullYear()),
  value: "",
  source: "",
});

const indicatorOf = (r: Row) =>
  r.indicator === CUSTOM ? `custom.${r.customKey.trim()}` : r.indicator;

/** Edit a community's figures: every indicator and period, add, change, remove — saved at once. */
export function FiguresDialog({
  communityId,
  opened,
  onClose,
}: {
  communityId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const figures = useQuery({ ...figuresQuery(communityId), enabled: opened });
  return (
    <AppModal
      opened={opened}
      onClose={onClose}
      title={t("communityPage.figures.editTitle")}
      size="xl"
    >
      {figures.isPending ? <PageLoader /> : null}
      {figures.isError ? (
        <ErrorState error={figures.error} onRetry={() => void figures.refetch()} />
      ) : null}
      {figures.isSuccess ? (
        <FiguresForm
          key={figures.dataUpdatedAt}
          communityId={communityId}
          initial={figures.data}
          onDone={onClose}
        />
      ) : null}
    </AppModal>
  );
}

function FiguresForm({
  communityId,
  initial,
  onDone,
}: {
  communityId: string;
  initial: FigureList;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<Row[]>(() => {
    const loaded = sortFigures(initial.items).map(rowOf);
    return loaded.length ? loaded : [emptyRow()];
  });
  const [errors, setErrors] = useState<Record<number, RowErrors>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const update = (key: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const indicatorOptions = [
    ...FIGURE_INDICATORS.map((i) => ({ value: i, label: indicatorLabel(t, i) })),
    { value: CUSTOM, label: t("communityPage.figures.custom") },
  ];

  const validate = (): Record<number, RowErrors> => {
    const out: Record<number, RowErrors> = {};
    const seen = new Set<string>();
    for (const r of rows) {
      const e: RowErrors = {};
      const indicator = indicatorOf(r);
      if (r.indicator === CUSTOM && !CUSTOM_INDICATOR_PATTERN.test(indicator)) {
        e.indicator = t("communityPage.figures.customInvalid");
      }
      if (!FIGURE_PERIOD_PATTERN.test(r.period.trim()))
        e.period = t("communityPage.figures.periodInvalid");
      if (r.value === "" || typeof r.value !== "number") e.value = t("validation.required");
      else if (figureValueProblem(indicator, r.value))
        e.value = t("communityPage.figures.valueInvalid");
      if (r.source.length > 120) e.source = t("validation.too_long", { count: 120 });
      const pair = `${indicator} ${r.period.trim()}`;
      if (seen.has(pair)) e.period = t("communityPage.figures.duplicate");
      seen.add(pair);
      if (Object.keys(e).length) out[r.key] = e;
    }
    return out;
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length) return;
    const kept = new Set(rows.map((r) => `${indicatorOf(r)} ${r.period.trim()}`));
    const changes: FigureInput[] = [];
    for (const f of initial.items) {
      if (!kept.has(`${f.indicator} ${f.period}`)) {
        changes.push({ indicator: f.indicator, period: f.period, value: null, source: "manual" });
      }
    }
    for (const r of rows) {
      const indicator = indicatorOf(r);
      const period = r.period.trim();
      const source = r.source.trim() || "manual";
      const o = r.original;
      const same =
        o &&
        o.indicator === indicator &&
        o.period === period &&
        o.value === r.value &&
        o.source === source;
      if (!same) changes.push({ indicator, period, value: Number(r.value), source });
    }
    if (changes.length === 0) {
      onDone();
      return;
    }
    setBusy(true);
    try {
      const saved = await apiPut<FigureList>(`/api/communities/${communityId}/figures`, {
        figures: changes,
      });
      queryClient.setQueryData(figuresQuery(communityId).queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: ["communities", "overview", communityId] });
      notify(t("communityPage.figures.saved"));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("communityPage.figures.editHint")}
        </Text>
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        {rows.map((r, i) => {
          const e = errors[r.key] ?? {};
          return (
            <Paper
              key={r.key}
              withBorder
              p="sm"
              radius="md"
              role="group"
              aria-labelledby={`figure-row-${r.key}`}
            >
              <Group justify="space-between" wrap="nowrap" mb={4}>
                <Text size="sm" fw={700} id={`figure-row-${r.key}`}>
                  {t("communityPage.figures.row", { n: i + 1 })}
                </Text>
                <CloseButton
                  aria-label={t("communityPage.figures.removeRow", { n: i + 1 })}
                  onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                />
              </Group>
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
                <Select
                  label={t("communityPage.figures.indicator")}
                  data={indicatorOptions}
                  value={r.indicator}
                  onChange={(v) => v && update(r.key, { indicator: v })}
                  allowDeselect={false}
                  searchable
                  error={r.indicator === CUSTOM ? undefined : e.indicator}
                  comboboxProps={{ withinPortal: true }}
                  style={{ gridColumn: "span 2" }}
                />
                {r.indicator === CUSTOM ? (
                  <TextInput
                    label={t("communityPage.figures.customKey")}
                    description={t("communityPage.figures.customHint")}
                    value={r.customKey}
                    onChange={(ev) => update(r.key, { customKey: ev.currentTarget.value })}
                    error={e.indicator}
                    dir="ltr"
                    style={{ gridColumn: "span 2" }}
                  />
                ) : null}
                <TextInput
                  label={t("communityPage.figures.period")}
                  description={t("communityPage.figures.periodHint")}
                  value={r.period}
                  onChange={(ev) => update(r.key, { period: ev.currentTarget.value })}
                  error={e.period}
                  dir="ltr"
                  required
                />
                <NumberInput
                  label={t("communityPage.figures.value")}
                  value={r.value}
                  onChange={(v) => update(r.key, { value: v })}
                  error={e.value}
                  thousandSeparator=","
                  hideControls
                  required
                />
                <TextInput
                  label={t("communityPage.figures.source")}
                  placeholder={t("communityPage.figures.sourcePlaceholder")}
                  value={r.source}
                  onChange={(ev) => update(r.key, { source: ev.currentTarget.value })}
                  error={e.source}
                  style={{ gridColumn: "span 2" }}
                />
              </SimpleGrid>
            </Paper>
          );
        })}
        <Group justify="space-between" gap="sm">
          <Button variant="default" onClick={() => setRows((rs) => [...rs, emptyRow()])}>
            {t("communityPage.figures.addRow")}
          </Button>
          <Group gap="sm">
            <Button variant="default" onClick={onDone}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("app.save")}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
