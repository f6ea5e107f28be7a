import { useMemo, useRef, useState } from "react";
import { Alert, Button, Group, Paper, Stack, Text } from "@mantine/core";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { ZodError } from "zod";
import type { FormDefinition } from "@kaveret/forms";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { readDefinition } from "../forms/form-definition.ts";
import { answerLocale, pickFormLanguage } from "../forms/form-languages.ts";
import { FormRunner, focusFirstProblem } from "../forms/form-runner.tsx";
import { useFormRunner } from "../forms/use-form-runner.ts";
import type { SyncEngine } from "./sync-engine.ts";
import type { FormRow } from "./sync-db.ts";
import { newRecordId } from "./sync-ids.ts";
import { useSyncState } from "./sync-store.ts";
import { useLiveQuery, useSyncEngine } from "./use-sync-data.ts";

/*
 * /field/forms/$id — door to door: a pulled form filled in on the device, offline too.
 * Each answer is a form.response command (its id made here, so a resend is stored once)
 * that waits in the outbox until the server has it.
 */

export function FieldFormPage() {
  const { t } = useTranslation();
  // Not strict: the page only needs the id, whichever route mounts it.
  const { id } = useParams({ strict: false });
  const state = useSyncEngine();
  if (state.status === "loading") return <PageLoader />;
  if (state.status === "off" || !id) {
    return (
      <Alert color="yellow" role="status">
        {t("sync.field.off")}
      </Alert>
    );
  }
  return <FieldForm engine={state.engine} id={id} />;
}

function FieldForm({ engine, id }: { engine: SyncEngine; id: string }) {
  const { t } = useTranslation();
  const found = useLiveQuery(
    async () => ({ form: (await engine.db.forms.get(id)) ?? null }),
    [engine, id],
  );
  const definition = useMemo(
    () => (found?.form ? readDefinition(found.form.definition) : null),
    [found],
  );
  if (!found) return <PageLoader />;
  const back = (
    <ButtonLink to="/field" variant="default">
      {t("sync.fieldForm.back")}
    </ButtonLink>
  );
  if (!found.form || found.form.status !== "open") {
    return (
      <Stack gap="md">
        <PageTitle>{t("sync.fieldForm.missingTitle")}</PageTitle>
        <Alert color="yellow" role="status">
          {t("sync.fieldForm.missing")}
        </Alert>
        <Group>{back}</Group>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      <PageTitle actions={back}>{found.form.title}</PageTitle>
      {definition ? (
        <Entry engine={engine} form={found.form} definition={definition} />
      ) : (
        <Alert color="red" role="alert">
          {t("sync.fieldForm.unreadable")}
        </Alert>
      )}
    </Stack>
  );
}

function Entry({
  engine,
  form,
  definition,
}: {
  engine: SyncEngine;
  form: FormRow;
  definition: FormDefinition;
}) {
  const { t } = useTranslation();
  const { online } = useSyncState();
  const runner = useFormRunner(definition, {
    language: pickFormLanguage(definition.settings, [currentLocale()]),
  });
  // One id per answer set, made here: the server stores it once however often it is sent.
  const [answerId, setAnswerId] = useState(newRecordId);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [count, setCount] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    runner.setSubmitted(true);
    if (!runner.state?.valid) {
      setError(t("sync.fieldForm.fix", { n: runner.state?.issues.length ?? 0 }));
      setTimeout(() => focusFirstProblem(rootRef.current), 0);
      return;
    }
    setSaving(true);
    try {
      await engine.enqueue({
        name: "form.response",
        args: {
          formId: form.id,
          id: answerId,
          channel: "door_to_door",
          answers: runner.finalAnswers(),
          language: answerLocale(runner.language, currentLocale()),
          communityId: null,
          residentId: null,
        },
      });
      setCount((c) => c + 1);
      notify(t(online ? "sync.fieldForm.savedOnline" : "sync.fieldForm.savedOffline"));
      runner.reset();
      setAnswerId(newRecordId());
      window.scrollTo({ top: 0, behavior: "smooth" });
    } catch (err) {
      setError(err instanceof ZodError ? t("sync.fieldForm.invalid") : errorMessage(t, err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-busy={saving}>
      <Stack gap="md">
        {count > 0 ? (
          <Text size="sm" role="status" data-testid="field-form-count">
            {t("sync.fieldForm.count", { n: count })}
          </Text>
        ) : null}
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Paper withBorder radius="md" p={{ base: "sm", sm: "lg" }} ref={rootRef}>
          <FormRunner runner={runner} disabled={saving} />
        </Paper>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={runner.reset} disabled={saving}>
            {t("sync.fieldForm.clear")}
          </Button>
          <Button type="submit" loading={saving} data-testid="field-form-submit">
            {t("sync.fieldForm.submit")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
