import { useState } from "react";
import { Alert, Button, Group, NativeSelect, Stack, Text, Textarea, Timeline } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { EMERGENCY_LIMITS, SHIFT_LOG_KINDS, type ShiftLogCode } from "@kaveret/contracts";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { addLogEntry, emergencyKeys, logQuery } from "./emergency.api.ts";

const KIND_COLOR = {
  note: "gray",
  decision: "blue",
  handover: "teal",
  incident: "red",
} as const;

/** The shift log: what happened and what was decided, newest first; anyone on the board adds. */
/** A system entry in the reader's language (the stored English text is for exports). */
function logText(
  t: TFunction,
  code: ShiftLogCode,
  params: Record<string, string | number>,
): string {
  const text = t(`emergency.log.codes.${code}`, params);
  return code === "closed" && params.note ? `${text}: ${String(params.note)}` : text;
}

export function ShiftLog({ emergencyId, canAdd }: { emergencyId: string; canAdd: boolean }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const queryClient = useQueryClient();
  const log = useQuery(logQuery(emergencyId));
  const [kind, setKind] = useState<(typeof SHIFT_LOG_KINDS)[number]>("note");
  const [text, setText] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const add = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await addLogEntry(emergencyId, { kind, text: text.trim() });
      setText("");
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.log(emergencyId) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm">
      {canAdd ? (
        <Stack gap="xs">
          <Textarea
            label={t("emergency.log.text")}
            autosize
            minRows={2}
            maxLength={EMERGENCY_LIMITS.logText}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <Group gap="xs" align="flex-end" wrap="wrap">
            <NativeSelect
              label={t("emergency.log.kind")}
              value={kind}
              data={SHIFT_LOG_KINDS.map((k) => ({
                value: k,
                label: t(`emergency.log.kinds.${k}`),
              }))}
              onChange={(e) => {
                const v = e.currentTarget.value;
                const found = SHIFT_LOG_KINDS.find((k) => k === v);
                if (found) setKind(found);
              }}
            />
            <Button onClick={() => void add()} loading={busy} disabled={!text.trim()}>
              {t("emergency.log.add")}
            </Button>
          </Group>
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
        </Stack>
      ) : null}
      {log.isPending ? <PageLoader /> : null}
      {log.isError ? <ErrorState error={log.error} onRetry={() => void log.refetch()} /> : null}
      {log.data && log.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("emergency.log.empty")}
        </Text>
      ) : null}
      {log.data && log.data.items.length > 0 ? (
        <Timeline bulletSize={12} lineWidth={2} color="honey" data-testid="shift-log">
          {log.data.items.map((e) => (
            <Timeline.Item
              key={e.id}
              title={
                <Group gap={6} wrap="wrap">
                  <SoftBadge color={KIND_COLOR[e.kind]} tt="none">
                    {t(`emergency.log.kinds.${e.kind}`)}
                  </SoftBadge>
                  <Text size="xs" c="dimmed">
                    <bdi dir="ltr">{formatDateTime(e.at, locale)}</bdi>
                    {" · "}
                    {e.system ? t("emergency.log.system") : (e.author?.name ?? "")}
                  </Text>
                </Group>
              }
            >
              <Text
                size="sm"
                dir="auto"
                style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}
              >
                {e.code ? logText(t, e.code, e.params ?? {}) : e.text}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      ) : null}
    </Stack>
  );
}
