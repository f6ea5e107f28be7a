import { useMemo, useRef, useState } from "react";
import {
  Alert,
  Breadcrumbs,
  Button,
  Group,
  NativeSelect,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Form } from "@kaveret/contracts";
import { photoAnswers, type FormDefinition } from "@kaveret/forms";
import { ApiError } from "../../api/client.ts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { canSeeCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { readDefinition } from "./form-definition.ts";
import { answerLocale, pickFormLanguage } from "./form-languages.ts";
import { FormRunner, focusFirstProblem } from "./form-runner.tsx";
import { createResponse, formQuery, uploadFormPhoto } from "./forms.api.ts";
import { PhotoRefused, photoIssue, uploadAnswerPhotos } from "./form-photos.ts";
import { useMemoryPhotos } from "./use-memory-photos.ts";
import { newAnswerId, serverIssuesOf } from "./runner-answers.ts";
import { useFormRunner } from "./use-form-runner.ts";

const CHANNELS = ["paper", "face_to_face"] as const;
type Channel = (typeof CHANNELS)[number];

/** /forms/$id/enter — staff typing in answers given on paper or face to face, one after another. */
export function FormEntryPage() {
  const { id } = useParams({ from: "/app/forms/$id/enter" });
  const form = useQuery(formQuery(id));
  if (form.isPending) return <PageLoader />;
  if (form.isError) return <ErrorState error={form.error} onRetry={() => void form.refetch()} />;
  return <Entry form={form.data} />;
}

function Entry({ form }: { form: Form }) {
  const { t } = useTranslation();
  const definition = useMemo(() => readDefinition(form.definition), [form.definition]);
  const title = t("forms.entry.title", { title: form.title });
  return (
    <Stack gap="md">
      <Breadcrumbs separator="›" aria-label={t("forms.page.breadcrumb")} component="nav">
        <AnchorLink to="/forms">{t("forms.list.title")}</AnchorLink>
        <AnchorLink to="/forms/$id" params={{ id: form.id }} search={{ tab: "distribution" }}>
          <bdi>{form.title}</bdi>
        </AnchorLink>
        <Text span aria-current="page">
          {t("forms.entry.crumb")}
        </Text>
      </Breadcrumbs>
      <PageTitle>{title}</PageTitle>
      {form.status !== "open" ? (
        <Alert color="yellow" role="status" title={t("forms.entry.notOpenTitle")}>
          <Stack gap="sm" align="flex-start">
            <Text size="sm">{t("forms.entry.notOpen")}</Text>
            <ButtonLink
              to="/forms/$id"
              params={{ id: form.id }}
              search={{ tab: "distribution" }}
              variant="light"
            >
              {t("forms.entry.toDistribution")}
            </ButtonLink>
          </Stack>
        </Alert>
      ) : definition ? (
        <EntryForm form={form} definition={definition} />
      ) : (
        <Alert color="red" role="alert">
          {t("forms.builder.unreadable")}
        </Alert>
      )}
    </Stack>
  );
}

function EntryForm({ form, definition }: { form: Form; definition: FormDefinition }) {
  const { t } = useTranslation();
  const { roles } = useSession();
  const queryClient = useQueryClient();
  const communities = useQuery({ ...parentOptionsQuery, enabled: canSeeCommunities(roles) });
  const runner = useFormRunner(definition, {
    language: pickFormLanguage(definition.settings, [currentLocale()]),
  });
  const photos = useMemoryPhotos();
  const [channel, setChannel] = useState<Channel>("paper");
  const [communityId, setCommunityId] = useState(form.community?.id ?? "");
  // One id per answer set: a retried send after a lost connection is stored once.
  const [answerId, setAnswerId] = useState(newAnswerId);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [count, setCount] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    runner.setSubmitted(true);
    if (!runner.state?.valid) {
      setError(t("forms.entry.fix", { n: runner.state?.issues.length ?? 0 }));
      // After the problems render.
      setTimeout(() => focusFirstProblem(rootRef.current), 0);
      return;
    }
    setSending(true);
    try {
      const answers = runner.finalAnswers();
      // The photos first: the server takes an answer only with every photo it names.
      await uploadAnswerPhotos(photoAnswers(definition, answers), photos.blob, (id, blob) =>
        uploadFormPhoto(form.id, id, blob),
      );
      await createResponse(form.id, {
        id: answerId,
        channel,
        answers,
        language: answerLocale(runner.language, currentLocale()),
        communityId: communityId || null,
      });
      setCount((c) => c + 1);
      notify(t("forms.entry.saved"));
      void queryClient.invalidateQueries({ queryKey: ["forms"] });
      runner.reset();
      photos.clear();
      setAnswerId(newAnswerId());
      window.scrollTo({ top: 0, behavior: "smooth" });
    } catch (err) {
      if (err instanceof PhotoRefused) {
        // The answers stay as they are: only the photo needs changing.
        runner.setServerIssues([photoIssue(err)]);
        setError(t(`errors.${err.code}`));
        setTimeout(() => focusFirstProblem(rootRef.current), 0);
        return;
      }
      if (err instanceof ApiError && err.code === "form.answers_invalid") {
        runner.setServerIssues(serverIssuesOf(err.details));
        setTimeout(() => focusFirstProblem(rootRef.current), 0);
      }
      setError(errorMessage(t, err));
      setTimeout(() => errorRef.current?.focus(), 0);
    } finally {
      setSending(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-busy={sending}>
      <Stack gap="md">
        <Paper withBorder radius="md" p="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Radio.Group
              label={t("forms.entry.channel")}
              value={channel}
              onChange={(v) => setChannel(CHANNELS.find((c) => c === v) ?? "paper")}
            >
              <Group gap="md" mt={6}>
                {CHANNELS.map((c) => (
                  <Radio
                    key={c}
                    value={c}
                    label={t(`forms.channel.${c}`)}
                    data-testid={`channel-${c}`}
                  />
                ))}
              </Group>
            </Radio.Group>
            {communities.isSuccess ? (
              <NativeSelect
                label={t("forms.entry.community")}
                value={communityId}
                onChange={(e) => setCommunityId(e.currentTarget.value)}
                data={[
                  { value: "", label: t("forms.entry.noCommunity") },
                  ...communities.data.items.map((c) => ({
                    value: c.id,
                    label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
                  })),
                ]}
              />
            ) : null}
          </SimpleGrid>
          {count > 0 ? (
            <Text size="sm" mt="sm" role="status" data-testid="entry-count">
              {t("forms.entry.count", { n: count })}
            </Text>
          ) : null}
        </Paper>

        {error ? (
          <Alert color="red" role="alert" ref={errorRef} tabIndex={-1} data-testid="entry-error">
            {error}
          </Alert>
        ) : null}

        <Paper withBorder radius="md" p={{ base: "sm", sm: "lg" }} ref={rootRef}>
          <FormRunner runner={runner} disabled={sending} photos={photos} />
        </Paper>

        <Group justify="flex-end" gap="xs">
          <Button
            variant="default"
            onClick={() => {
              runner.reset();
              photos.clear();
            }}
            disabled={sending}
          >
            {t("forms.entry.clear")}
          </Button>
          <Button type="submit" loading={sending} data-testid="entry-submit">
            {t("forms.entry.submit")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
