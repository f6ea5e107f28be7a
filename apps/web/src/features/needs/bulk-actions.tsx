import { useState } from "react";
import {
  Alert,
  Button,
  Group,
  List,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Textarea,
} from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  NEED_STATUSES,
  NEED_URGENCIES,
  bulkNeedsBodySchema,
  type NeedCategory,
  type NeedStatus,
  type NeedUrgency,
} from "@kaveret/contracts";
import { apiPost } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import type { BulkNeedsResult, NeedAssignees } from "./needs.api.ts";
import {
  UNASSIGN,
  bulkBody,
  bulkStatusOptions,
  needsReason,
  type BulkAction as Action,
} from "./need-workflow.ts";

export interface BulkTarget {
  id: string;
  reference: string;
  status: NeedStatus;
}

/** The bar that appears when needs are chosen: assign, status, urgency, category for all of them. */
export function BulkActions({
  targets,
  assignees,
  categories,
  categoryName,
  canAssign,
  onDone,
}: {
  targets: BulkTarget[];
  assignees: NeedAssignees | undefined;
  categories: NeedCategory[];
  categoryName: (code: string | null) => string;
  canAssign: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [value, setValue] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<BulkNeedsResult | null>(null);
  const refs = new Map(targets.map((n) => [n.id, n.reference]));

  const open = (a: Action) => {
    setAction(a);
    setValue("");
    setReason("");
    setError(null);
  };

  const apply = async () => {
    if (!action) return;
    const body = bulkBody(
      action,
      targets.map((n) => n.id),
      value,
      reason,
    );
    const parsed = body ? bulkNeedsBodySchema.safeParse(body) : null;
    if (!parsed?.success) {
      setError(new Error("incomplete"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await apiPost<BulkNeedsResult>("/api/needs/bulk", parsed.data);
      setResult(res);
      setAction(null);
      await queryClient.invalidateQueries({ queryKey: ["needs"] });
      if (res.failed.length === 0) notify(t("needs.bulk.done", { n: res.updated.length }));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const statuses = bulkStatusOptions(targets.map((n) => n.status));
  const options: Record<Action, { value: string; label: string }[]> = {
    assign: [
      { value: UNASSIGN, label: t("needs.bulk.unassign") },
      ...(assignees?.items ?? []).map((a) => ({ value: a.id, label: a.name })),
    ],
    status: (statuses.length ? statuses : [...NEED_STATUSES]).map((s) => ({
      value: s,
      label: t(`needs.status.${s}`),
    })),
    urgency: NEED_URGENCIES.map((u: NeedUrgency) => ({ value: u, label: t(`needs.urgency.${u}`) })),
    category: categories.map((c) => ({ value: c.code, label: categoryName(c.code) })),
  };
  const titles: Record<Action, string> = {
    assign: t("needs.bulk.assignTitle", { n: targets.length }),
    status: t("needs.bulk.statusTitle", { n: targets.length }),
    urgency: t("needs.bulk.urgencyTitle", { n: targets.length }),
    category: t("needs.bulk.categoryTitle", { n: targets.length }),
  };
  const fieldLabels: Record<Action, string> = {
    assign: t("needs.field.assignee"),
    status: t("needs.field.status"),
    urgency: t("needs.field.urgency"),
    category: t("needs.field.category"),
  };
  const asksReason = action === "status" && needsReason(value as NeedStatus);

  return (
    <Stack gap="xs">
      {targets.length > 0 ? (
        <Paper
          withBorder
          p="xs"
          radius="md"
          bg="honey.0"
          component="section"
          aria-label={t("needs.bulk.label")}
          data-testid="bulk-bar"
        >
          <Group gap="xs" wrap="wrap" justify="space-between">
            <Text size="sm" fw={700} role="status" aria-live="polite">
              {t("needs.bulk.selected", { n: targets.length })}
            </Text>
            <Group gap="xs" wrap="wrap">
              {canAssign ? (
                <Button size="compact-sm" variant="default" onClick={() => open("assign")}>
                  {t("needs.bulk.assign")}
                </Button>
              ) : null}
              <Button size="compact-sm" variant="default" onClick={() => open("status")}>
                {t("needs.bulk.status")}
              </Button>
              <Button size="compact-sm" variant="default" onClick={() => open("urgency")}>
                {t("needs.bulk.urgency")}
              </Button>
              <Button size="compact-sm" variant="default" onClick={() => open("category")}>
                {t("needs.bulk.category")}
              </Button>
              <Button size="compact-sm" variant="subtle" onClick={onDone}>
                {t("needs.bulk.clear")}
              </Button>
            </Group>
          </Group>
        </Paper>
      ) : null}

      {result && result.failed.length > 0 ? (
        <Alert
          color="orange"
          role="alert"
          title={t("needs.bulk.partialTitle", {
            ok: result.updated.length,
            failed: result.failed.length,
          })}
          withCloseButton
          closeButtonLabel={t("app.close")}
          onClose={() => setResult(null)}
          data-testid="bulk-result"
        >
          <List size="sm" spacing={2}>
            {result.failed.map((f) => (
              <List.Item key={f.id}>
                <Text span fw={700} dir="ltr" style={{ unicodeBidi: "isolate" }}>
                  {refs.get(f.id) ?? f.id.slice(0, 8)}
                </Text>
                {": "}
                {t(`errors.${f.code}`, { defaultValue: f.message || t("errors.generic") })}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}

      {action ? (
        <AppModal opened onClose={() => setAction(null)} title={titles[action]}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void apply();
            }}
          >
            <Stack gap="sm">
              <NativeSelect
                label={fieldLabels[action]}
                data={[{ value: "", label: t("needs.bulk.choose") }, ...options[action]]}
                value={value}
                onChange={(e) => setValue(e.currentTarget.value)}
                data-autofocus
              />
              {action === "status" ? (
                <Text size="xs" c="dimmed">
                  {t("needs.bulk.statusHint")}
                </Text>
              ) : null}
              {asksReason ? (
                <Textarea
                  label={t("needs.triage.reason")}
                  description={t("needs.triage.reasonHint")}
                  required
                  autosize
                  minRows={2}
                  maxLength={500}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                />
              ) : null}
              {error ? (
                <Alert color="red" role="alert">
                  {error instanceof Error && error.message === "incomplete"
                    ? t(asksReason ? "needs.triage.reasonRequired" : "needs.bulk.chooseFirst")
                    : errorMessage(t, error)}
                </Alert>
              ) : null}
              <Group justify="flex-end" gap="xs">
                <Button variant="default" onClick={() => setAction(null)}>
                  {t("app.cancel")}
                </Button>
                <Button type="submit" loading={busy}>
                  {t("needs.bulk.apply", { n: targets.length })}
                </Button>
              </Group>
            </Stack>
          </form>
        </AppModal>
      ) : null}
    </Stack>
  );
}
