import { useState } from "react";
import {
  Alert,
  Button,
  Group,
  NativeSelect,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import {
  BROADCAST_CHANNELS,
  BROADCAST_LANGUAGES,
  DELIVERY_STATUSES,
  type Broadcast,
  type DeliveryStatus,
} from "@kaveret/contracts";
import { AppModal } from "../../components/app-modal.tsx";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { DryRunPanel } from "./broadcast-compose.page.tsx";
import { modeQuery } from "../emergency/emergency.api.ts";
import { STATUS_COLOR, dirOf, processedPercent } from "./broadcast-labels.ts";
import {
  DELIVERIES_PAGE_SIZE,
  broadcastQuery,
  broadcastDryRunQuery,
  cancelBroadcast,
  confirmBroadcast,
  deliveriesQuery,
} from "./broadcasts.api.ts";
import { useBroadcastsStream } from "./broadcasts-stream.ts";

export function BroadcastPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: "/app/broadcasts/$id" });
  const q = useQuery({
    ...broadcastQuery(id),
    // The live stream refreshes it; this is the fallback while it is being sent.
    refetchInterval: (query) =>
      query.state.data?.status === "confirmed" || query.state.data?.status === "sending"
        ? 5000
        : false,
  });
  useBroadcastsStream(q.data?.status === "confirmed" || q.data?.status === "sending");
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const b = q.data;
  return (
    <Stack gap="md" maw={1100}>
      <PageTitle actions={<Actions b={b} />}>{b.title}</PageTitle>
      <Group gap="xs" mt={-8}>
        <SoftBadge color={STATUS_COLOR[b.status]}>{t(`broadcasts.status.${b.status}`)}</SoftBadge>
        {b.urgent ? <SoftBadge color="red">{t("broadcasts.urgent")}</SoftBadge> : null}
        {b.emergencyId ? <SoftBadge color="orange">{t("broadcasts.emergency")}</SoftBadge> : null}
        {b.quietHoursBypassed ? (
          <SoftBadge color="grape">{t("broadcasts.quietBypassed")}</SoftBadge>
        ) : null}
      </Group>
      {b.status === "draft" ? (
        <Alert color="blue">{t("broadcasts.detail.draftHint")}</Alert>
      ) : (
        <ProgressSection b={b} />
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" style={{ alignItems: "start" }}>
        <AudienceSection b={b} />
        <TextsSection b={b} />
      </SimpleGrid>
      {b.status !== "draft" ? <Receipts id={b.id} /> : null}
    </Stack>
  );
}

function Actions({ b }: { b: Broadcast }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<"confirm" | "cancel" | null>(null);
  const [busy, setBusy] = useState(false);
  const dry = useQuery({ ...broadcastDryRunQuery(b.id, b.version), enabled: dialog === "confirm" });
  const mode = useQuery({ ...modeQuery, enabled: dialog === "confirm" && b.urgent });
  const openEmergency = mode.data?.emergency?.id ?? null;
  const run = async (what: "confirm" | "cancel") => {
    setBusy(true);
    try {
      await (what === "confirm" ? confirmBroadcast(b.id) : cancelBroadcast(b.id));
      await queryClient.invalidateQueries({ queryKey: ["broadcasts"] });
      notify(t(what === "confirm" ? "broadcasts.detail.confirmed" : "broadcasts.detail.cancelled"));
      setDialog(null);
    } catch (err) {
      notify(errorMessage(t, err), "red");
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {b.can.edit ? (
        <ButtonLink variant="default" to="/broadcasts/$id/edit" params={{ id: b.id }}>
          {t("broadcasts.detail.edit")}
        </ButtonLink>
      ) : null}
      {b.can.confirm ? (
        <Button onClick={() => setDialog("confirm")}>{t("broadcasts.detail.confirm")}</Button>
      ) : null}
      {b.can.cancel ? (
        <Button variant="default" color="red" onClick={() => setDialog("cancel")}>
          {t("broadcasts.detail.cancel")}
        </Button>
      ) : null}
      <AppModal
        opened={dialog === "confirm"}
        onClose={() => setDialog(null)}
        title={t("broadcasts.detail.confirmTitle")}
        size="lg"
      >
        <Stack gap="sm">
          <Text size="sm">{t("broadcasts.detail.confirmText")}</Text>
          {dry.isPending ? <PageLoader /> : null}
          {dry.isError ? <ErrorState error={dry.error} /> : null}
          {dry.data ? (
            <DryRunPanel
              dry={dry.data}
              channels={b.channels}
              loading={dry.isFetching}
              error={null}
              runnable
              bypassesQuietHours={
                b.urgent && b.emergencyId !== null && b.emergencyId === openEmergency
              }
            />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDialog(null)}>
              {t("broadcasts.detail.back")}
            </Button>
            <Button
              onClick={() => void run("confirm")}
              loading={busy}
              disabled={!dry.data || dry.data.reachable === 0}
            >
              {dry.data
                ? t("broadcasts.detail.sendTo", {
                    n: formatNumber(dry.data.reachable, currentLocale()),
                  })
                : t("broadcasts.detail.confirm")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
      <AppModal
        opened={dialog === "cancel"}
        onClose={() => setDialog(null)}
        title={t("broadcasts.detail.cancelTitle")}
      >
        <Stack gap="sm">
          <Text size="sm">{t("broadcasts.detail.cancelText")}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDialog(null)}>
              {t("broadcasts.detail.back")}
            </Button>
            <Button color="red" onClick={() => void run("cancel")} loading={busy}>
              {t("broadcasts.detail.cancel")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </>
  );
}

function ProgressSection({ b }: { b: Broadcast }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const p = b.progress;
  const n = (x: number) => formatNumber(x, locale);
  const share = (x: number) => (p.total ? (x / p.total) * 100 : 0);
  const percent = processedPercent(p);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-progress">
      <Stack gap="sm">
        <Title order={2} size="h4" id="bc-progress">
          {t("broadcasts.detail.progress")}
        </Title>
        <Progress.Root size={22}>
          <Progress.Section
            value={share(p.delivered)}
            color="green.7"
            aria-label={t("broadcasts.delivery.delivered")}
          />
          <Progress.Section
            value={share(p.sent)}
            color="blue.6"
            aria-label={t("broadcasts.delivery.sent")}
          />
          <Progress.Section
            value={share(p.failed + p.skipped)}
            color="red.7"
            aria-label={t("broadcasts.delivery.failed")}
          />
        </Progress.Root>
        <Text size="sm" role="status" aria-live="polite">
          {t("broadcasts.detail.processed", {
            done: n(p.total - p.queued),
            total: n(p.total),
            percent,
          })}
        </Text>
        <Group gap="md">
          <Legend
            color="var(--mantine-color-green-7)"
            label={t("broadcasts.delivery.delivered")}
            value={n(p.delivered)}
          />
          <Legend
            color="var(--mantine-color-blue-6)"
            label={t("broadcasts.delivery.sent")}
            value={n(p.sent)}
          />
          <Legend
            color="var(--mantine-color-red-7)"
            label={t("broadcasts.delivery.failed")}
            value={n(p.failed + p.skipped)}
          />
          <Legend
            color="var(--mantine-color-gray-3)"
            label={t("broadcasts.delivery.queued")}
            value={n(p.queued)}
          />
        </Group>
        {p.deferredUntil && p.queued > 0 ? (
          <Alert color="blue" p="xs">
            {t("broadcasts.detail.deferred", { at: formatDateTime(p.deferredUntil, locale) })}
          </Alert>
        ) : null}
        <Table verticalSpacing={4} aria-label={t("broadcasts.detail.byChannel")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("broadcasts.detail.channel")}</Table.Th>
              <Table.Th scope="col">{t("broadcasts.detail.total")}</Table.Th>
              <Table.Th scope="col">{t("broadcasts.delivery.sent")}</Table.Th>
              <Table.Th scope="col">{t("broadcasts.delivery.delivered")}</Table.Th>
              <Table.Th scope="col">{t("broadcasts.delivery.failed")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {BROADCAST_CHANNELS.filter((c) => p.byChannel[c].total > 0).map((c) => (
              <Table.Tr key={c}>
                <Table.Th scope="row" fw={500}>
                  {t(`broadcasts.channel.${c}`)}
                </Table.Th>
                <Table.Td>{n(p.byChannel[c].total)}</Table.Td>
                <Table.Td>{n(p.byChannel[c].sent)}</Table.Td>
                <Table.Td>{n(p.byChannel[c].delivered)}</Table.Td>
                <Table.Td>{n(p.byChannel[c].failed)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

function Legend({ color, label, value }: { color: string; label: string; value: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <span
        aria-hidden
        style={{
          width: 12,
          height: 12,
          borderRadius: 3,
          background: color,
          display: "inline-block",
        }}
      />
      <Text size="sm">
        {label}: <b>{value}</b>
      </Text>
    </Group>
  );
}

function AudienceSection({ b }: { b: Broadcast }) {
  const { t } = useTranslation();
  const communities = useQuery(parentOptionsQuery);
  const names = new Map((communities.data?.items ?? []).map((c) => [c.id, c.name]));
  const a = b.audience;
  const row = (label: string, value: string) => (
    <Group gap="xs" wrap="nowrap" align="start">
      <Text size="sm" c="dimmed" w={120} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Group>
  );
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-aud">
      <Stack gap="xs">
        <Title order={2} size="h4" id="bc-aud">
          {t("broadcasts.compose.audience")}
        </Title>
        {row(
          t("broadcasts.compose.communities"),
          a.communityIds.length
            ? a.communityIds.map((id) => names.get(id) ?? "…").join(", ")
            : t("broadcasts.compose.wholeDepartment"),
        )}
        {row(
          t("broadcasts.compose.languages"),
          a.languages.length
            ? a.languages.map((l) => t(`residents.languages.${l}`)).join(", ")
            : t("broadcasts.compose.anyLanguage"),
        )}
        {row(
          t("broadcasts.compose.flags"),
          a.flags.length
            ? a.flags.map((f) => t(`residents.flags.${f}`)).join(", ")
            : t("broadcasts.compose.anyFlag"),
        )}
        {row(
          t("broadcasts.compose.consents"),
          a.consents.map((c) => t(`residents.purposes.${c}`)).join(", "),
        )}
        {row(
          t("broadcasts.compose.channels"),
          `${b.channels.map((c) => t(`broadcasts.channel.${c}`)).join(t("broadcasts.detail.then"))} (${t(`broadcasts.mode.${b.channelMode}`)})`,
        )}
        {b.createdByName ? row(t("broadcasts.detail.createdBy"), b.createdByName) : null}
        {b.confirmedAt
          ? row(
              t("broadcasts.detail.confirmedAt"),
              `${formatDateTime(b.confirmedAt, currentLocale())}${b.confirmedByName ? ` · ${b.confirmedByName}` : ""}`,
            )
          : null}
      </Stack>
    </Paper>
  );
}

function TextsSection({ b }: { b: Broadcast }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-txt">
      <Stack gap="xs">
        <Title order={2} size="h4" id="bc-txt">
          {t("broadcasts.compose.texts")}
        </Title>
        {BROADCAST_LANGUAGES.filter((l) => b.messages[l]).map((l) => (
          <Paper key={l} withBorder radius="md" p="sm" bg="gray.0">
            <Text size="xs" c="dimmed" mb={4}>
              {t(`residents.languages.${l}`)}
            </Text>
            <div dir={dirOf(l)} lang={l}>
              {b.messages[l]!.title ? (
                <Text fw={700} size="sm">
                  {b.messages[l]!.title}
                </Text>
              ) : null}
              <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                {b.messages[l]!.body}
              </Text>
            </div>
          </Paper>
        ))}
      </Stack>
    </Paper>
  );
}

function Receipts({ id }: { id: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const [status, setStatus] = useState<DeliveryStatus | "all">("all");
  const [page, setPage] = useState(1);
  const q = useQuery(deliveriesQuery(id, { status: status === "all" ? undefined : status, page }));
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / DELIVERIES_PAGE_SIZE)) : 1;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-rcpt">
      <Stack gap="sm">
        <Title order={2} size="h4" id="bc-rcpt">
          {t("broadcasts.detail.receipts")}
        </Title>
        <NativeSelect
          label={t("broadcasts.detail.receiptsFilter")}
          maw={320}
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value as DeliveryStatus | "all");
            setPage(1);
          }}
          data={[
            { value: "all", label: t("broadcasts.detail.all") },
            ...DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`broadcasts.delivery.${s}`) })),
          ]}
        />
        {q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : null}
        {q.data ? (
          <>
            <Text size="sm" role="status">
              {t("broadcasts.detail.receiptsCount", { n: formatNumber(q.data.total, locale) })}
            </Text>
            <div
              style={{ overflowX: "auto" }}
              tabIndex={0}
              role="region"
              aria-label={t("broadcasts.detail.receipts")}
            >
              <Table
                striped
                verticalSpacing={4}
                miw={560}
                aria-label={t("broadcasts.detail.receipts")}
              >
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">#</Table.Th>
                    <Table.Th scope="col">{t("broadcasts.detail.channel")}</Table.Th>
                    <Table.Th scope="col">{t("broadcasts.detail.language")}</Table.Th>
                    <Table.Th scope="col">{t("broadcasts.detail.status")}</Table.Th>
                    <Table.Th scope="col">{t("broadcasts.detail.when")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {q.data.items.map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td>{d.id}</Table.Td>
                      <Table.Td>{t(`broadcasts.channel.${d.channel}`)}</Table.Td>
                      <Table.Td>{t(`residents.languages.${d.language}`)}</Table.Td>
                      <Table.Td>
                        {t(`broadcasts.delivery.${d.status}`)}
                        {d.error
                          ? ` · ${t(`broadcasts.error.${d.error}`, { defaultValue: d.error })}`
                          : ""}
                      </Table.Td>
                      <Table.Td>
                        {d.deliveredAt
                          ? formatDateTime(d.deliveredAt, locale)
                          : d.sentAt
                            ? formatDateTime(d.sentAt, locale)
                            : "—"}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
            <Pager total={pages} value={page} onChange={setPage} />
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
