import { useMemo } from "react";
import { Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Form, QuestionSummary } from "@kaveret/contracts";
import { localize, walkNodes } from "@kaveret/forms";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { relabelAnalysis } from "./analysis-labels.ts";
import { readDefinition } from "./form-definition.ts";
import { pickFormLanguage } from "./form-languages.ts";
import { analysisQuery } from "./forms.api.ts";
import { ANSWER_CHANNELS } from "./forms-search.ts";
import { LazyAnalysisMap } from "./lazy-analysis-map.tsx";
import { AnswerFilters } from "./responses-panel.tsx";
import { typeKey } from "./form-labels.ts";
import { ScrollTable } from "./scroll-table.tsx";
import { AnswerPhoto } from "./answer-photo.tsx";

/** Share of a count in a total, as a whole percent (0 when there is no total). */
export function percent(count: number, total: number): number {
  return total > 0 ? Math.round((count / total) * 100) : 0;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The answers summed up per question: choices as bars with numbers (no chart library:
 * plain HTML bars, read as text by screen readers), number summaries, date ranges, the
 * latest texts, the newest photos, points on the map, and a cross-tab of every select by one chosen select.
 */
export function AnalysisPanel({ form }: { form: Form }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const search = useSearch({ from: "/app/forms/$id" });
  const navigate = useNavigate({ from: "/forms/$id" });
  const def = useMemo(() => readDefinition(form.definition), [form.definition]);
  const language = def ? pickFormLanguage(def.settings, [locale]) : locale;
  const selects = useMemo(() => {
    const out: { name: string; label: string }[] = [];
    if (!def) return out;
    walkNodes(def.questions, (n) => {
      if (n.type === "select_one" || n.type === "select_multiple")
        out.push({ name: n.name, label: localize(n.label, language, def.settings) || n.name });
    });
    return out;
  }, [def, language]);
  const crossBy = selects.some((s) => s.name === search.crossBy) ? search.crossBy : undefined;
  const analysis = useQuery(
    analysisQuery(form.id, {
      channel: search.channel,
      communityId: search.communityId,
      crossBy,
    }),
  );
  const crossLabel = selects.find((s) => s.name === crossBy)?.label ?? "";

  return (
    <Stack gap="md">
      <AnswerFilters
        extra={
          selects.length > 0 ? (
            <NativeSelect
              label={t("forms.analysis.crossBy")}
              description={t("forms.analysis.crossByHint")}
              value={crossBy ?? ""}
              data={[
                { value: "", label: t("forms.analysis.noCross") },
                ...selects.map((s) => ({ value: s.name, label: s.label })),
              ]}
              onChange={(e) =>
                void navigate({
                  search: (prev) => ({ ...prev, crossBy: e.currentTarget.value || undefined }),
                  replace: true,
                })
              }
              data-testid="cross-by"
            />
          ) : undefined
        }
      />
      {analysis.isPending ? <PageLoader /> : null}
      {analysis.isError ? (
        <ErrorState error={analysis.error} onRetry={() => void analysis.refetch()} />
      ) : null}
      {analysis.isSuccess ? (
        analysis.data.total === 0 ? (
          <EmptyState title={t("forms.analysis.empty")} hint={t("forms.analysis.emptyHint")} />
        ) : (
          <Stack gap="md" style={{ opacity: analysis.isPlaceholderData ? 0.6 : 1 }}>
            <Paper
              withBorder
              radius="md"
              p="md"
              component="section"
              aria-labelledby="analysis-total"
            >
              <Stack gap="xs">
                <Title order={2} size="h4" id="analysis-total">
                  {t("forms.analysis.total", { n: formatNumber(analysis.data.total, locale) })}
                </Title>
                <Bars
                  label={t("forms.analysis.byChannel")}
                  total={analysis.data.total}
                  counts={ANSWER_CHANNELS.filter((c) => (analysis.data.byChannel[c] ?? 0) > 0).map(
                    (c) => ({
                      value: c,
                      label: t(`forms.channel.${c}`),
                      count: analysis.data.byChannel[c] ?? 0,
                    }),
                  )}
                />
              </Stack>
            </Paper>
            {(def
              ? relabelAnalysis(analysis.data.questions, def, language, crossBy)
              : analysis.data.questions
            ).map((q) => (
              <QuestionCard
                key={q.name}
                formId={form.id}
                q={q}
                total={analysis.data.total}
                crossLabel={crossLabel}
              />
            ))}
          </Stack>
        )
      ) : null}
    </Stack>
  );
}

function Bars({
  label,
  counts,
  total,
}: {
  label: string;
  counts: readonly { value: string; label: string; count: number }[];
  total: number;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Stack
      component="ul"
      gap={8}
      aria-label={label}
      style={{ listStyle: "none", padding: 0, margin: 0 }}
    >
      {counts.map((c) => {
        const pct = percent(c.count, total);
        return (
          <li key={c.value} data-testid="bar">
            <Stack gap={2}>
              <SimpleGrid cols={2} spacing="xs">
                <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                  <bdi>{c.label}</bdi>
                </Text>
                <Text size="sm" ta="end" fw={600}>
                  <span dir="ltr" style={{ unicodeBidi: "isolate" }}>
                    {t("forms.analysis.countPercent", { n: formatNumber(c.count, locale), pct })}
                  </span>
                </Text>
              </SimpleGrid>
              <div
                aria-hidden="true"
                style={{
                  height: 10,
                  borderRadius: 5,
                  background: "var(--mantine-color-gray-2)",
                  overflow: "hidden",
                }}
              >
                <div
                  style={{
                    width: `${pct}%`,
                    height: "100%",
                    background: "var(--mantine-color-honey-6)",
                  }}
                />
              </div>
            </Stack>
          </li>
        );
      })}
    </Stack>
  );
}

function dateText(s: string, locale: ReturnType<typeof currentLocale>) {
  const m = DATE.exec(s);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : formatDateTime(s, locale);
}

function QuestionCard({
  formId,
  q,
  total,
  crossLabel,
}: {
  formId: string;
  q: QuestionSummary;
  total: number;
  crossLabel: string;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const id = `q-${q.name}`;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="section"
      aria-labelledby={id}
      data-testid={`analysis-${q.name}`}
    >
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h5" id={id}>
            <bdi>{q.label || q.name}</bdi>
          </Title>
          <Text size="xs" c="dimmed">
            {t(typeKey(q.type), { defaultValue: q.type })} ·{" "}
            {t("forms.analysis.answered", {
              n: formatNumber(q.answered, locale),
              total: formatNumber(total, locale),
            })}
          </Text>
        </Stack>
        {q.counts && q.counts.length > 0 ? (
          <Bars label={q.label || q.name} counts={q.counts} total={q.answered} />
        ) : null}
        {q.type === "select_multiple" && q.counts ? (
          <Text size="xs" c="dimmed">
            {t("forms.analysis.multipleNote")}
          </Text>
        ) : null}
        {q.numeric ? (
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" component="dl" m={0}>
            {(["min", "max", "mean", "median"] as const).map((k) => (
              <div key={k}>
                <Text component="dt" size="xs" c="dimmed">
                  {t(`forms.analysis.${k}`)}
                </Text>
                <Text component="dd" m={0} fw={600}>
                  {formatNumber(Math.round(q.numeric![k] * 100) / 100, locale)}
                </Text>
              </div>
            ))}
          </SimpleGrid>
        ) : null}
        {q.dates ? (
          <SimpleGrid cols={2} spacing="sm" component="dl" m={0}>
            <div>
              <Text component="dt" size="xs" c="dimmed">
                {t("forms.analysis.first")}
              </Text>
              <Text component="dd" m={0} fw={600}>
                {dateText(q.dates.first, locale)}
              </Text>
            </div>
            <div>
              <Text component="dt" size="xs" c="dimmed">
                {t("forms.analysis.last")}
              </Text>
              <Text component="dd" m={0} fw={600}>
                {dateText(q.dates.last, locale)}
              </Text>
            </div>
          </SimpleGrid>
        ) : null}
        {q.samples && q.samples.length > 0 ? (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t("forms.analysis.samples")}
            </Text>
            <Stack component="ul" gap={4} style={{ margin: 0, paddingInlineStart: 18 }}>
              {q.samples.map((s, i) => (
                <Text component="li" key={i} size="sm" style={{ overflowWrap: "anywhere" }}>
                  <bdi>{s}</bdi>
                </Text>
              ))}
            </Stack>
          </Stack>
        ) : null}
        {q.photos && q.photos.length > 0 ? (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t("forms.analysis.photos")}
            </Text>
            <Group
              component="ul"
              gap="xs"
              wrap="wrap"
              style={{ listStyle: "none", padding: 0, margin: 0 }}
            >
              {q.photos.map((p) => (
                <li key={p.id}>
                  <AnswerPhoto formId={formId} photoId={p.id} label={q.label || q.name} size={88} />
                </li>
              ))}
            </Group>
          </Stack>
        ) : null}
        {q.points && q.points.length > 0 ? (
          <Stack gap={4}>
            <Text size="sm">
              {t("forms.analysis.points", { n: formatNumber(q.points.length, locale) })}
            </Text>
            <LazyAnalysisMap
              key={`${q.points.length}-${q.points[0]?.lat}-${q.points[0]?.lon}`}
              label={t("forms.analysis.mapLabel", { question: q.label || q.name })}
              height={280}
              points={q.points}
            />
          </Stack>
        ) : null}
        {q.cross ? <CrossTable q={q} crossLabel={crossLabel} /> : null}
      </Stack>
    </Paper>
  );
}

function CrossTable({ q, crossLabel }: { q: QuestionSummary; crossLabel: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const cross = q.cross!;
  return (
    <ScrollTable
      // Counts are short: two or three answers fit a phone (360 px) without scrolling.
      minWidth={120 + cross.columns.length * 64}
      label={t("forms.analysis.crossCaption", { row: q.label || q.name, column: crossLabel })}
    >
      <Table
        withTableBorder
        withColumnBorders
        captionSide="top"
        verticalSpacing={4}
        data-testid={`cross-${q.name}`}
      >
        <Table.Caption>
          {t("forms.analysis.crossCaption", { row: q.label || q.name, column: crossLabel })}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">
              <bdi>{q.label || q.name}</bdi>
            </Table.Th>
            {cross.columns.map((c) => (
              <Table.Th key={c.value} scope="col">
                <bdi>{c.label}</bdi>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cross.rows.map((r) => (
            <Table.Tr key={r.value}>
              <Table.Th scope="row" fw={500}>
                <bdi>{r.label}</bdi>
              </Table.Th>
              {r.counts.map((n, i) => (
                <Table.Td key={i}>{formatNumber(n, locale)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
