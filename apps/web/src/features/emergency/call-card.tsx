import { Button, Group, Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime } from "../../lib/format.ts";
import { formatPhone } from "../residents/resident-labels.ts";
import { CALL_RULES } from "@kaveret/contracts";
import { telHref, type ListedCall } from "./call-list.ts";
import { callStateKey, isolate, languagesText } from "./emergency-labels.ts";

const STATE_COLOR = {
  pending: "gray",
  retry: "orange",
  escalated: "red",
  done: "green",
} as const;

/**
 * One resident to call, as big as a thumb needs: rank, name, a call button, language,
 * address, (staff) why they are on the list; the outcome and the status-link actions.
 */
export function CallCard({
  call,
  onOutcome,
  onStatusLink,
}: {
  call: ListedCall;
  onOutcome?: (call: ListedCall) => void;
  /** Staff only, online only: read the resident's own status link out. */
  onStatusLink?: (call: ListedCall) => void;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const r = call.resident;
  const titleId = `call-${call.id}-name`;
  const done = call.status === "done";
  const needsHelp = call.outcome === "reached_needs_help" && done;
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      component="article"
      aria-labelledby={titleId}
      data-testid="call-card"
      data-call={call.id}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <SoftBadge
              color="honey"
              tt="none"
              aria-label={t("emergency.call.rank", { rank: call.rank })}
            >
              {`#${call.rank}`}
            </SoftBadge>
            <Text
              id={titleId}
              fw={700}
              size="lg"
              dir="auto"
              style={{ overflowWrap: "anywhere", minWidth: 0 }}
            >
              {r.name}
            </Text>
          </Group>
          <SoftBadge
            color={needsHelp ? "red" : STATE_COLOR[call.status]}
            tt="none"
            style={{ flex: "none" }}
            data-testid="call-state"
          >
            {t(callStateKey(call))}
          </SoftBadge>
        </Group>

        {call.drill ? (
          <SoftBadge color="yellow" tt="none">
            {t("emergency.mode.drill")}
          </SoftBadge>
        ) : null}

        {r.phone ? (
          <Button
            component="a"
            href={telHref(r.phone)}
            variant="light"
            size="md"
            fullWidth
            aria-label={t("emergency.call.dial", { name: r.name, phone: formatPhone(r.phone) })}
          >
            <span dir="ltr" style={{ unicodeBidi: "isolate" }}>
              {formatPhone(r.phone)}
            </span>
          </Button>
        ) : (
          <Text size="sm" c="#8a3a00" fw={600}>
            {t("emergency.call.noPhone")}
          </Text>
        )}

        <Text size="sm">
          <Text span c="dimmed" size="sm">
            {t("emergency.call.language")}{" "}
          </Text>
          {r.languages.length ? languagesText(t, r.languages) : t("emergency.call.unknown")}
        </Text>
        <Text size="sm" dir="auto" style={{ overflowWrap: "anywhere" }}>
          <Text span c="dimmed" size="sm">
            {t("emergency.call.address")}{" "}
          </Text>
          {r.address || t("emergency.call.unknown")}
          {r.community ? ` · ${r.community.name}` : ""}
        </Text>

        {call.riskReasons && call.riskReasons.length > 0 ? (
          <Group gap={4}>
            <Text size="sm" c="dimmed">
              {t("emergency.call.reasons")}
            </Text>
            {call.riskReasons.map((reason) => (
              <SoftBadge key={reason} color="grape" tt="none">
                {t(`emergency.reasons.${reason}`)}
              </SoftBadge>
            ))}
          </Group>
        ) : null}

        {call.attempts > 0 || call.status === "retry" || call.status === "escalated" ? (
          <Text size="sm" c="dimmed">
            {t("emergency.call.attempts", { n: call.attempts, max: CALL_RULES.maxAttempts })}
            {call.status === "retry" && call.nextAttemptAt
              ? ` · ${t("emergency.call.nextAt", {
                  time: formatDateTime(call.nextAttemptAt, locale).slice(11),
                })}`
              : ""}
          </Text>
        ) : null}
        {call.status === "escalated" ? (
          <Text size="sm" c="#9b1c1c">
            {call.escalatedTo
              ? t("emergency.call.escalatedTo", { name: isolate(call.escalatedTo.name) })
              : t("emergency.call.escalated")}
          </Text>
        ) : null}
        {!call.consented ? (
          <Text size="sm" c="dimmed">
            {t("emergency.call.noConsent")}
          </Text>
        ) : null}

        {call.pending > 0 ? (
          <Text size="sm" c="#6b4e00" fw={600} data-testid="call-pending">
            {t("emergency.call.waiting")}
          </Text>
        ) : null}
        {call.problem ? (
          <Text size="sm" c="#9b1c1c" fw={600}>
            {t("emergency.call.refused")}
          </Text>
        ) : null}

        {!done && (onOutcome || onStatusLink) ? (
          <Group gap="xs" grow wrap="wrap">
            {onOutcome ? (
              <Button onClick={() => onOutcome(call)} data-testid="call-outcome">
                {t("emergency.call.record")}
              </Button>
            ) : null}
            {onStatusLink ? (
              <Button variant="default" onClick={() => onStatusLink(call)}>
                {t("emergency.call.statusLink")}
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
