import { Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ResidentEmergencyHistory } from "@kaveret/contracts";
import { ApiError } from "../../api/client.ts";
import { AnchorLink } from "../../components/links.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime } from "../../lib/format.ts";
import { residentEmergencyHistoryQuery } from "./emergency.api.ts";
import { callStateKey, helpCategoryName } from "./emergency-labels.ts";

type Item = ResidentEmergencyHistory["items"][number];

/**
 * A resident's emergencies: were they called and reached, what they answered themselves,
 * what help they asked for (and the need it became). Shown where the reader may see the
 * resident in full; the server refuses anyone else, and then the section stays away.
 */
export function ResidentEmergencySection({ residentId }: { residentId: string }) {
  const { t } = useTranslation();
  const history = useQuery(residentEmergencyHistoryQuery(residentId));
  if (
    history.isError &&
    history.error instanceof ApiError &&
    (history.error.status === 403 || history.error.status === 404)
  ) {
    return null;
  }
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="emergency-history">
      <Stack gap="sm">
        <Title order={2} size="h4" id="emergency-history">
          {t("emergency.residentHistory.title")}
        </Title>
        {history.isPending ? <PageLoader /> : null}
        {history.isError ? (
          <ErrorState error={history.error} onRetry={() => void history.refetch()} />
        ) : null}
        {history.data && history.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("emergency.residentHistory.none")}
          </Text>
        ) : null}
        {history.data?.items.map((item) => (
          <HistoryItem key={item.emergency.id} item={item} />
        ))}
      </Stack>
    </Paper>
  );
}

function HistoryItem({ item }: { item: Item }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const e = item.emergency;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="resident-emergency">
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={700} dir="auto">
            {e.title}
          </Text>
          <Group gap={4}>
            {e.drill ? (
              <SoftBadge color="yellow" tt="none">
                {t("emergency.mode.drill")}
              </SoftBadge>
            ) : null}
            <Text size="xs" c="dimmed">
              <bdi dir="ltr">{formatDateTime(e.startedAt, locale)}</bdi>
            </Text>
          </Group>
        </Group>
        {item.call ? (
          <Stack gap={2}>
            <Group gap={6}>
              <Text size="sm">{t("emergency.residentHistory.call")}</Text>
              <SoftBadge
                color={
                  item.call.outcome === "reached_needs_help"
                    ? "red"
                    : item.call.status === "done"
                      ? "green"
                      : "orange"
                }
                tt="none"
              >
                {t(callStateKey(item.call))}
              </SoftBadge>
            </Group>
            {item.call.attempts.map((a) => (
              <Text key={a.id} size="xs" c="dimmed">
                <bdi dir="ltr">{formatDateTime(a.at, locale)}</bdi>
                {" · "}
                {t(`emergency.outcomes.${a.outcome}`)}
                {a.source === "self" ? ` · ${t("emergency.residentHistory.self")}` : ""}
                {a.by ? ` · ${a.by.name}` : ""}
                {a.note ? ` · ${a.note}` : ""}
              </Text>
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            {t("emergency.residentHistory.noCall")}
          </Text>
        )}
        {item.selfReports.map((r) => (
          <Text key={r.id} size="sm">
            {r.answer === "ok"
              ? t("emergency.residentHistory.answeredOk")
              : t("emergency.residentHistory.answeredHelp", {
                  category: r.category ? helpCategoryName(t, r.category) : "—",
                })}
            {" · "}
            <bdi dir="ltr">{formatDateTime(r.at, locale)}</bdi>
          </Text>
        ))}
        {item.helpRequests.map((h) => (
          <Group key={h.id} gap={6} wrap="wrap">
            <Text size="sm">
              {t("emergency.residentHistory.help", {
                category: helpCategoryName(t, h.category),
                reference: h.reference,
              })}
            </Text>
            <SoftBadge color="gray" tt="none">
              {t(`emergency.help.statuses.${h.status}`)}
            </SoftBadge>
            {h.need ? (
              <AnchorLink to="/needs/$id" params={{ id: h.need.id }} size="sm">
                {t("emergency.residentHistory.need", { reference: h.need.reference })}
              </AnchorLink>
            ) : null}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
