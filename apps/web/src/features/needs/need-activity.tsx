import { useState } from "react";
import { Alert, Button, Group, Paper, Stack, Text, Textarea, Timeline, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { NEED_LIMITS, type Need } from "@kaveret/contracts";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { eventSentence, splitEvents, type EventNames } from "./need-events.ts";
import { commentOnNeed, needQuery } from "./needs.api.ts";

/** Who and when, each isolated: a Hebrew name before a date must not swap places with it. */
function Who({ name, at }: { name: string | undefined; at: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Text size="xs" c="dimmed">
      <bdi>{name || t("needs.history.system")}</bdi> ·{" "}
      <bdi dir="ltr">{formatDateTime(at, locale)}</bdi>
    </Text>
  );
}

/** The comment thread (oldest first) and a box to add one. */
export function NeedComments({ need, canComment }: { need: Need; canComment: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { comments } = splitEvents(need.events);

  const send = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await commentOnNeed(need.id, text.trim());
      queryClient.setQueryData(needQuery(need.id).queryKey, updated);
      setText("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="comments-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="comments-title">
          {t("needs.comments.title")}
        </Title>
        {comments.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("needs.comments.none")}
          </Text>
        ) : (
          <Stack component="ol" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {comments.map((c) => (
              <Paper key={c.id} component="li" bg="gray.0" p="xs" radius="sm">
                <Who name={c.actor?.name} at={c.at} />
                <Text
                  size="sm"
                  dir="auto"
                  style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}
                >
                  {c.text}
                </Text>
              </Paper>
            ))}
          </Stack>
        )}
        {canComment ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void send();
            }}
          >
            <Stack gap="xs">
              <Textarea
                label={t("needs.comments.add")}
                autosize
                minRows={2}
                maxLength={NEED_LIMITS.comment}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
              {error ? (
                <Alert color="red" role="alert">
                  {errorMessage(t, error)}
                </Alert>
              ) : null}
              <Group justify="flex-end">
                <Button type="submit" size="compact-md" loading={busy} disabled={!text.trim()}>
                  {t("needs.comments.send")}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** What happened to the need, newest first. */
export function NeedHistory({ need, names }: { need: Need; names: EventNames }) {
  const { t } = useTranslation();
  const { history } = splitEvents(need.events);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="history-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="history-title">
          {t("needs.history.title")}
        </Title>
        {history.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("needs.history.none")}
          </Text>
        ) : (
          <Timeline
            bulletSize={12}
            lineWidth={2}
            active={-1}
            component="ol"
            style={{ paddingInlineStart: 0, listStyle: "none" }}
          >
            {history.map((e) => (
              <Timeline.Item
                key={e.id}
                component="li"
                title={
                  <Text size="sm" fw={500}>
                    {eventSentence(t, e, names)}
                  </Text>
                }
              >
                {e.text ? (
                  <Text size="sm" dir="auto" style={{ whiteSpace: "pre-wrap" }}>
                    {e.text}
                  </Text>
                ) : null}
                <Who name={e.actor?.name} at={e.at} />
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Stack>
    </Paper>
  );
}
