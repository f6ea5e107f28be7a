import { useState } from "react";
import {
  Alert,
  Anchor,
  Button,
  CopyButton,
  Group,
  List,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Form, FormStatus } from "@kaveret/contracts";
import { ApiError } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { ButtonLink } from "../../components/links.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { FormStatusBadge } from "./form-badges.tsx";
import { FormQrCard } from "./form-qr-card.tsx";
import { AssignmentsPanel } from "./assignments-panel.tsx";
import { useSession } from "../shell/session.tsx";
import { errorCount, problemText, problemsOfDetails, type ProblemLike } from "./form-problems.ts";
import { downloadXlsform, formQuery, updateForm } from "./forms.api.ts";

/*
 * Getting answers: publish (draft → open), close and reopen; the public link to copy and
 * its QR code to download or print; door-to-door assignments of streets and buildings to
 * surveyors (managers); typing in paper answers; the XLSForm file for ODK/Kobo.
 */

export function DistributionPanel({ form, dirty }: { form: Form; dirty: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [refused, setRefused] = useState<ProblemLike[]>([]);
  const [confirmClose, setConfirmClose] = useState(false);
  const errors = errorCount(form.problems);
  const canOpen = form.questionCount > 0 && errors === 0;
  // Door-to-door assignments are the manager's (the server says so too).
  const canAssign = useSession().roles.includes("manager");

  const move = async (status: FormStatus) => {
    setBusy(true);
    setError(null);
    setRefused([]);
    try {
      const saved = await updateForm(form.id, { version: form.version, status });
      queryClient.setQueryData(formQuery(form.id).queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: ["forms", "list"] });
      notify(t(`forms.distribution.moved.${status}`));
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === "form.invalid_definition")
        setRefused(problemsOfDetails(err.details));
      if (err instanceof ApiError && err.code === "version_conflict")
        void queryClient.invalidateQueries({ queryKey: formQuery(form.id).queryKey });
    } finally {
      setBusy(false);
      setConfirmClose(false);
    }
  };

  return (
    <Stack gap="md">
      <Section title={t("forms.distribution.statusTitle")} id="dist-status">
        <Group gap="sm">
          <FormStatusBadge status={form.status} size="lg" />
          <Text size="sm">{t(`forms.distribution.statusText.${form.status}`)}</Text>
        </Group>
        {dirty ? (
          <Alert color="yellow" data-testid="dist-unsaved">
            {t("forms.distribution.unsaved")}
          </Alert>
        ) : null}
        {error ? (
          <Alert color="red" role="alert" data-testid="dist-error">
            <Stack gap="xs">
              <Text size="sm">{errorMessage(t, error)}</Text>
              {refused.length > 0 ? (
                <List size="sm">
                  {refused.map((p, i) => (
                    <List.Item key={i}>
                      {p.name ? `${p.name}: ` : ""}
                      {problemText(t, p)}
                    </List.Item>
                  ))}
                </List>
              ) : null}
            </Stack>
          </Alert>
        ) : null}
        {form.permissions.edit ? (
          <Group gap="xs">
            {form.status === "draft" ? (
              <Button
                onClick={() => void move("open")}
                loading={busy}
                disabled={!canOpen}
                data-testid="form-publish"
              >
                {t("forms.distribution.publish")}
              </Button>
            ) : null}
            {form.status === "open" ? (
              <Button
                color="orange"
                variant="light"
                c="#8a3a00"
                onClick={() => setConfirmClose(true)}
                loading={busy}
                data-testid="form-close"
              >
                {t("forms.distribution.close")}
              </Button>
            ) : null}
            {form.status === "closed" ? (
              <Button
                onClick={() => void move("open")}
                loading={busy}
                disabled={!canOpen}
                data-testid="form-reopen"
              >
                {t("forms.distribution.reopen")}
              </Button>
            ) : null}
          </Group>
        ) : null}
        {form.permissions.edit && form.status !== "open" && !canOpen ? (
          <Text size="sm" c="dimmed">
            {form.questionCount === 0
              ? t("forms.distribution.needsQuestions")
              : t("forms.distribution.needsFixes", { n: errors })}
          </Text>
        ) : null}
      </Section>

      <Section title={t("forms.distribution.linkTitle")} id="dist-link">
        {form.publicUrl ? (
          <Stack gap="xs">
            <Text size="sm">{t("forms.distribution.linkText")}</Text>
            <Group gap="xs" align="flex-end" wrap="wrap">
              <TextInput
                style={{ flex: 1, minWidth: 220 }}
                label={t("forms.distribution.link")}
                value={form.publicUrl}
                readOnly
                dir="ltr"
                onFocus={(e) => e.currentTarget.select()}
                data-testid="public-link"
              />
              <CopyButton value={form.publicUrl}>
                {({ copied, copy }) => (
                  <Button
                    variant={copied ? "filled" : "light"}
                    onClick={copy}
                    data-testid="copy-link"
                  >
                    {copied ? t("app.copied") : t("forms.distribution.copy")}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Anchor href={form.publicUrl} target="_blank" rel="noopener" size="sm">
              {t("forms.distribution.openLink")}
            </Anchor>
            <FormQrCard url={form.publicUrl} title={form.title} />
          </Stack>
        ) : (
          <Text size="sm">{t("forms.distribution.noLink")}</Text>
        )}
      </Section>

      {canAssign ? <AssignmentsPanel form={form} /> : null}

      <Section title={t("forms.distribution.paperTitle")} id="dist-paper">
        <Text size="sm">{t("forms.distribution.paperText")}</Text>
        <Group>
          {form.status === "open" ? (
            <ButtonLink
              to="/forms/$id/enter"
              params={{ id: form.id }}
              variant="light"
              data-testid="enter-answers"
            >
              {t("forms.distribution.enter")}
            </ButtonLink>
          ) : (
            <Text size="sm" c="dimmed">
              {t("forms.distribution.enterWhenOpen")}
            </Text>
          )}
        </Group>
      </Section>

      <Section title={t("forms.distribution.xlsformTitle")} id="dist-xlsform">
        <Text size="sm">{t("forms.distribution.xlsformText")}</Text>
        <XlsformDownload form={form} />
      </Section>

      <AppModal
        opened={confirmClose}
        onClose={() => setConfirmClose(false)}
        title={t("forms.distribution.closeTitle")}
      >
        <Stack gap="md">
          <Text>{t("forms.distribution.closeText")}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirmClose(false)}>
              {t("app.cancel")}
            </Button>
            <Button
              color="orange"
              loading={busy}
              onClick={() => void move("closed")}
              data-testid="confirm-close"
            >
              {t("forms.distribution.close")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}

function XlsformDownload({ form }: { form: Form }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Stack gap="xs" align="flex-start">
      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
      <Button
        variant="default"
        loading={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          downloadXlsform(form.id, form.title)
            .catch(setError)
            .finally(() => setBusy(false));
        }}
        data-testid="download-xlsform"
      >
        {t("forms.distribution.downloadXlsform")}
      </Button>
    </Stack>
  );
}

function Section({
  title,
  id,
  children,
}: {
  title: string;
  id: string;
  children: React.ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}
