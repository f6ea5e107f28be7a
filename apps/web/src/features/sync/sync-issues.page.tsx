import { useState } from "react";
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title.tsx";
import { EmptyState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { notify } from "../../lib/notify.ts";
import { categoryName, excerpt } from "../needs/need-labels.ts";
import type { SyncEngine } from "./sync-engine.ts";
import type { CachedCategory, CallRow, NeedRow, OutboxEntry } from "./sync-db.ts";
import { useLiveQuery, useSyncEngine } from "./use-sync-data.ts";

/*
 * /field/sync — what the server did not take and a person must decide: conflicting
 * edits (both values; keep mine sends it again on the server's version, keep theirs
 * drops it) and refused commands (the reason; discard; an answer refused for its photo
 * may go without it).
 */

export function SyncIssuesPage() {
  const { t } = useTranslation();
  const state = useSyncEngine();
  return (
    <Stack gap="md" maw={860}>
      <PageTitle>{t("sync.issues.title")}</PageTitle>
      {state.status === "loading" ? <PageLoader /> : null}
      {state.status === "off" ? (
        <Alert color="yellow" role="status">
          {t("sync.field.off")}
        </Alert>
      ) : null}
      {state.status === "ready" ? <Issues engine={state.engine} /> : null}
    </Stack>
  );
}

interface IssuesData {
  entries: OutboxEntry[];
  needs: Map<string, NeedRow>;
  calls: Map<string, CallRow>;
  categories: CachedCategory[] | null;
}

function Issues({ engine }: { engine: SyncEngine }) {
  const { t } = useTranslation();
  const data = useLiveQuery<IssuesData>(async () => {
    const entries = await engine.db.outbox
      .where("status")
      .anyOf(["conflict", "rejected"])
      .sortBy("seq");
    const ids = [...new Set(entries.map((e) => e.recordId))];
    const rows = await engine.db.needs.bulkGet(ids);
    const needs = new Map<string, NeedRow>();
    for (const r of rows) if (r) needs.set(r.id, r);
    const calls = new Map<string, CallRow>();
    for (const c of await engine.db.calls.bulkGet(ids)) if (c) calls.set(c.id, c);
    return { entries, needs, calls, categories: await engine.categories() };
  }, [engine]);
  if (!data) return <PageLoader />;
  const conflicts = data.entries.filter((e) => e.status === "conflict");
  const rejected = data.entries.filter((e) => e.status === "rejected");
  if (data.entries.length === 0) {
    return <EmptyState title={t("sync.issues.empty")} hint={t("sync.issues.emptyHint")} />;
  }
  return (
    <Stack gap="lg">
      {conflicts.length > 0 ? (
        <Stack gap="sm" component="section" aria-labelledby="sync-conflicts">
          <Title order={2} size="h3" id="sync-conflicts">
            {t("sync.issues.conflictsTitle")}
          </Title>
          <Text size="sm">{t("sync.issues.conflictsIntro")}</Text>
          {conflicts.map((e) => (
            <ConflictCard
              key={e.id}
              entry={e}
              need={data.needs.get(e.recordId)}
              categories={data.categories}
              engine={engine}
            />
          ))}
        </Stack>
      ) : null}
      {rejected.length > 0 ? (
        <Stack gap="sm" component="section" aria-labelledby="sync-rejected">
          <Title order={2} size="h3" id="sync-rejected">
            {t("sync.issues.rejectedTitle")}
          </Title>
          <Text size="sm">{t("sync.issues.rejectedIntro")}</Text>
          {rejected.map((e) => (
            <RejectedCard
              key={e.id}
              entry={e}
              need={data.needs.get(e.recordId)}
              call={data.calls.get(e.recordId)}
              engine={engine}
            />
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}

/** A field's value as people read it (category and urgency names, "empty"). */
function fieldValueText(
  t: TFunction,
  field: string,
  value: unknown,
  categories: readonly CachedCategory[] | null,
): string {
  if (value === null || value === undefined || value === "") return t("sync.issues.noValue");
  const text = typeof value === "string" ? value : JSON.stringify(value);
  switch (field) {
    case "category":
      return categoryName(t, text, categories ?? undefined, currentLocale());
    case "urgency":
      return t(`needs.urgency.${text}`, { defaultValue: text });
    case "status":
      return t(`needs.status.${text}`, { defaultValue: text });
    default:
      return text;
  }
}

function needTitle(t: TFunction, need: NeedRow | undefined): string {
  if (!need) return t("sync.issues.unknownNeed");
  const what = excerpt(need.description, 80);
  return need.reference ? `${need.reference} · ${what}` : what;
}

function ConflictCard({
  entry,
  need,
  categories,
  engine,
}: {
  entry: OutboxEntry;
  need: NeedRow | undefined;
  categories: CachedCategory[] | null;
  engine: SyncEngine;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const choose = async (choice: "mine" | "theirs") => {
    setBusy(true);
    try {
      await engine.resolveConflict(entry.id, choice);
      notify(t(choice === "mine" ? "sync.issues.keptMine" : "sync.issues.keptTheirs"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder radius="md" p="md" data-testid={`conflict-${entry.id}`}>
      <Stack gap="sm">
        <Text fw={600} dir="auto" style={{ overflowWrap: "anywhere" }}>
          {needTitle(t, need)}
        </Text>
        {(entry.conflicts ?? []).map((c) => (
          <Stack key={c.field} gap={4}>
            <Text size="sm" fw={600}>
              {t(`sync.fields.${c.field}`, { defaultValue: c.field })}
            </Text>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
              <Paper bg="gray.0" p="xs" radius="sm">
                <Text size="xs" c="dimmed">
                  {t("sync.issues.mine")}
                </Text>
                <Text size="sm" dir="auto" style={{ overflowWrap: "anywhere" }}>
                  {fieldValueText(t, c.field, c.mine, categories)}
                </Text>
              </Paper>
              <Paper bg="gray.0" p="xs" radius="sm">
                <Text size="xs" c="dimmed">
                  {t("sync.issues.theirs")}
                </Text>
                <Text size="sm" dir="auto" style={{ overflowWrap: "anywhere" }}>
                  {fieldValueText(t, c.field, c.theirs, categories)}
                </Text>
              </Paper>
            </SimpleGrid>
          </Stack>
        ))}
        <Group gap="xs">
          <Button size="compact-md" onClick={() => void choose("mine")} loading={busy}>
            {t("sync.issues.keepMine")}
          </Button>
          <Button
            size="compact-md"
            variant="default"
            onClick={() => void choose("theirs")}
            disabled={busy}
          >
            {t("sync.issues.keepTheirs")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** What a refused command was, in words, with what it carried (so nothing typed is lost unseen). */
function commandText(t: TFunction, entry: OutboxEntry): string {
  switch (entry.name) {
    case "need.create":
      return entry.args.description;
    case "need.comment":
      return entry.args.text;
    case "need.update":
      return Object.keys(entry.args.changes)
        .map((f) => t(`sync.fields.${f}`, { defaultValue: f }))
        .join(", ");
    case "form.response":
      return "";
    case "emergency.call_outcome":
      return entry.args.note;
  }
}

function RejectedCard({
  entry,
  need,
  call,
  engine,
}: {
  entry: OutboxEntry;
  need: NeedRow | undefined;
  call?: CallRow | undefined;
  engine: SyncEngine;
}) {
  const { t } = useTranslation();
  const code = entry.lastError?.code ?? "rejected";
  const reason = t(`errors.${code}`, {
    defaultValue: entry.lastError?.message || t("sync.error.generic"),
  });
  const carried = commandText(t, entry);
  // An answer refused for its photo can still go without it (the rest of it is kept).
  const photoRefused =
    entry.name === "form.response" &&
    (code === "form.photo_too_large" || code === "form.photo_type" || code === "payload_too_large");
  return (
    <Paper withBorder radius="md" p="md" data-testid={`rejected-${entry.id}`}>
      <Stack gap="xs">
        <Text fw={600}>{t(`sync.commands.${entry.name}`)}</Text>
        {entry.name === "emergency.call_outcome" ? (
          <Text size="sm" c="dimmed" dir="auto">
            {call
              ? `${call.resident.name} · ${t(`emergency.outcomes.${entry.args.outcome}`)}`
              : t(`emergency.outcomes.${entry.args.outcome}`)}
          </Text>
        ) : entry.name !== "form.response" ? (
          <Text size="sm" c="dimmed" dir="auto">
            {needTitle(t, need)}
          </Text>
        ) : null}
        {carried ? (
          <Text size="sm" dir="auto" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {carried}
          </Text>
        ) : null}
        <Text size="sm" c="#9b1c1c">
          {t("sync.issues.reason", { reason })}
        </Text>
        <Group gap="xs">
          {photoRefused ? (
            <Button
              size="compact-md"
              onClick={() =>
                void engine
                  .sendWithoutRefusedPhotos(entry.id)
                  .then((sent) => sent && notify(t("sync.issues.sentWithoutPhotos")))
              }
              data-testid="send-without-photos"
            >
              {t("sync.issues.sendWithoutPhotos")}
            </Button>
          ) : null}
          <Button
            size="compact-md"
            color="red"
            variant="light"
            onClick={() =>
              void engine.discard(entry.id).then(() => notify(t("sync.issues.discarded")))
            }
          >
            {t("sync.issues.discard")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
