import { Alert, Group, Paper, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { apiGet } from "../../api/client.ts";
import { PageTitle } from "../../components/page-title.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime } from "../../lib/format.ts";

interface OutboxMessage {
  id: string;
  channel: string;
  to: string;
  subject: string | null;
  body: string;
  createdAt: string;
}

export function OutboxPage() {
  const { t } = useTranslation();
  const locale = currentLocale();
  const outbox = useQuery({
    queryKey: ["dev-outbox"],
    queryFn: ({ signal }) =>
      apiGet<{ items: OutboxMessage[] }>("/api/dev/outbox", undefined, signal),
    refetchInterval: 5_000,
  });
  return (
    <Stack gap="md">
      <PageTitle>{t("outbox.title")}</PageTitle>
      <Alert color="blue">{t("outbox.intro")}</Alert>
      {outbox.isPending ? <PageLoader /> : null}
      {outbox.isError ? (
        <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} />
      ) : null}
      {outbox.isSuccess && outbox.data.items.length === 0 ? (
        <EmptyState title={t("outbox.empty")} />
      ) : null}
      {outbox.isSuccess && outbox.data.items.length > 0 ? (
        <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {outbox.data.items.map((m) => (
            <Paper key={m.id} component="li" withBorder p="sm" radius="md" data-testid="outbox-row">
              <Group gap="xs" mb={4}>
                <SoftBadge>
                  {t(`outbox.channels.${m.channel}`, { defaultValue: m.channel })}
                </SoftBadge>
                <Text size="sm" className="ltr-text">
                  {m.to}
                </Text>
                <Text size="xs" c="dimmed">
                  <bdi dir="ltr">{formatDateTime(m.createdAt, locale)}</bdi>
                </Text>
              </Group>
              {m.subject ? <Text fw={700}>{m.subject}</Text> : null}
              <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                {m.body}
              </Text>
            </Paper>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
