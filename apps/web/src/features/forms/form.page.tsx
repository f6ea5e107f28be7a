import { Breadcrumbs, Group, Stack, Tabs, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Form } from "@kaveret/contracts";
import { AnchorLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatNumber } from "../../lib/format.ts";
import { AnalysisPanel } from "./analysis-panel.tsx";
import { DistributionPanel } from "./distribution-panel.tsx";
import { FormStatusBadge } from "./form-badges.tsx";
import { FormBuilder } from "./form-builder.tsx";
import { errorCount } from "./form-problems.ts";
import { formQuery } from "./forms.api.ts";
import { FORM_TABS, type FormTab } from "./forms-search.ts";
import { ResponsesPanel } from "./responses-panel.tsx";
import { useFormDraft } from "./use-form-draft.ts";

/** /forms/$id — the form: questions (the builder), distribution, responses, analysis. */
export function FormPage() {
  const { id } = useParams({ from: "/app/forms/$id" });
  const form = useQuery(formQuery(id));
  if (form.isPending) return <PageLoader />;
  if (form.isError) return <ErrorState error={form.error} onRetry={() => void form.refetch()} />;
  return <FormView key={form.data.id} form={form.data} />;
}

function FormView({ form }: { form: Form }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const search = useSearch({ from: "/app/forms/$id" });
  const navigate = useNavigate({ from: "/forms/$id" });
  const draft = useFormDraft(form);
  const readsResponses = form.permissions.readResponses;
  const tab: FormTab =
    !readsResponses && (search.tab === "responses" || search.tab === "analysis")
      ? "questions"
      : (search.tab ?? "questions");
  const errors = errorCount(form.problems);
  const title = draft.draft?.title.trim() || form.title;

  return (
    <Stack gap="md">
      <Breadcrumbs separator="›" aria-label={t("forms.page.breadcrumb")} component="nav">
        <AnchorLink to="/forms">{t("forms.list.title")}</AnchorLink>
        <Text span aria-current="page">
          <bdi>{form.title}</bdi>
        </Text>
      </Breadcrumbs>
      <PageTitle>{title}</PageTitle>
      <Group gap="xs" mt={-8} wrap="wrap">
        <FormStatusBadge status={form.status} size="lg" />
        <SoftBadge color="gray" tt="none" size="lg">
          {form.anonymous ? t("forms.anonymous") : t("forms.identified")}
        </SoftBadge>
        {form.community ? (
          <SoftBadge color="teal" tt="none" size="lg">
            {form.community.name}
          </SoftBadge>
        ) : null}
        <Text size="sm" c="dimmed">
          {t("forms.list.questions", { n: formatNumber(form.questionCount, locale) })} ·{" "}
          {t("forms.list.responses", { n: formatNumber(form.responseCount, locale) })}
        </Text>
      </Group>

      <Tabs
        value={tab}
        onChange={(v) => {
          const next = FORM_TABS.find((x) => x === v);
          void navigate({
            search: (prev) => ({
              tab: next === "questions" ? undefined : next,
              // Filters are shared by responses and analysis; the page is the table's.
              channel: prev.channel,
              communityId: prev.communityId,
              crossBy: prev.crossBy,
            }),
            replace: true,
          });
        }}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="questions" data-testid="tab-questions">
            {t("forms.tabs.questions")}
            {draft.dirty ? " •" : ""}
            {errors > 0 ? (
              <Text span c="red.9" fw={700} size="sm">
                {" "}
                ({errors})
              </Text>
            ) : null}
          </Tabs.Tab>
          <Tabs.Tab value="distribution" data-testid="tab-distribution">
            {t("forms.tabs.distribution")}
          </Tabs.Tab>
          {readsResponses ? (
            <>
              <Tabs.Tab value="responses" data-testid="tab-responses">
                {t("forms.tabs.responses")} ({formatNumber(form.responseCount, locale)})
              </Tabs.Tab>
              <Tabs.Tab value="analysis" data-testid="tab-analysis">
                {t("forms.tabs.analysis")}
              </Tabs.Tab>
            </>
          ) : null}
        </Tabs.List>
        <Tabs.Panel value="questions" pt="md">
          <FormBuilder form={form} draft={draft} />
        </Tabs.Panel>
        <Tabs.Panel value="distribution" pt="md">
          <DistributionPanel form={form} dirty={draft.dirty} />
        </Tabs.Panel>
        {readsResponses ? (
          <>
            <Tabs.Panel value="responses" pt="md">
              <ResponsesPanel form={form} />
            </Tabs.Panel>
            <Tabs.Panel value="analysis" pt="md">
              <AnalysisPanel form={form} />
            </Tabs.Panel>
          </>
        ) : null}
      </Tabs>
    </Stack>
  );
}
