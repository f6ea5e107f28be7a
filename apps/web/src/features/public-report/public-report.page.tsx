import "./public-report.css";
import { useEffect, useId, useRef, useState } from "react";
import {
  Alert,
  Anchor,
  Box,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  Progress,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { nameIn } from "@kaveret/contracts";
import { useParams, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { ApiError, issuesOf } from "../../api/client.ts";
import { CategoryIcon } from "../needs/need-icons.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { isolate } from "../../lib/format.ts";
import { embedderOrigin, heightMessage } from "./embed-height.ts";
import { LanguageButtons, PublicPageFrame, useInitialLanguage } from "./public-page.tsx";
import { addPhotos, PUBLIC_MAX_PHOTOS, type PhotoProblem } from "./photo-files.ts";
import {
  fetchPublicCategories,
  sendReport,
  type PublicCategories,
  type PublicReceipt,
} from "./public-report.api.ts";
import {
  DESCRIPTION_MAX,
  emptyReport,
  errorKey,
  reportBody,
  reportProblems,
  serverProblems,
  type ReportProblems,
  type ReportValues,
} from "./report-form.ts";
import { ReportLocation } from "./report-location.tsx";
import { ReportPhotos } from "./report-photos.tsx";

/*
 * The page residents open without an account. It has its own query client: the staff
 * app's one sends people to sign-in on a 401, which must never happen here (the map's
 * optional layers, for one, answer 401 to someone not signed in).
 */
export const publicReportQueryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5 * 60_000 },
    mutations: { retry: false },
  },
});

/** /report/$departmentId — the full page. */
export function PublicReportPage() {
  return (
    <QueryClientProvider client={publicReportQueryClient}>
      <ReportScreen embed={false} />
    </QueryClientProvider>
  );
}

/** /embed/report/$departmentId — the same form, compact, for an iframe on the municipality's site. */
export function EmbedReportPage() {
  return (
    <QueryClientProvider client={publicReportQueryClient}>
      <ReportScreen embed />
    </QueryClientProvider>
  );
}

/**
 * Tells the embedding page how tall the form is, so its iframe can fit it — only a site
 * the department allows (embed-height.ts). The main element is measured, not the document:
 * the document is never shorter than the iframe, so it could grow but never shrink.
 */
function useReportHeight(embed: boolean, allowed: readonly string[] | undefined) {
  const search = useSearch({ strict: false }) as { parent?: string };
  const origin =
    embed && allowed && typeof document !== "undefined"
      ? embedderOrigin(search.parent, document.referrer, allowed)
      : null;
  useEffect(() => {
    const main = document.getElementById("main");
    if (!origin || !main || window.parent === window) return;
    let last = -1;
    const send = () => {
      const height = main.getBoundingClientRect().height;
      if (Math.ceil(height) === last) return;
      last = Math.ceil(height);
      window.parent.postMessage(heightMessage(height), origin);
    };
    const observer = new ResizeObserver(send);
    observer.observe(main);
    send();
    return () => observer.disconnect();
  }, [origin]);
}

function ReportScreen({ embed }: { embed: boolean }) {
  const { t } = useTranslation();
  const params = useParams({ strict: false }) as { departmentId?: string };
  const departmentId = params.departmentId ?? "";
  useInitialLanguage();
  const categories = useQuery({
    queryKey: ["public", "need-categories", departmentId] as const,
    queryFn: ({ signal }) => fetchPublicCategories(departmentId, signal),
    enabled: departmentId.length > 0,
  });
  useReportHeight(embed, categories.data?.embedOrigins);
  const [receipt, setReceipt] = useState<PublicReceipt | null>(null);
  const [formKey, setFormKey] = useState(0);

  // The department's name in the page's language, else its Hebrew name.
  const locale = currentLocale();
  const departmentName = categories.data ? nameIn(categories.data.department, locale) : null;

  useEffect(() => {
    document.title = departmentName
      ? `${t("publicReport.title")} · ${isolate(departmentName)}`
      : t("publicReport.title");
  }, [t, departmentName]);

  const content = categories.isPending ? (
    <Group justify="center" py="xl" role="status">
      <Loader size="sm" aria-hidden />
      <Text>{t("publicReport.loading")}</Text>
    </Group>
  ) : categories.isError ? (
    <Alert color="red" role="alert" title={t("publicReport.unavailableTitle")}>
      <Stack gap="sm" align="flex-start">
        <Text size="sm">
          {t(errorKey(categories.error instanceof ApiError ? categories.error.code : "generic"))}
        </Text>
        <Button size="md" variant="default" onClick={() => void categories.refetch()}>
          {t("publicReport.retry")}
        </Button>
      </Stack>
    </Alert>
  ) : receipt ? (
    <Receipt
      receipt={receipt}
      onAnother={() => {
        setReceipt(null);
        setFormKey((k) => k + 1);
      }}
    />
  ) : (
    <ReportForm
      key={formKey}
      departmentId={departmentId}
      data={categories.data}
      compact={embed}
      onSent={setReceipt}
    />
  );

  if (embed) {
    return (
      <Box component="main" id="main" p="sm">
        <Stack gap="sm">
          <Group justify="space-between" align="center" gap="xs">
            <Title order={1} size="h3">
              {t("publicReport.title")}
            </Title>
            <LanguageButtons
              label={t("publicReport.language")}
              testIdPrefix="report-lang"
              className="kv-report-langs"
            />
          </Group>
          {content}
        </Stack>
      </Box>
    );
  }

  return (
    <PublicPageFrame
      departmentName={departmentName ?? t("publicReport.municipality")}
      languages={
        <LanguageButtons
          label={t("publicReport.language")}
          testIdPrefix="report-lang"
          compact={false}
          className="kv-report-langs"
        />
      }
      footer={
        <>
          <Text size="sm" ta="center" mb="xs">
            <Anchor
              href={`/alerts/${encodeURIComponent(departmentId)}`}
              data-testid="report-alerts-link"
            >
              {t("areaAlerts.reportLink")}
            </Anchor>
          </Text>
          <Text size="sm" c="dimmed" ta="center">
            {t("publicReport.footer")}
          </Text>
        </>
      }
    >
      <Title order={1} size="h2">
        {t("publicReport.title")}
      </Title>
      {content}
    </PublicPageFrame>
  );
}

function Section({
  title,
  hint,
  children,
  optional = false,
}: {
  title: string;
  hint?: string;
  children: React.ReactNode;
  optional?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Box component="section" aria-labelledby={id}>
      <Stack gap="xs">
        <Title order={2} size="h4" id={id}>
          {title}
          {optional ? (
            <Text span size="sm" fw={400} c="dimmed">
              {" "}
              {t("publicReport.optional")}
            </Text>
          ) : null}
        </Title>
        {hint ? <Text size="sm">{hint}</Text> : null}
        {children}
      </Stack>
    </Box>
  );
}

function ReportForm({
  departmentId,
  data,
  compact,
  onSent,
}: {
  departmentId: string;
  data: PublicCategories;
  compact: boolean;
  onSent: (r: PublicReceipt) => void;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const [values, setValues] = useState<ReportValues>(emptyReport);
  const [photos, setPhotos] = useState<File[]>([]);
  const [rejected, setRejected] = useState<{ name: string; problem: PhotoProblem }[]>([]);
  const [problems, setProblems] = useState<ReportProblems>({});
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  // When the form was shown: a report sent within seconds is a spam signal on the server.
  const [startedAt] = useState(() => Date.now());
  const formRef = useRef<HTMLFormElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const groupId = useId();

  const set = <K extends keyof ReportValues>(key: K, value: ReportValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  useEffect(() => {
    if (error) errorRef.current?.focus();
    else if (Object.keys(problems).length > 0) {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  }, [problems, error]);

  const label = (c: PublicCategories["categories"][number]) =>
    c.labels[locale]?.trim() || c.labels.he || c.code;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const found = reportProblems(values);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setProgress(0);
    try {
      const receipt = await sendReport(
        departmentId,
        reportBody(values, locale, startedAt),
        photos,
        setProgress,
      );
      onSent(receipt);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : "generic";
      if (code === "validation_failed") setProblems(serverProblems(issuesOf(err)));
      setError(t(errorKey(code)));
      setProgress(null);
    }
  };

  const sending = progress !== null;
  const msg = (key: string | undefined) =>
    key ? t(key, { min: 5, max: DESCRIPTION_MAX }) : undefined;

  return (
    <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate aria-busy={sending}>
      <Stack gap={compact ? "md" : "lg"}>
        <Text>{t("publicReport.intro")}</Text>
        <Alert color="red" variant="outline" title={t("publicReport.emergencyTitle")}>
          <Text size="sm">{t("publicReport.emergency")}</Text>
        </Alert>

        {error ? (
          <Alert color="red" role="alert" ref={errorRef} tabIndex={-1} data-testid="report-error">
            {error}
          </Alert>
        ) : null}

        <Section title={t("publicReport.category.title")} hint={t("publicReport.category.hint")}>
          <fieldset className="kv-report-choices">
            <legend id={groupId} className="visually-hidden">
              {t("publicReport.category.title")}
            </legend>
            {data.categories.map((c) => (
              <label
                key={c.code}
                className="kv-report-choice"
                data-testid={`report-category-${c.code}`}
              >
                <input
                  type="radio"
                  name="category"
                  value={c.code}
                  checked={values.category === c.code}
                  onChange={() => set("category", c.code)}
                />
                <CategoryIcon code={c.code} size={30} />
                <span>{label(c)}</span>
              </label>
            ))}
            <label className="kv-report-choice" data-testid="report-category-other">
              <input
                type="radio"
                name="category"
                value=""
                checked={values.category === null}
                onChange={() => set("category", null)}
              />
              <CategoryIcon code={null} size={30} />
              <span>{t("publicReport.category.other")}</span>
            </label>
          </fieldset>
        </Section>

        <Section title={t("publicReport.description.title")}>
          <Textarea
            size="md"
            label={t("publicReport.description.label")}
            description={t("publicReport.description.hint")}
            required
            autosize
            minRows={4}
            maxLength={DESCRIPTION_MAX}
            value={values.description}
            error={msg(problems.description)}
            onChange={(e) => set("description", e.currentTarget.value)}
            data-testid="report-description"
          />
        </Section>

        <Section title={t("publicReport.photos.title")} optional>
          <ReportPhotos
            photos={photos}
            rejected={rejected}
            onAdd={(files) => {
              const r = addPhotos(photos, files, PUBLIC_MAX_PHOTOS);
              setPhotos(r.accepted);
              setRejected(r.rejected.map((x) => ({ name: x.file.name, problem: x.problem })));
            }}
            onRemove={(i) => {
              setPhotos((list) => list.filter((_, k) => k !== i));
              setRejected([]);
            }}
          />
        </Section>

        <Section
          title={t("publicReport.location.title")}
          hint={t("publicReport.location.hint")}
          optional
        >
          <ReportLocation
            departmentId={departmentId}
            value={values.location}
            onChange={(p) => set("location", p)}
            address={values.addressText}
            onAddressChange={(v) => set("addressText", v)}
            addressError={msg(problems.addressText)}
          />
        </Section>

        <Section
          title={t("publicReport.contact.title")}
          hint={t("publicReport.contact.hint")}
          optional
        >
          <Stack gap="sm">
            <TextInput
              size="md"
              label={t("publicReport.contact.name")}
              autoComplete="name"
              maxLength={80}
              value={values.contactName}
              error={msg(problems.contactName)}
              onChange={(e) => set("contactName", e.currentTarget.value)}
            />
            <TextInput
              size="md"
              type="tel"
              inputMode="tel"
              dir="ltr"
              label={t("publicReport.contact.phone")}
              description={t("publicReport.contact.phoneHint")}
              autoComplete="tel"
              maxLength={30}
              value={values.contactPhone}
              error={msg(problems.contactPhone)}
              onChange={(e) => set("contactPhone", e.currentTarget.value)}
            />
            <TextInput
              size="md"
              type="email"
              dir="ltr"
              label={t("publicReport.contact.email")}
              autoComplete="email"
              maxLength={200}
              value={values.contactEmail}
              error={msg(problems.contactEmail)}
              onChange={(e) => set("contactEmail", e.currentTarget.value)}
            />
            <Checkbox
              size="md"
              label={t("publicReport.contact.consent")}
              description={t("publicReport.contact.consentHint")}
              checked={values.contactConsent}
              error={msg(problems.contactConsent)}
              onChange={(e) => set("contactConsent", e.currentTarget.checked)}
              data-testid="report-consent"
            />
          </Stack>
        </Section>

        {/* Honeypot: hidden from people and assistive technology; bots fill it in. */}
        <div className="kv-honeypot" aria-hidden="true">
          {/* Not translated on purpose: no person sees it; bots look for such a label. */}
          <label>
            Website
            <input
              type="text"
              name="website"
              tabIndex={-1}
              autoComplete="off"
              value={values.website}
              onChange={(e) => set("website", e.currentTarget.value)}
            />
          </label>
        </div>

        <Stack gap="xs">
          {sending ? (
            <Stack gap={4} role="status" aria-live="polite">
              <Text size="sm">
                {photos.length > 0
                  ? t("publicReport.sendingPercent", { percent: Math.round((progress ?? 0) * 100) })
                  : t("publicReport.sending")}
              </Text>
              <Progress
                value={Math.round((progress ?? 0) * 100)}
                aria-label={t("publicReport.progress")}
                animated
              />
            </Stack>
          ) : null}
          <Button type="submit" size="lg" fullWidth loading={sending} data-testid="report-submit">
            {t("publicReport.submit")}
          </Button>
          <Text size="xs" c="dimmed">
            {t("publicReport.privacy")}
          </Text>
        </Stack>
      </Stack>
    </form>
  );
}

function Receipt({ receipt, onAnother }: { receipt: PublicReceipt; onAnother: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <Stack gap="md" data-testid="report-receipt">
      <Title order={2} size="h3" ref={ref} tabIndex={-1}>
        {t("publicReport.done.title")}
      </Title>
      <Text>{t("publicReport.done.text")}</Text>
      <Paper withBorder p="md" radius="md" bg="honey.0">
        <Text size="sm">{t("publicReport.done.reference")}</Text>
        <Text
          fz={28}
          fw={700}
          dir="ltr"
          ta="center"
          style={{ letterSpacing: 1 }}
          data-testid="report-reference"
        >
          {receipt.reference}
        </Text>
      </Paper>
      <Text size="sm">{t("publicReport.done.keep")}</Text>
      <Group>
        <Button size="md" variant="default" onClick={onAnother}>
          {t("publicReport.done.another")}
        </Button>
      </Group>
    </Stack>
  );
}
