import { useState } from "react";
import {
  Alert,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { AssignmentOptions, Form, FormAssignment } from "@kaveret/contracts";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { PageLoader } from "../../components/states.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { targetKindLabel } from "./assignment-labels.ts";
import {
  assignmentOptionsQuery,
  assignmentsQuery,
  createAssignment,
  deleteAssignment,
} from "./forms.api.ts";

/*
 * Door to door: the manager gives the form's streets, street clusters and buildings to
 * surveyors. Each surveyor's device pulls their assignments with the sync, so "my
 * assignments" works offline; each counts the answers taken on it.
 */

type Target = AssignmentOptions["targets"][number];

const keyOf = (t: Pick<Target, "kind" | "id">) => `${t.kind}:${t.id}`;

export function AssignmentsPanel({ form }: { form: Form }) {
  const { t } = useTranslation();
  const list = useQuery(assignmentsQuery(form.id));
  const options = useQuery({
    ...assignmentOptionsQuery(form.id),
    enabled: form.status !== "closed",
  });
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="dist-assignments">
      <Stack gap="sm">
        <Title order={2} size="h4" id="dist-assignments">
          {t("forms.assignments.title")}
        </Title>
        <Text size="sm">{t("forms.assignments.text")}</Text>
        {form.status === "closed" ? (
          <Text size="sm" c="dimmed">
            {t("forms.assignments.closed")}
          </Text>
        ) : options.data ? (
          <AssignForm form={form} options={options.data} />
        ) : options.isError ? (
          <Alert color="red" role="alert">
            {errorMessage(t, options.error)}
          </Alert>
        ) : (
          <PageLoader />
        )}
        {list.isPending ? <PageLoader /> : null}
        {list.isError ? (
          <Alert color="red" role="alert">
            {errorMessage(t, list.error)}
          </Alert>
        ) : null}
        {list.data && list.data.items.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="assignments-empty">
            {t("forms.assignments.empty")}
          </Text>
        ) : null}
        {list.data && list.data.items.length > 0 ? (
          <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {list.data.items.map((a) => (
              <li key={a.id}>
                <AssignmentItem form={form} assignment={a} />
              </li>
            ))}
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}

function AssignForm({ form, options }: { form: Form; options: AssignmentOptions }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [surveyorId, setSurveyorId] = useState("");
  const [target, setTarget] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState<{ surveyor?: string; target?: string }>({});

  const groups: { group: string; items: { value: string; label: string }[] }[] = [];
  for (const kind of ["street_cluster", "building", "street"] as const) {
    const items = options.targets
      .filter((x) => (kind === "street" ? x.kind === "street" : x.level === kind))
      .map((x) => ({ value: keyOf(x), label: x.name }));
    if (items.length > 0) {
      groups.push({
        group: targetKindLabel(t, {
          kind: kind === "street" ? "street" : "community",
          level: kind,
        }),
        items,
      });
    }
  }

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const chosen = options.targets.find((x) => keyOf(x) === target);
    const problems = {
      ...(surveyorId ? {} : { surveyor: t("validation.required") }),
      ...(chosen ? {} : { target: t("validation.required") }),
    };
    setMissing(problems);
    if (!chosen || !surveyorId) return;
    setBusy(true);
    setError(null);
    try {
      await createAssignment(form.id, {
        surveyorId,
        targetKind: chosen.kind,
        targetId: chosen.id,
        note: note.trim(),
      });
      notify(t("forms.assignments.added"));
      setTarget("");
      setNote("");
      await queryClient.invalidateQueries({ queryKey: assignmentsQuery(form.id).queryKey });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (options.surveyors.length === 0 || options.targets.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {options.surveyors.length === 0
          ? t("forms.assignments.noSurveyors")
          : t("forms.assignments.noTargets")}
      </Text>
    );
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <Stack gap="xs">
        <Group gap="sm" align="flex-start" wrap="wrap">
          <NativeSelect
            style={{ flex: 1, minWidth: 200 }}
            label={t("forms.assignments.surveyor")}
            required
            value={surveyorId}
            error={missing.surveyor}
            onChange={(e) => setSurveyorId(e.currentTarget.value)}
            data={[
              { value: "", label: t("forms.assignments.chooseSurveyor") },
              ...options.surveyors.map((s) => ({ value: s.id, label: s.name })),
            ]}
            data-testid="assign-surveyor"
          />
          <NativeSelect
            style={{ flex: 1, minWidth: 200 }}
            label={t("forms.assignments.target")}
            required
            value={target}
            error={missing.target}
            onChange={(e) => setTarget(e.currentTarget.value)}
            data={[{ value: "", label: t("forms.assignments.chooseTarget") }, ...groups]}
            data-testid="assign-target"
          />
        </Group>
        <TextInput
          label={t("forms.assignments.note")}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        <Group>
          <Button type="submit" loading={busy} data-testid="assign-submit">
            {t("forms.assignments.add")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function AssignmentItem({ form, assignment }: { form: Form; assignment: FormAssignment }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteAssignment(form.id, assignment.id);
      notify(t("forms.assignments.removed"));
      await queryClient.invalidateQueries({ queryKey: assignmentsQuery(form.id).queryKey });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Paper withBorder radius="md" p="sm" data-testid="assignment-row">
      <Stack gap={4}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="xs" wrap="wrap">
            <Text fw={600} dir="auto">
              {assignment.target.name}
            </Text>
            <SoftBadge color="blue" tt="none">
              {targetKindLabel(t, assignment.target)}
            </SoftBadge>
          </Group>
          <Text size="sm">{t("forms.assignments.answers", { n: assignment.answers })}</Text>
        </Group>
        <Text size="sm">{t("forms.assignments.by", { name: assignment.surveyor.name })}</Text>
        {assignment.note ? (
          <Text size="sm" c="dimmed" dir="auto">
            {assignment.note}
          </Text>
        ) : null}
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        <Group>
          <Button
            size="compact-sm"
            variant="subtle"
            color="red"
            c="#9b1c1c"
            loading={busy}
            onClick={() => void remove()}
            aria-label={t("forms.assignments.removeNamed", {
              target: assignment.target.name,
              name: assignment.surveyor.name,
            })}
          >
            {t("forms.assignments.remove")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
