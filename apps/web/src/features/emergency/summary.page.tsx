import { useState } from "react";
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { EMERGENCY_LIMITS, type EmergencySummary, type Review } from "@kaveret/contracts";
import { ApiError, SCOPE_HEADER, readScope, toApiError } from "../../api/client.ts";
import { downloadFile } from "../../api/download.ts";
import { AnchorLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import type { UiLocale } from "../../i18n/locales.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { ScrollTable } from "../forms/scroll-table.tsx";
import { useEmergencyMode } from "./emergency-banner.tsx";
import {
  emergencyKeys,
  reviewQuery,
  saveReview,
  summaryCsvUrl,
  summaryHtmlUrl,
  summaryQuery,
} from "./emergency.api.ts";
import { helpCategoryName, isolate, modeLine } from "./emergency-labels.ts";

/** The printable summary's language for a UI language (it comes in he, ar and en). */
export function summaryLang(locale: UiLocale): "he" | "ar" | "en" {
  return locale === "ar" || locale === "en" ? locale : locale === "he" ? "he" : "en";
}

/** Hours and minutes of a duration ("3:05"). */
export function durationText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h}:${String(m).padStart(2, "0")}`;
}

/** /emergency/$id — an emergency's summary (live while open), its exports and the after-action review. */
export function EmergencySummaryPage() {
  const { id } = useParams({ from: "/app/emergency/$id" });
  const summary = useQuery(summaryQuery(id));
  if (summary.isPending) return <PageLoader />;
  if (summary.isError) {
    return <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />;
  }
  return <SummaryView s={summary.data} />;
}

function SummaryView({ s }: { s: EmergencySummary }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const mode = useEmergencyMode();
  const manage = Boolean(mode.data?.permissions.manage);
  const e = s.emergency;
  const n = (x: number) => formatNumber(x, locale);
  const [error, setError] = useState<unknown>(null);
  const open = e.status === "active";

  const printable = async () => {
    setError(null);
    // A new tab now (a later one would be blocked), filled once the page arrives with the
    // department's scope header (a plain link cannot send it).
    const tab = window.open("", "_blank");
    try {
      const headers: Record<string, string> = {};
      const scope = readScope();
      if (scope) headers[SCOPE_HEADER] = scope;
      const res = await fetch(summaryHtmlUrl(e.id, summaryLang(locale)), {
        headers,
        credentials: "include",
      });
      if (!res.ok) {
        let body: unknown;
        try {
          body = await res.json();
        } catch {
          body = undefined;
        }
        throw toApiError(res.status, body);
      }
      const html = await res.text();
      const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
      if (tab) tab.location.href = url;
      else window.location.href = url;
    } catch (err) {
      tab?.close();
      setError(err instanceof ApiError ? err : new ApiError(0, "network_error", ""));
    }
  };

  const csv = async () => {
    setError(null);
    try {
      await downloadFile(summaryCsvUrl(e.id), `emergency-${e.id}.csv`);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack gap="md" maw={1080}>
      <Group gap="xs" mb={-8}>
        <AnchorLink to="/emergency" size="sm">
          {open ? t("emergency.summary.backToBoard") : t("emergency.summary.back")}
        </AnchorLink>
      </Group>
      <PageTitle
        actions={
          <>
            <Button variant="light" onClick={() => void printable()} data-testid="summary-print">
              {t("emergency.summary.printable")}
            </Button>
            {manage ? (
              <Button variant="default" onClick={() => void csv()} data-testid="summary-csv">
                {t("emergency.summary.csv")}
              </Button>
            ) : null}
          </>
        }
      >
        {t("emergency.summary.title", { title: isolate(e.title) })}
      </PageTitle>
      <Group gap="xs" mt={-8} wrap="wrap">
        <SoftBadge color={e.drill ? "yellow" : "red"} tt="none">
          {modeLine(t, e)}
        </SoftBadge>
        <SoftBadge color={open ? "orange" : "gray"} tt="none" data-testid="summary-status">
          {open ? t("emergency.summary.open") : t("emergency.summary.closed")}
        </SoftBadge>
        <Text size="sm" c="dimmed">
          <bdi dir="ltr">{formatDateTime(e.startedAt, locale)}</bdi>
          {e.closedAt ? (
            <>
              {" – "}
              <bdi dir="ltr">{formatDateTime(e.closedAt, locale)}</bdi>
            </>
          ) : null}
          {" · "}
          {t("emergency.summary.duration", { time: durationText(s.durationMinutes) })}
        </Text>
      </Group>
      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}

      <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} spacing="sm">
        {(
          [
            ["calls", s.counts.calls],
            ["reachedOk", s.counts.reachedOk],
            ["reachedNeedsHelp", s.counts.reachedNeedsHelp],
            ["notReached", s.counts.notReached],
            ["selfReported", s.counts.selfReported],
            ["volunteers", s.volunteers],
          ] as const
        ).map(([key, value]) => (
          <Paper key={key} withBorder p="sm" radius="md">
            <Text fw={800} fz={24}>
              {n(value)}
            </Text>
            <Text size="sm">{t(`emergency.counts.${key}`)}</Text>
          </Paper>
        ))}
      </SimpleGrid>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="summary-needs">
        <Stack gap="xs">
          <Title order={2} size="h4" id="summary-needs">
            {t("emergency.summary.needs")}
          </Title>
          {s.needsCreated.length === 0 ? (
            <Text size="sm" c="dimmed">
              {open
                ? t("emergency.summary.needsLater")
                : e.drill
                  ? t("emergency.summary.needsDrill")
                  : t("emergency.summary.needsNone")}
            </Text>
          ) : (
            <Group gap="xs" wrap="wrap" data-testid="summary-needs">
              {s.needsCreated.map((need) => (
                <AnchorLink key={need.id} to="/needs/$id" params={{ id: need.id }}>
                  {need.reference}
                </AnchorLink>
              ))}
            </Group>
          )}
        </Stack>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="summary-help">
          <Stack gap="xs">
            <Title order={2} size="h4" id="summary-help">
              {t("emergency.summary.help")}
            </Title>
            <ScrollTable minWidth={320} label={t("emergency.summary.help")}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("emergency.help.category")}</Table.Th>
                    <Table.Th>{t("emergency.summary.total")}</Table.Th>
                    <Table.Th>{t("emergency.summary.completed")}</Table.Th>
                    <Table.Th>{t("emergency.summary.becameNeeds")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.helpByCategory.map((h) => (
                    <Table.Tr key={h.category}>
                      <Table.Th scope="row" fw={500}>
                        {helpCategoryName(t, h.category)}
                      </Table.Th>
                      <Table.Td>{n(h.total)}</Table.Td>
                      <Table.Td>{n(h.completed)}</Table.Td>
                      <Table.Td>{n(h.becameNeeds)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          </Stack>
        </Paper>
        <Paper
          withBorder
          p="md"
          radius="md"
          component="section"
          aria-labelledby="summary-communities"
        >
          <Stack gap="xs">
            <Title order={2} size="h4" id="summary-communities">
              {t("emergency.board.byCommunity")}
            </Title>
            <ScrollTable minWidth={360} label={t("emergency.board.byCommunity")}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("emergency.board.community")}</Table.Th>
                    <Table.Th>{t("emergency.counts.calls")}</Table.Th>
                    <Table.Th>{t("emergency.counts.reachedOk")}</Table.Th>
                    <Table.Th>{t("emergency.counts.reachedNeedsHelp")}</Table.Th>
                    <Table.Th>{t("emergency.counts.notReached")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.byCommunity.map((row) => (
                    <Table.Tr key={row.community.id}>
                      <Table.Th scope="row" fw={500}>
                        {row.community.name}
                      </Table.Th>
                      <Table.Td>{n(row.calls)}</Table.Td>
                      <Table.Td>{n(row.reachedOk)}</Table.Td>
                      <Table.Td>{n(row.reachedNeedsHelp)}</Table.Td>
                      <Table.Td>{n(row.notReached)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            <Text size="xs" c="dimmed">
              {t("emergency.summary.logEntries", { n: n(s.logEntries) })}
            </Text>
          </Stack>
        </Paper>
      </SimpleGrid>

      <ReviewSection emergencyId={e.id} editable={manage} />
    </Stack>
  );
}

interface ActionRow {
  key: number;
  text: string;
  owner: string;
  due: string;
}

/** The after-action review: what worked, what did not, lessons, actions with owners and dates. */
function ReviewSection({ emergencyId, editable }: { emergencyId: string; editable: boolean }) {
  const { t } = useTranslation();
  const review = useQuery(reviewQuery(emergencyId));
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="review-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="review-title">
          {t("emergency.review.title")}
        </Title>
        {review.isPending ? <PageLoader /> : null}
        {review.isError ? (
          <ErrorState error={review.error} onRetry={() => void review.refetch()} />
        ) : null}
        {review.isSuccess ? (
          editable ? (
            <ReviewForm
              emergencyId={emergencyId}
              review={review.data.review}
              key={review.data.review?.version ?? 0}
            />
          ) : (
            <ReviewText review={review.data.review} />
          )
        ) : null}
      </Stack>
    </Paper>
  );
}

function ReviewText({ review }: { review: Review | null }) {
  const { t } = useTranslation();
  if (!review) {
    return (
      <Text size="sm" c="dimmed">
        {t("emergency.review.none")}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      {(["whatWorked", "whatDidNot", "lessons"] as const).map((k) =>
        review[k] ? (
          <Stack gap={0} key={k}>
            <Text size="sm" fw={600}>
              {t(`emergency.review.${k}`)}
            </Text>
            <Text size="sm" dir="auto" style={{ whiteSpace: "pre-wrap" }}>
              {review[k]}
            </Text>
          </Stack>
        ) : null,
      )}
      {review.actions.map((a, i) => (
        <Text key={i} size="sm">
          {`• ${a.text}${a.owner ? ` — ${a.owner}` : ""}${a.due ? ` (${a.due})` : ""}`}
        </Text>
      ))}
    </Stack>
  );
}

let actionKey = 0;

function ReviewForm({ emergencyId, review }: { emergencyId: string; review: Review | null }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const queryClient = useQueryClient();
  const [whatWorked, setWhatWorked] = useState(review?.whatWorked ?? "");
  const [whatDidNot, setWhatDidNot] = useState(review?.whatDidNot ?? "");
  const [lessons, setLessons] = useState(review?.lessons ?? "");
  const [actions, setActions] = useState<ActionRow[]>(
    (review?.actions ?? []).map((a) => ({
      key: ++actionKey,
      text: a.text,
      owner: a.owner,
      due: a.due ?? "",
    })),
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const setAction = (key: number, patch: Partial<ActionRow>) =>
    setActions((all) => all.map((a) => (a.key === key ? { ...a, ...patch } : a)));

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await saveReview(emergencyId, {
        whatWorked: whatWorked.trim(),
        whatDidNot: whatDidNot.trim(),
        lessons: lessons.trim(),
        actions: actions
          .filter((a) => a.text.trim())
          .map((a) => ({
            text: a.text.trim(),
            owner: a.owner.trim(),
            due: /^\d{4}-\d{2}-\d{2}$/.test(a.due) ? a.due : null,
          })),
        ...(review ? { version: review.version } : {}),
      });
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.review(emergencyId) });
      notify(t("emergency.review.saved"));
    } catch (err) {
      setError(err);
      if (
        err instanceof ApiError &&
        (err.code === "version_conflict" || err.code === "emergency.review_exists")
      ) {
        void queryClient.invalidateQueries({ queryKey: emergencyKeys.review(emergencyId) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm">
      {review ? (
        <Text size="xs" c="dimmed">
          {t("emergency.review.lastSaved", { name: isolate(review.author?.name ?? "") })}{" "}
          <bdi dir="ltr">{formatDateTime(review.updatedAt, locale)}</bdi>
        </Text>
      ) : null}
      <Textarea
        label={t("emergency.review.whatWorked")}
        autosize
        minRows={2}
        maxLength={EMERGENCY_LIMITS.logText}
        value={whatWorked}
        onChange={(e) => setWhatWorked(e.currentTarget.value)}
      />
      <Textarea
        label={t("emergency.review.whatDidNot")}
        autosize
        minRows={2}
        maxLength={EMERGENCY_LIMITS.logText}
        value={whatDidNot}
        onChange={(e) => setWhatDidNot(e.currentTarget.value)}
      />
      <Textarea
        label={t("emergency.review.lessons")}
        autosize
        minRows={2}
        maxLength={EMERGENCY_LIMITS.logText}
        value={lessons}
        onChange={(e) => setLessons(e.currentTarget.value)}
      />
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {t("emergency.review.actions")}
        </Text>
        {actions.map((a, i) => (
          <Paper key={a.key} withBorder p="xs" radius="md">
            <Group gap="xs" align="flex-end" wrap="wrap">
              <TextInput
                label={t("emergency.review.action", { n: i + 1 })}
                value={a.text}
                maxLength={500}
                onChange={(e) => setAction(a.key, { text: e.currentTarget.value })}
                style={{ flex: "2 1 220px" }}
              />
              <TextInput
                label={t("emergency.review.owner")}
                value={a.owner}
                maxLength={80}
                onChange={(e) => setAction(a.key, { owner: e.currentTarget.value })}
                style={{ flex: "1 1 140px" }}
              />
              <TextInput
                type="date"
                label={t("emergency.review.due")}
                value={a.due}
                onChange={(e) => setAction(a.key, { due: e.currentTarget.value })}
                style={{ flex: "0 1 160px" }}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={t("emergency.review.removeAction", { n: i + 1 })}
                onClick={() => setActions((all) => all.filter((x) => x.key !== a.key))}
              >
                <span aria-hidden>×</span>
              </ActionIcon>
            </Group>
          </Paper>
        ))}
        <Group>
          <Button
            variant="subtle"
            size="compact-sm"
            onClick={() =>
              setActions((all) => [...all, { key: ++actionKey, text: "", owner: "", due: "" }])
            }
            disabled={actions.length >= 50}
          >
            {t("emergency.review.addAction")}
          </Button>
        </Group>
      </Stack>
      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button onClick={() => void save()} loading={busy} data-testid="review-save">
          {t("emergency.review.save")}
        </Button>
      </Group>
    </Stack>
  );
}
