import { useEffect, useMemo, useState } from "react";
import { Alert, Button, CopyButton, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { AppModal } from "../../components/app-modal.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { useSession } from "../shell/session.tsx";
import type { SyncEngine } from "../sync/sync-engine.ts";
import { newRecordId } from "../sync/sync-ids.ts";
import { useSyncState } from "../sync/sync-store.ts";
import { useLiveQuery, useSyncEngine } from "../sync/use-sync-data.ts";
import { CallCard } from "./call-card.tsx";
import { groupCalls, type ListedCall } from "./call-list.ts";
import { useEmergencyMode } from "./emergency-banner.tsx";
import { callsQuery, emergencyKeys, recordOutcomeOnline, statusLink } from "./emergency.api.ts";
import { isEmergencyStaff, isolate } from "./emergency-labels.ts";
import { OutcomeDialog, type OutcomeValue } from "./outcome-dialog.tsx";

/*
 * /emergency/calls — "my calls" on a phone: the residents given to me, highest risk first,
 * worked offline too. The list is the device's copy (pulled by the sync engine); an outcome
 * is written to the device and its outbox (command emergency.call_outcome) and sent when
 * there is a line; the header's sync indicator counts what waits. Where the browser keeps
 * nothing (no IndexedDB) the page works online instead.
 */

interface CallsSource {
  calls: ListedCall[] | undefined;
  error: unknown;
  record: (call: ListedCall, value: OutcomeValue) => Promise<"saved" | "sent">;
  refresh: () => void;
}

function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function CallsPage() {
  const { t } = useTranslation();
  const state = useSyncEngine();
  return (
    <Stack gap="md" maw={720}>
      <PageTitle>{t("emergency.calls.title")}</PageTitle>
      {state.status === "loading" ? <PageLoader /> : null}
      {state.status === "ready" ? <DeviceCalls engine={state.engine} /> : null}
      {state.status === "off" ? <OnlineCalls /> : null}
    </Stack>
  );
}

function DeviceCalls({ engine }: { engine: SyncEngine }) {
  const calls = useLiveQuery(() => engine.db.calls.toArray(), [engine]);
  // Opening the list asks for what changed (new assignments) at once.
  useEffect(() => {
    void engine.syncNow();
  }, [engine]);
  const source: CallsSource = {
    calls,
    error: null,
    record: async (call, value) => {
      await engine.enqueueCallOutcome(call.id, value);
      return "saved";
    },
    refresh: () => void engine.syncNow(),
  };
  return <CallsView source={source} device />;
}

function OnlineCalls() {
  const mode = useEmergencyMode();
  const queryClient = useQueryClient();
  const id = mode.data?.emergency?.id ?? null;
  const list = useQuery({
    ...callsQuery(id ?? "", { assignee: "me", pageSize: 200 }),
    enabled: id !== null,
  });
  const calls = useMemo<ListedCall[] | undefined>(
    () =>
      id === null && mode.isSuccess
        ? []
        : list.data?.items.map((c) => ({ ...c, pending: 0, problem: null })),
    [id, mode.isSuccess, list.data],
  );
  const source: CallsSource = {
    calls,
    error: list.error ?? mode.error,
    record: async (call, value) => {
      await recordOutcomeOnline(call.id, {
        ...value,
        attemptId: newRecordId(),
        at: new Date().toISOString(),
      });
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.all });
      return "sent";
    },
    refresh: () => void list.refetch(),
  };
  return <CallsView source={source} device={false} />;
}

function CallsView({ source, device }: { source: CallsSource; device: boolean }) {
  const { t } = useTranslation();
  const { roles } = useSession();
  const mode = useEmergencyMode();
  const sync = useSyncState();
  const now = useNow(30_000);
  const [working, setWorking] = useState<ListedCall | null>(null);
  const [linkFor, setLinkFor] = useState<ListedCall | null>(null);
  const groups = useMemo(() => groupCalls(source.calls ?? [], now), [source.calls, now]);
  const staff = isEmergencyStaff(roles);

  if (source.error) return <ErrorState error={source.error} onRetry={source.refresh} />;
  if (!source.calls) return <PageLoader />;

  const active = Boolean(mode.data?.emergency);
  const total = source.calls.length;
  const save = async (value: OutcomeValue) => {
    if (!working) return;
    const how = await source.record(working, value);
    notify(
      how === "sent" || sync.online
        ? t("emergency.outcome.saved")
        : t("emergency.outcome.savedOffline"),
    );
  };

  return (
    <Stack gap="lg">
      {device ? (
        <Text size="sm" c="dimmed" mt={-8}>
          {t("emergency.calls.intro")}
        </Text>
      ) : null}
      {device && !sync.online ? (
        <Alert color="yellow" role="status" data-testid="calls-offline">
          {t("emergency.calls.offline")}
        </Alert>
      ) : null}

      {total === 0 ? (
        <EmptyState
          title={active ? t("emergency.calls.none") : t("emergency.calls.noEmergency")}
          hint={active ? t("emergency.calls.noneHint") : undefined}
          action={
            device ? (
              <Button variant="default" size="xs" onClick={source.refresh}>
                {t("emergency.calls.refresh")}
              </Button>
            ) : undefined
          }
        />
      ) : null}

      <CallGroup
        title={t("emergency.calls.now", { n: groups.now.length })}
        testId="calls-now"
        calls={groups.now}
        onOutcome={setWorking}
        onStatusLink={staff && sync.online ? setLinkFor : undefined}
      />
      <CallGroup
        title={t("emergency.calls.later", { n: groups.later.length })}
        testId="calls-later"
        calls={groups.later}
        onOutcome={setWorking}
        onStatusLink={staff && sync.online ? setLinkFor : undefined}
      />
      <CallGroup
        title={t("emergency.calls.recorded", { n: groups.recorded.length })}
        testId="calls-recorded"
        calls={groups.recorded}
        hint={device ? t("emergency.calls.recordedHint") : undefined}
      />

      <OutcomeDialog call={working} onClose={() => setWorking(null)} onSave={save} />
      <StatusLinkDialog call={linkFor} onClose={() => setLinkFor(null)} />
    </Stack>
  );
}

function CallGroup({
  title,
  testId,
  calls,
  hint,
  onOutcome,
  onStatusLink,
}: {
  title: string;
  testId: string;
  calls: ListedCall[];
  hint?: string;
  onOutcome?: (c: ListedCall) => void;
  onStatusLink?: (c: ListedCall) => void;
}) {
  if (calls.length === 0) return null;
  const id = `${testId}-title`;
  return (
    <Stack gap="sm" component="section" aria-labelledby={id} data-testid={testId}>
      <Title order={2} size="h4" id={id}>
        {title}
      </Title>
      {hint ? (
        <Text size="sm" c="dimmed" mt={-6}>
          {hint}
        </Text>
      ) : null}
      {calls.map((c) => (
        <CallCard key={c.id} call={c} onOutcome={onOutcome} onStatusLink={onStatusLink} />
      ))}
    </Stack>
  );
}

/** The resident's own "I'm OK / I need help" link, to read out or send by hand (staff, online). */
function StatusLinkDialog({ call, onClose }: { call: ListedCall | null; onClose: () => void }) {
  const { t } = useTranslation();
  const link = useQuery({
    queryKey: ["emergency", "status-link", call?.id ?? ""],
    queryFn: () => statusLink(call?.id ?? ""),
    enabled: call !== null,
    staleTime: Infinity,
    retry: false,
  });
  return (
    <AppModal
      opened={call !== null}
      onClose={onClose}
      title={call ? t("emergency.statusLink.title", { name: isolate(call.resident.name) }) : ""}
    >
      <Stack gap="sm">
        <Text size="sm">{t("emergency.statusLink.intro")}</Text>
        {link.isPending ? <PageLoader /> : null}
        {link.isError ? (
          <Alert color="red" role="alert">
            {errorMessage(t, link.error)}
          </Alert>
        ) : null}
        {link.data ? (
          <>
            <Text
              fw={700}
              size="lg"
              dir="ltr"
              ta="left"
              data-testid="status-link-url"
              style={{ wordBreak: "break-all", unicodeBidi: "isolate" }}
            >
              {link.data.url}
            </Text>
            <Group gap="xs">
              <CopyButton value={link.data.url}>
                {({ copied, copy }) => (
                  <Button variant="light" onClick={copy}>
                    {copied ? t("app.copied") : t("emergency.statusLink.copy")}
                  </Button>
                )}
              </CopyButton>
              <Button variant="default" onClick={onClose}>
                {t("app.close")}
              </Button>
            </Group>
          </>
        ) : null}
      </Stack>
    </AppModal>
  );
}
