import { useEffect, useMemo, useRef, useState } from "react";
import { Alert, Button, Group, Paper, Stack, Text } from "@mantine/core";
import { useParams, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { ZodError } from "zod";
import { photoAnswers, type FormDefinition } from "@kaveret/forms";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { targetKindLabel } from "../forms/assignment-labels.ts";
import { readDefinition } from "../forms/form-definition.ts";
import { answerLocale, pickFormLanguage } from "../forms/form-languages.ts";
import { FormRunner, focusFirstProblem } from "../forms/form-runner.tsx";
import { useFormRunner, type FormRunnerController } from "../forms/use-form-runner.ts";
import type { SyncEngine } from "./sync-engine.ts";
import type { FormRow, MetaDraft } from "./sync-db.ts";
import { newRecordId } from "./sync-ids.ts";
import { useSyncState } from "./sync-store.ts";
import { useLiveQuery, useSyncEngine } from "./use-sync-data.ts";
import { useDevicePhotos } from "./use-device-photos.ts";

/*
 * /field/forms/$id — door to door: a pulled form filled in on the device, offline too.
 * Each answer is a form.response command (its id made here, so a resend is stored once)
 * that waits in the outbox until the server has it. The answer being typed is kept on the
 * device as it changes, so a reload (offline too), a killed tab or a flat battery loses
 * nothing of it — its photos too, kept in the device's database with the answer and
 * uploaded before the answer when the device is online.
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
  const { assignment: assignmentId } = useSearch({ from: "/app/field/forms/$id" });
  const found = useLiveQuery(async () => {
    const assignment = assignmentId ? await engine.db.assignments.get(assignmentId) : undefined;
    return {
      form: (await engine.db.forms.get(id)) ?? null,
      // Only an assignment of this form names the answers.
      assignment: assignment?.formId === id ? assignment : null,
    };
  }, [engine, id, assignmentId]);
  const definition = useMemo(
    () => (found?.form ? readDefinition(found.form.definition) : null),
    [found],
  );
  // The answer started here before (read once: later saves are this page's own).
  const [draft, setDraft] = useState<{ id: string; value: MetaDraft | null } | null>(null);
  useEffect(() => {
    let alive = true;
    void engine
      .draft(id)
      .catch(() => null)
      .then((value) => {
        if (alive) setDraft({ id, value });
      });
    return () => {
      alive = false;
    };
  }, [engine, id]);
  if (!found || draft?.id !== id) return <PageLoader />;
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
      {found.assignment ? (
        <Text size="sm" mt={-8} data-testid="field-form-assignment">
          {t("sync.fieldForm.assignment", {
            target: found.assignment.target.name,
            kind: targetKindLabel(t, found.assignment.target),
          })}
        </Text>
      ) : null}
      {definition ? (
        <Entry
          engine={engine}
          form={found.form}
          definition={definition}
          draft={draft.value}
          assignmentId={found.assignment?.id}
        />
      ) : (
        <Alert color="red" role="alert">
          {t("sync.fieldForm.unreadable")}
        </Alert>
      )}
    </Stack>
  );
}

/** How long typing may pause before the answer so far is written to the device. */
const DRAFT_DELAY_MS = 300;

function Entry({
  engine,
  form,
  definition,
  draft,
  assignmentId,
}: {
  engine: SyncEngine;
  form: FormRow;
  definition: FormDefinition;
  draft: MetaDraft | null;
  /** The door-to-door assignment the answers are taken on, if any. */
  assignmentId: string | undefined;
}) {
  const { t } = useTranslation();
  const { online } = useSyncState();
  const runner = useFormRunner(definition, {
    language: draft?.language ?? pickFormLanguage(definition.settings, [currentLocale()]),
    initialAnswers: draft?.answers,
  });
  // One id per answer set, made here (or kept with the draft): the server stores it once
  // however often it is sent.
  const [answerId, setAnswerId] = useState(() => draft?.answerId ?? newRecordId());
  const photos = useDevicePhotos(engine, form.id, answerId);
  const [restored, setRestored] = useState(draft !== null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [count, setCount] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);

  // The answer so far goes to the device once the person has changed something.
  const [edited, setEdited] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancelDraftSave = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  const { answers, language } = runner;
  useEffect(() => {
    if (!edited) return;
    cancelDraftSave();
    timer.current = setTimeout(() => {
      timer.current = null;
      void engine
        .saveDraft({ formId: form.id, answerId, answers, language })
        .catch(() => undefined);
    }, DRAFT_DELAY_MS);
  }, [edited, engine, form.id, answerId, answers, language]);
  // Leaving the page (or the tab going to the background) writes what waits at once.
  const latest = useRef({ edited, answers, language, answerId });
  useEffect(() => {
    latest.current = { edited, answers, language, answerId };
  });
  useEffect(() => {
    const flush = () => {
      if (!timer.current) return;
      cancelDraftSave();
      const l = latest.current;
      if (l.edited) {
        void engine
          .saveDraft({
            formId: form.id,
            answerId: l.answerId,
            answers: l.answers,
            language: l.language,
          })
          .catch(() => undefined);
      }
    };
    document.addEventListener("visibilitychange", flush);
    window.addEventListener("pagehide", flush);
    return () => {
      document.removeEventListener("visibilitychange", flush);
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [engine, form.id]);

  const changed = () => setEdited(true);
  const tracked: FormRunnerController = {
    ...runner,
    setValue: (path, value) => {
      runner.setValue(path, value);
      changed();
    },
    addInstance: (path) => {
      runner.addInstance(path);
      changed();
    },
    removeInstance: (path, index) => {
      runner.removeInstance(path, index);
      changed();
    },
    setLanguage: (l) => {
      runner.setLanguage(l);
      changed();
    },
  };

  const startOver = () => {
    cancelDraftSave();
    setEdited(false);
    setRestored(false);
    photos.dropAll();
    runner.reset();
    void engine.clearDraft(form.id).catch(() => undefined);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setRestored(false);
    runner.setSubmitted(true);
    if (!runner.state?.valid) {
      setError(t("sync.fieldForm.fix", { n: runner.state?.issues.length ?? 0 }));
      setTimeout(() => focusFirstProblem(rootRef.current), 0);
      return;
    }
    const answers = runner.finalAnswers();
    // A photo the device no longer holds (storage cleared) would be refused with the answer.
    const lost = photoAnswers(definition, answers).filter((r) => !photos.held().has(r.id));
    if (lost.length) {
      runner.setServerIssues(
        lost.map((r) => ({ path: r.path, code: "photo_missing", message: "" })),
      );
      setError(t("sync.fieldForm.photoMissing"));
      setTimeout(() => focusFirstProblem(rootRef.current), 0);
      return;
    }
    setSaving(true);
    cancelDraftSave();
    try {
      await engine.enqueue(
        {
          name: "form.response",
          args: {
            formId: form.id,
            id: answerId,
            channel: "door_to_door",
            answers,
            language: answerLocale(runner.language, currentLocale()),
            communityId: null,
            residentId: null,
            ...(assignmentId ? { assignmentId } : {}),
          },
        },
        { clearDraft: form.id },
      );
      setCount((c) => c + 1);
      notify(t(online ? "sync.fieldForm.savedOnline" : "sync.fieldForm.savedOffline"));
      setEdited(false);
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
        {restored ? (
          <Alert color="blue" role="status" data-testid="field-form-restored">
            {t("sync.fieldForm.restored")}
          </Alert>
        ) : null}
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Paper withBorder radius="md" p={{ base: "sm", sm: "lg" }} ref={rootRef}>
          <FormRunner runner={tracked} disabled={saving} photos={photos} />
        </Paper>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={startOver} disabled={saving}>
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
