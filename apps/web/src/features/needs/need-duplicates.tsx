import { useState } from "react";
import { Alert, Button, Group, List, Paper, Radio, Stack, Text, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Need } from "@kaveret/contracts";
import { AppModal } from "../../components/app-modal.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { StatusBadge } from "./need-badges.tsx";
import { distanceLabel, excerpt } from "./need-labels.ts";
import { mergeNeeds, needQuery } from "./needs.api.ts";
import { mergePair, type MergeChoice } from "./need-merge.ts";

type Similar = Need["similar"][number];

/** Possible duplicates (nearby, similar words), each with a merge action. */
export function NeedDuplicates({ need }: { need: Need }) {
  const { t } = useTranslation();
  const [merging, setMerging] = useState<Similar | null>(null);
  if (need.similar.length === 0 && !need.permissions.merge) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="dups-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="dups-title">
          {t("needs.duplicates.title")}
        </Title>
        {need.similar.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("needs.duplicates.none")}
          </Text>
        ) : (
          <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {need.similar.map((s) => (
              <Paper
                key={s.id}
                component="li"
                withBorder
                p="xs"
                radius="sm"
                data-testid="similar-need"
              >
                <Stack gap={4}>
                  <Group gap="xs" wrap="wrap">
                    <AnchorLink
                      to="/needs/$id"
                      params={{ id: s.id }}
                      fw={700}
                      dir="ltr"
                      style={{ unicodeBidi: "isolate" }}
                    >
                      {s.reference}
                    </AnchorLink>
                    <StatusBadge status={s.status} size="sm" />
                    <Text size="xs" c="dimmed">
                      {[
                        t("needs.duplicates.score", { percent: Math.round(s.score * 100) }),
                        distanceLabel(t, s.distanceMeters),
                      ]
                        .filter(Boolean)
                        .join(" · ")}
                    </Text>
                  </Group>
                  <Text size="sm" dir="auto">
                    {excerpt(s.description, 160)}
                  </Text>
                  {need.permissions.merge && need.mergedInto === null ? (
                    <Group>
                      <Button
                        size="compact-sm"
                        variant="default"
                        onClick={() => setMerging(s)}
                        data-testid="merge-open"
                      >
                        {t("needs.duplicates.merge")}
                      </Button>
                    </Group>
                  ) : null}
                </Stack>
              </Paper>
            ))}
          </Stack>
        )}
      </Stack>
      {merging ? (
        <MergeDialog need={need} other={merging} onClose={() => setMerging(null)} />
      ) : null}
    </Paper>
  );
}

function MergeDialog({
  need,
  other,
  onClose,
}: {
  need: Need;
  other: Similar;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [choice, setChoice] = useState<MergeChoice>("this");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const pair = mergePair(
    choice,
    { id: need.id, reference: need.reference },
    { id: other.id, reference: other.reference },
  );

  const merge = async () => {
    setBusy(true);
    setError(null);
    try {
      const survivor = await mergeNeeds(pair.survivor.id, pair.duplicate.id);
      queryClient.setQueryData(needQuery(survivor.id).queryKey, survivor);
      await queryClient.invalidateQueries({ queryKey: ["needs"] });
      notify(t("needs.duplicates.merged", { survivor: survivor.reference }));
      onClose();
      if (survivor.id !== need.id)
        await navigate({ to: "/needs/$id", params: { id: survivor.id } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal opened onClose={onClose} title={t("needs.duplicates.confirmTitle")} size="lg">
      <Stack gap="sm">
        <Radio.Group
          label={t("needs.duplicates.whichStays")}
          value={choice}
          onChange={(v) => setChoice(v === "other" ? "other" : "this")}
        >
          <Stack gap="xs" mt="xs">
            <Radio value="this" label={t("needs.duplicates.keep", { ref: need.reference })} />
            <Radio value="other" label={t("needs.duplicates.keep", { ref: other.reference })} />
          </Stack>
        </Radio.Group>
        <Alert color="blue" data-testid="merge-explain">
          <Text size="sm" fw={700}>
            {t("needs.duplicates.explainTitle", {
              survivor: pair.survivor.reference,
              duplicate: pair.duplicate.reference,
            })}
          </Text>
          <List size="sm" spacing={2} mt={4}>
            <List.Item>
              {t("needs.duplicates.explainStays", { survivor: pair.survivor.reference })}
            </List.Item>
            <List.Item>
              {t("needs.duplicates.explainMoves", { duplicate: pair.duplicate.reference })}
            </List.Item>
            <List.Item>
              {t("needs.duplicates.explainClosed", { duplicate: pair.duplicate.reference })}
            </List.Item>
          </List>
        </Alert>
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t("app.cancel")}
          </Button>
          <Button onClick={() => void merge()} loading={busy} data-testid="merge-confirm">
            {t("needs.duplicates.confirm", { survivor: pair.survivor.reference })}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}
