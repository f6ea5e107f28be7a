import { useEffect, useState } from "react";
import {
  Button,
  Group,
  Paper,
  NativeSelect,
  Progress,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import {
  BROADCAST_STATUSES,
  type BroadcastLanguage,
  type BroadcastListItem,
} from "@kaveret/contracts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { useSession } from "../shell/session.tsx";
import { STATUS_COLOR, canBroadcast, canSetQuietHours } from "./broadcast-labels.ts";
import {
  BROADCASTS_PAGE_SIZE,
  broadcastListQuery,
  broadcastSettingsQuery,
  saveSettings,
} from "./broadcasts.api.ts";
import { useBroadcastsStream } from "./broadcasts-stream.ts";
import { disablePush, enablePush, pushState, type PushState } from "./push-subscription.ts";

export function BroadcastsListPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  const search = useSearch({ from: "/app/broadcasts" });
  const navigate = useNavigate({ from: "/broadcasts" });
  const locale = currentLocale();
  const page = search.page ?? 1;
  const list = useQuery(broadcastListQuery({ status: search.status, page }));
  const live = (list.data?.items ?? []).some(
    (b) => b.status === "confirmed" || b.status === "sending",
  );
  useBroadcastsStream(live);
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / BROADCASTS_PAGE_SIZE)) : 1;
  const actions = canBroadcast(roles) ? (
    <ButtonLink to="/broadcasts/new" data-testid="broadcast-new">
      {t("broadcasts.list.new")}
    </ButtonLink>
  ) : null;

  return (
    <Stack gap="md" maw={1100}>
      <PageTitle actions={actions}>{t("broadcasts.list.title")}</PageTitle>
      <Text mt={-12} c="dimmed" size="sm">
        {t("broadcasts.list.intro")}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <PushToggle />
        {canSetQuietHours(roles) ? <QuietHours /> : null}
      </SimpleGrid>
      <NativeSelect
        label={t("broadcasts.list.statusFilter")}
        maw={320}
        value={search.status ?? "all"}
        data={[
          { value: "all", label: t("broadcasts.list.all") },
          ...BROADCAST_STATUSES.map((s) => ({ value: s, label: t(`broadcasts.status.${s}`) })),
        ]}
        onChange={(e) => {
          const v = e.currentTarget.value;
          void navigate({
            search: { status: BROADCAST_STATUSES.find((s) => s === v) },
            replace: true,
          });
        }}
      />
      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        list.data.items.length === 0 ? (
          <EmptyState
            title={t("broadcasts.list.empty")}
            hint={t("broadcasts.list.emptyHint")}
            action={actions ?? undefined}
          />
        ) : (
          <Stack
            component="ul"
            gap="xs"
            style={{ listStyle: "none", padding: 0, margin: 0 }}
            aria-label={t("broadcasts.list.title")}
          >
            {list.data.items.map((b) => (
              <Row key={b.id} b={b} locale={locale} />
            ))}
          </Stack>
        )
      ) : null}
      <Pager
        total={pages}
        value={page}
        onChange={(p) =>
          void navigate({ search: (prev) => ({ ...prev, page: p > 1 ? p : undefined }) })
        }
      />
    </Stack>
  );
}

function Row({ b, locale }: { b: BroadcastListItem; locale: ReturnType<typeof currentLocale> }) {
  const { t } = useTranslation();
  const processed = b.sent + b.delivered + b.failed;
  const percent = b.total ? Math.round((processed / b.total) * 100) : 0;
  return (
    <Paper component="li" withBorder p="sm" radius="md" data-testid="broadcast-row">
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <SoftBadge color={STATUS_COLOR[b.status]}>{t(`broadcasts.status.${b.status}`)}</SoftBadge>
          {b.urgent ? <SoftBadge color="red">{t("broadcasts.urgent")}</SoftBadge> : null}
          <AnchorLink to="/broadcasts/$id" params={{ id: b.id }} fw={700}>
            <bdi>{b.title}</bdi>
          </AnchorLink>
        </Group>
        {b.status !== "draft" ? (
          <Group gap="sm" wrap="nowrap">
            <Progress
              value={percent}
              style={{ flex: 1 }}
              aria-label={t("broadcasts.detail.progressLabel", { percent })}
            />
            <Text size="xs" style={{ whiteSpace: "nowrap" }}>
              {t("broadcasts.list.counts", {
                delivered: formatNumber(b.delivered, locale),
                total: formatNumber(b.total, locale),
              })}
            </Text>
          </Group>
        ) : null}
        <Text size="xs" c="dimmed">
          {[
            b.channels.map((c) => t(`broadcasts.channel.${c}`)).join(" · "),
            b.languages.map((l) => t(`residents.languages.${l}`)).join(" · "),
            b.createdByName,
            formatDateTime(b.confirmedAt ?? b.createdAt, locale),
          ]
            .filter(Boolean)
            .join(" — ")}
        </Text>
      </Stack>
    </Paper>
  );
}

/** Notifications on this device (Web Push), for the signed-in user. */
function PushToggle() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void pushState()
      .then(setState)
      .catch(() => setState("unsupported"));
  }, []);
  const language = (
    ["he", "ar", "en", "ru", "am"].includes(i18n.language) ? i18n.language : "he"
  ) as BroadcastLanguage;
  const toggle = async (on: boolean) => {
    setBusy(true);
    try {
      setState(on ? await enablePush(language) : await disablePush());
    } catch (err) {
      notify(errorMessage(t, err), "red");
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-push">
      <Stack gap="xs">
        <Title order={2} size="h5" id="bc-push">
          {t("broadcasts.push.title")}
        </Title>
        {state === "unsupported" || state === "denied" ? (
          <Text size="sm">{t(`broadcasts.push.${state}`)}</Text>
        ) : (
          <Switch
            label={t("broadcasts.push.label")}
            description={t("broadcasts.push.hint")}
            checked={state === "on"}
            disabled={state === null || busy}
            onChange={(e) => void toggle(e.currentTarget.checked)}
          />
        )}
      </Stack>
    </Paper>
  );
}

function QuietHours() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const q = useQuery(broadcastSettingsQuery);
  const [form, setForm] = useState<{ enabled: boolean; start: string; end: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const value = form ?? q.data?.quietHours ?? null;
  const save = async () => {
    if (!value) return;
    setBusy(true);
    try {
      await saveSettings({ quietHours: value });
      await queryClient.invalidateQueries({ queryKey: ["broadcasts", "settings"] });
      setForm(null);
      notify(t("broadcasts.quiet.saved"));
    } catch (err) {
      notify(errorMessage(t, err), "red");
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-quiet">
      <Stack gap="xs">
        <Title order={2} size="h5" id="bc-quiet">
          {t("broadcasts.quiet.title")}
        </Title>
        <Text size="xs" c="dimmed">
          {t("broadcasts.quiet.hint")}
        </Text>
        {value ? (
          <>
            <Switch
              label={t("broadcasts.quiet.enabled")}
              checked={value.enabled}
              onChange={(e) => setForm({ ...value, enabled: e.currentTarget.checked })}
            />
            <Group grow>
              <TextInput
                type="time"
                label={t("broadcasts.quiet.start")}
                value={value.start}
                disabled={!value.enabled}
                onChange={(e) => setForm({ ...value, start: e.currentTarget.value })}
              />
              <TextInput
                type="time"
                label={t("broadcasts.quiet.end")}
                value={value.end}
                disabled={!value.enabled}
                onChange={(e) => setForm({ ...value, end: e.currentTarget.value })}
              />
            </Group>
            <Group>
              <Button size="xs" onClick={() => void save()} loading={busy} disabled={!form}>
                {t("broadcasts.quiet.save")}
              </Button>
            </Group>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
