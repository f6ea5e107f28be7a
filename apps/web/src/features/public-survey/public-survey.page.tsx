import "./public-survey.css";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Alert,
  Box,
  Button,
  Container,
  Group,
  Loader,
  Paper,
  Progress,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useParams, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { photoAnswers, type FormDefinition } from "@kaveret/forms";
import { nameIn } from "@kaveret/contracts";
import { ApiError } from "../../api/client.ts";
import { changeLocale, currentLocale, readStoredLocale } from "../../i18n/index.ts";
import { isUiLocale } from "../../i18n/locales.ts";
import { isolate } from "../../lib/format.ts";
import { readDefinition } from "../forms/form-definition.ts";
import { answerLocale, pickFormLanguage } from "../forms/form-languages.ts";
import { FormRunner, focusFirstProblem } from "../forms/form-runner.tsx";
import { newAnswerId, serverIssuesOf } from "../forms/runner-answers.ts";
import { useFormRunner } from "../forms/use-form-runner.ts";
import { PhotoRefused, photoIssue, uploadAnswerPhotos } from "../forms/form-photos.ts";
import { useMemoryPhotos } from "../forms/use-memory-photos.ts";
import {
  fetchPublicForm,
  sendPublicPhoto,
  sendPublicResponse,
  surveyErrorKey,
  type PublicForm,
  type PublicReceipt,
} from "./public-survey.api.ts";

/*
 * /s/$formId — a survey answered by link or QR code, without an account. Its own
 * minimal layout and query client (the staff app's sends people to sign-in on a 401);
 * it imports only the form runner and the engine, never the staff screens.
 */
export const publicSurveyQueryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5 * 60_000 },
    mutations: { retry: false },
  },
});

export function PublicSurveyPage() {
  return (
    <QueryClientProvider client={publicSurveyQueryClient}>
      <SurveyScreen />
    </QueryClientProvider>
  );
}

export const publicFormQueryKey = (formId: string) => ["public", "form", formId] as const;

function SurveyScreen() {
  const { t } = useTranslation();
  const params = useParams({ strict: false }) as { formId?: string };
  const formId = params.formId ?? "";
  const survey = useQuery({
    queryKey: publicFormQueryKey(formId),
    queryFn: ({ signal }) => fetchPublicForm(formId, signal),
    enabled: formId.length > 0,
  });
  const definition = useMemo(
    () => (survey.data ? readDefinition(survey.data.definition) : null),
    [survey.data],
  );
  const [receipt, setReceipt] = useState<PublicReceipt | null>(null);
  const [round, setRound] = useState(0);

  // The department's name in the page's language, else its Hebrew name.
  const departmentName = survey.data ? nameIn(survey.data.department, currentLocale()) : null;

  useEffect(() => {
    document.title =
      survey.data && departmentName
        ? `${isolate(survey.data.title)} · ${isolate(departmentName)}`
        : t("publicSurvey.title");
  }, [t, survey.data, departmentName]);

  const content = survey.isPending ? (
    <Group justify="center" py="xl" role="status">
      <Loader size="sm" aria-hidden />
      <Text>{t("publicSurvey.loading")}</Text>
    </Group>
  ) : survey.isError || !definition ? (
    <Alert color="red" role="alert" title={t("publicSurvey.unavailableTitle")}>
      <Stack gap="sm" align="flex-start">
        <Text size="sm">
          {t(surveyErrorKey(survey.error instanceof ApiError ? survey.error.code : "generic"))}
        </Text>
        {survey.error instanceof ApiError && survey.error.code === "network_error" ? (
          <Button size="md" variant="default" onClick={() => void survey.refetch()}>
            {t("publicSurvey.retry")}
          </Button>
        ) : null}
      </Stack>
    </Alert>
  ) : receipt ? (
    <Thanks
      onAnother={() => {
        setReceipt(null);
        setRound((r) => r + 1);
      }}
    />
  ) : (
    <SurveyForm
      key={round}
      formId={formId}
      survey={survey.data}
      definition={definition}
      onSent={setReceipt}
    />
  );

  return (
    <Box mih="100vh" bg="gray.0" className="kv-survey">
      <Box
        component="header"
        bg="white"
        py="sm"
        px="md"
        style={{ borderBottom: "1px solid var(--mantine-color-gray-3)" }}
      >
        <Container size={720} px={0}>
          <Text fw={700} size="lg" c="honey.9" data-testid="public-department-name">
            <bdi>{departmentName ?? t("publicSurvey.municipality")}</bdi>
          </Text>
        </Container>
      </Box>
      <Container component="main" id="main" size={720} py="lg" px={{ base: "xs", sm: "md" }}>
        <Paper withBorder radius="md" p={{ base: "md", sm: "xl" }}>
          <Stack gap="md">
            <Title order={1} size="h2" dir="auto">
              {survey.data?.title ?? t("publicSurvey.title")}
            </Title>
            {content}
          </Stack>
        </Paper>
      </Container>
      <Box component="footer" py="md" px="md">
        <Text size="sm" c="dimmed" ta="center">
          {t("publicSurvey.footer")}
        </Text>
      </Box>
    </Box>
  );
}

function SurveyForm({
  formId,
  survey,
  definition,
  onSent,
}: {
  formId: string;
  survey: PublicForm;
  definition: FormDefinition;
  onSent: (r: PublicReceipt) => void;
}) {
  const { t } = useTranslation();
  const search = useSearch({ strict: false }) as { lang?: string };
  const [initialLanguage] = useState(() =>
    pickFormLanguage(definition.settings, [
      search.lang,
      readStoredLocale(),
      ...(typeof navigator !== "undefined" ? (navigator.languages ?? []) : []),
    ]),
  );
  const runner = useFormRunner(definition, { language: initialLanguage });
  const photos = useMemoryPhotos();
  // Made once per answer set: a send retried after a lost connection is stored once.
  const [answerId] = useState(newAnswerId);
  const [website, setWebsite] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  // The page's own texts follow the form's language when the app speaks it.
  useEffect(() => {
    if (isUiLocale(initialLanguage) && initialLanguage !== currentLocale())
      void changeLocale(initialLanguage, false);
  }, [initialLanguage]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    runner.setSubmitted(true);
    if (!runner.state?.valid) {
      setError(t("publicSurvey.fix", { n: runner.state?.issues.length ?? 0 }));
      setTimeout(() => focusFirstProblem(rootRef.current), 0);
      return;
    }
    setProgress(0);
    try {
      const answers = runner.finalAnswers();
      const refs = photoAnswers(definition, answers);
      // Progress over everything sent: the photos first (the server takes an answer only
      // with every photo it names), then the answer.
      const sizes = new Map(refs.map((r) => [r.id, photos.blob(r.id)?.size ?? 0]));
      const total = [...sizes.values()].reduce((a, b) => a + b, 0) + 2048;
      let done = 0;
      await uploadAnswerPhotos(refs, photos.blob, async (id, blob) => {
        const size = sizes.get(id) ?? blob.size;
        await sendPublicPhoto(formId, id, blob, (f) => setProgress((done + f * size) / total));
        done += size;
      });
      const receipt = await sendPublicResponse(
        formId,
        {
          id: answerId,
          answers,
          language: answerLocale(runner.language, currentLocale()),
          website,
        },
        (f) => setProgress((done + f * 2048) / total),
      );
      onSent(receipt);
    } catch (err) {
      if (err instanceof PhotoRefused) {
        // The answers stay: only the photo needs changing.
        runner.setServerIssues([photoIssue(err)]);
        setError(t(surveyErrorKey(err.code)));
        setProgress(null);
        setTimeout(() => focusFirstProblem(rootRef.current), 0);
        return;
      }
      const code = err instanceof ApiError ? err.code : "generic";
      if (code === "form.answers_invalid" && err instanceof ApiError) {
        runner.setServerIssues(serverIssuesOf(err.details));
        setTimeout(() => focusFirstProblem(rootRef.current), 0);
      } else {
        setTimeout(() => errorRef.current?.focus(), 0);
      }
      setError(t(surveyErrorKey(code)));
      setProgress(null);
    }
  };

  const sending = progress !== null;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-busy={sending}>
      <Stack gap="lg">
        <Text size="sm" c="dimmed">
          {survey.anonymous ? t("publicSurvey.anonymous") : t("publicSurvey.identified")}
        </Text>
        {error ? (
          <Alert color="red" role="alert" ref={errorRef} tabIndex={-1} data-testid="survey-error">
            {error}
          </Alert>
        ) : null}
        <div ref={rootRef}>
          <FormRunner
            runner={runner}
            disabled={sending}
            photos={photos}
            onLanguageChange={(l) => {
              if (isUiLocale(l)) void changeLocale(l);
            }}
          />
        </div>

        {/* Honeypot: hidden from people and assistive technology; bots fill it in. */}
        <div className="kv-survey-honeypot" aria-hidden="true">
          {/* Not translated on purpose: no person sees it; bots look for such a label. */}
          <label>
            Website
            <input
              type="text"
              name="website"
              tabIndex={-1}
              autoComplete="off"
              value={website}
              onChange={(e) => setWebsite(e.currentTarget.value)}
            />
          </label>
        </div>

        <Stack gap="xs">
          {sending ? (
            <Stack gap={4} role="status" aria-live="polite">
              <Text size="sm">{t("publicSurvey.sending")}</Text>
              <Progress
                value={Math.round((progress ?? 0) * 100)}
                aria-label={t("publicSurvey.progress")}
                animated
              />
            </Stack>
          ) : null}
          <Button type="submit" size="lg" fullWidth loading={sending} data-testid="survey-submit">
            {t("publicSurvey.submit")}
          </Button>
          <Text size="xs" c="dimmed">
            {t("publicSurvey.privacy")}
          </Text>
        </Stack>
      </Stack>
    </form>
  );
}

function Thanks({ onAnother }: { onAnother: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <Stack gap="md" data-testid="survey-thanks">
      <Title order={2} size="h3" ref={ref} tabIndex={-1}>
        {t("publicSurvey.thanks.title")}
      </Title>
      <Text>{t("publicSurvey.thanks.text")}</Text>
      <Group>
        <Button size="md" variant="default" onClick={onAnother}>
          {t("publicSurvey.thanks.another")}
        </Button>
      </Group>
    </Stack>
  );
}
