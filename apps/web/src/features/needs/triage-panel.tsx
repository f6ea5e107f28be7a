import { useMediaQuery } from "@mantine/hooks";
import { useState } from "react";
import {
  Alert,
  Button,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  NEED_URGENCIES,
  type Need,
  type NeedCategory,
  type NeedStatus,
  type NeedUrgency,
} from "@kaveret/contracts";
import { AppModal } from "../../components/app-modal.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { useSession } from "../shell/session.tsx";
import { StatusBadge } from "./need-badges.tsx";
import { UrgencyIcon } from "./need-icons.tsx";
import type { NeedAssignees } from "./needs.api.ts";
import { needsReason, nextStatuses, transitionProblem } from "./need-workflow.ts";
import { ResidentPicker } from "./resident-picker.tsx";
import { SuggestionHint } from "./suggestion-hint.tsx";
import { useNeedUpdate } from "./use-need-update.ts";

/** The worker's side of a need: status workflow, category (with the model's hint), urgency, who, where. */
export function TriagePanel({
  need,
  categories,
  categoryName,
  assignees,
  communities,
}: {
  need: Need;
  categories: NeedCategory[];
  categoryName: (code: string | null) => string;
  assignees: NeedAssignees | undefined;
  communities: { value: string; label: string }[] | null;
}) {
  const { t } = useTranslation();
  const { me } = useSession();
  const update = useNeedUpdate(need);
  // Four urgency words do not fit side by side on a phone (Hebrew "קריטית" was cut off).
  const narrow = useMediaQuery("(max-width: 40em)") ?? false;
  const [moving, setMoving] = useState<NeedStatus | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const editable = need.permissions.edit && need.mergedInto === null;

  const move = async (to: NeedStatus, why = "") => {
    const problem = transitionProblem(need.status, to, why);
    if (problem) {
      setReasonError(t(problem));
      return;
    }
    const saved = await update.save(
      { status: to, ...(why.trim() ? { reason: why.trim() } : {}) },
      "status",
    );
    if (saved) {
      setMoving(null);
      setReason("");
      notify(t("needs.triage.moved", { status: t(`needs.status.${to}`) }));
    }
  };

  const startMove = (to: NeedStatus) => {
    setReasonError(null);
    if (needsReason(to)) {
      setReason("");
      setMoving(to);
    } else {
      void move(to);
    }
  };

  const categoryData = [
    { value: "", label: t("needs.uncategorized") },
    ...categories.map((c) => ({ value: c.code, label: categoryName(c.code) })),
  ];
  if (need.category && !categoryData.some((c) => c.value === need.category)) {
    categoryData.push({ value: need.category, label: categoryName(need.category) });
  }
  const assigneeData = [
    { value: "", label: t("needs.triage.nobody") },
    ...(assignees?.items ?? []).map((a) => ({ value: a.id, label: a.name })),
  ];
  if (need.assignee && !assigneeData.some((a) => a.value === need.assignee?.id)) {
    assigneeData.push({ value: need.assignee.id, label: need.assignee.name });
  }
  const canTake =
    need.permissions.assign &&
    need.assignee?.id !== me.user.id &&
    (assignees?.items ?? []).some((a) => a.id === me.user.id);
  const communityData = communities
    ? [{ value: "", label: t("needs.triage.noCommunity") }, ...communities]
    : null;
  if (
    communityData &&
    need.community &&
    !communityData.some((c) => c.value === need.community?.id)
  ) {
    communityData.push({ value: need.community.id, label: need.community.name });
  }

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="triage-title">
      <Stack gap="md">
        <Title order={2} size="h4" id="triage-title">
          {t("needs.triage.title")}
        </Title>
        {update.conflict ? (
          <Alert
            color="orange"
            role="alert"
            withCloseButton
            closeButtonLabel={t("app.close")}
            onClose={update.clear}
          >
            {t("needs.triage.conflict")}
          </Alert>
        ) : null}
        {update.error ? (
          <Alert
            color="red"
            role="alert"
            withCloseButton
            closeButtonLabel={t("app.close")}
            onClose={update.clear}
          >
            {errorMessage(t, update.error)}
          </Alert>
        ) : null}

        <Stack gap={6}>
          <Group gap="xs">
            <Text size="sm" fw={500}>
              {t("needs.field.status")}
            </Text>
            <StatusBadge status={need.status} />
          </Group>
          {editable ? (
            <Group gap="xs" wrap="wrap" role="group" aria-label={t("needs.triage.moveTo")}>
              {nextStatuses(need.status).map((to) => (
                <Button
                  key={to}
                  size="compact-md"
                  variant={to === "closed" || to === "referred" ? "default" : "filled"}
                  loading={update.busy === "status" && moving === null}
                  onClick={() => startMove(to)}
                  data-testid={`move-${to}`}
                >
                  {t(`needs.triage.to.${to}`)}
                </Button>
              ))}
            </Group>
          ) : null}
        </Stack>

        <Stack gap={6}>
          <NativeSelect
            label={t("needs.field.category")}
            data={categoryData}
            value={need.category ?? ""}
            disabled={!editable || update.busy !== null}
            onChange={(e) =>
              void update.save({ category: e.currentTarget.value || null }, "category")
            }
          />
          {editable ? (
            <SuggestionHint
              suggestion={need.suggestion}
              text={need.description}
              category={need.category}
              urgency={need.urgency}
              categoryName={categoryName}
              busy={update.busy === "category" || update.busy === "urgency"}
              onAcceptCategory={(code) => void update.save({ category: code }, "category")}
              onAcceptUrgency={(u) => void update.save({ urgency: u }, "urgency")}
            />
          ) : null}
        </Stack>

        <Stack gap={6}>
          <Text size="sm" fw={500} id="urgency-label">
            {t("needs.field.urgency")}
          </Text>
          <div role="radiogroup" aria-labelledby="urgency-label">
            <SegmentedControl
              fullWidth
              orientation={narrow ? "vertical" : "horizontal"}
              disabled={!editable || update.busy !== null}
              value={need.urgency}
              onChange={(v) => {
                const u = NEED_URGENCIES.find((x) => x === v);
                if (u && u !== need.urgency) void update.save({ urgency: u }, "urgency");
              }}
              data={NEED_URGENCIES.map((u: NeedUrgency) => ({
                value: u,
                label: (
                  <Group gap={4} wrap="nowrap" justify="center">
                    <UrgencyIcon urgency={u} size={13} />
                    <span>{t(`needs.urgency.${u}`)}</span>
                  </Group>
                ),
              }))}
            />
          </div>
        </Stack>

        <Stack gap={6}>
          <NativeSelect
            label={t("needs.field.assignee")}
            data={assigneeData}
            value={need.assignee?.id ?? ""}
            disabled={!need.permissions.assign || update.busy !== null}
            onChange={(e) =>
              void update.save({ assigneeId: e.currentTarget.value || null }, "assigneeId")
            }
          />
          {canTake ? (
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => void update.save({ assigneeId: me.user.id }, "assigneeId")}
            >
              {t("needs.triage.takeIt")}
            </Button>
          ) : null}
        </Stack>

        {communityData ? (
          <NativeSelect
            label={t("needs.field.community")}
            data={communityData}
            value={need.community?.id ?? ""}
            disabled={!editable || update.busy !== null}
            onChange={(e) =>
              void update.save({ communityId: e.currentTarget.value || null }, "communityId")
            }
          />
        ) : null}

        <ResidentPicker
          label={t("needs.field.resident")}
          description={t("needs.triage.residentHint")}
          value={
            need.resident && {
              id: need.resident.id,
              name: need.resident.name ?? t("needs.detail.residentHidden"),
            }
          }
          disabled={!editable || update.busy !== null}
          onChange={(r) => void update.save({ residentId: r?.id ?? null }, "residentId")}
        />
      </Stack>

      {moving ? (
        <AppModal
          opened
          onClose={() => setMoving(null)}
          title={t(`needs.triage.reasonTitle.${moving}`)}
        >
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void move(moving, reason);
            }}
          >
            <Stack gap="sm">
              <Textarea
                label={t("needs.triage.reason")}
                description={t("needs.triage.reasonHint")}
                required
                autosize
                minRows={3}
                maxLength={500}
                value={reason}
                error={reasonError}
                onChange={(e) => setReason(e.currentTarget.value)}
                data-autofocus
              />
              {update.error ? (
                <Alert color="red" role="alert">
                  {errorMessage(t, update.error)}
                </Alert>
              ) : null}
              <Group justify="flex-end" gap="xs">
                <Button variant="default" onClick={() => setMoving(null)}>
                  {t("app.cancel")}
                </Button>
                <Button type="submit" loading={update.busy === "status"}>
                  {t(`needs.triage.to.${moving}`)}
                </Button>
              </Group>
            </Stack>
          </form>
        </AppModal>
      ) : null}
    </Paper>
  );
}
