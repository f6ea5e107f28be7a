import { useEffect, useState } from "react";
import {
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue, useMediaQuery } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { FormSummary } from "@kaveret/contracts";
import { AnchorLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { Pager } from "../../components/pager.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { useSession } from "../shell/session.tsx";
import { FormStatusBadge } from "./form-badges.tsx";
import { languageName } from "./form-languages.ts";
import { canEditForms } from "./forms-access.ts";
import { FORMS_PAGE_SIZE, formListQuery } from "./forms.api.ts";
import { FORM_LIST_STATUSES, type FormsSearch } from "./forms-search.ts";
import { ImportDialog } from "./import-dialog.tsx";
import { NewFormDialog } from "./new-form-dialog.tsx";
import { ScrollTable } from "./scroll-table.tsx";

export function FormsListPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  const search = useSearch({ from: "/app/forms" });
  const navigate = useNavigate({ from: "/forms" });
  const locale = currentLocale();
  const wide = useMediaQuery("(min-width: 62em)", true, { getInitialValueInEffect: false });
  const [q, setQ] = useState(search.q ?? "");
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [dialog, setDialog] = useState<"new" | "import" | null>(null);
  const editor = canEditForms(roles);
  const page = search.page ?? 1;
  const list = useQuery(formListQuery({ q: search.q, status: search.status, page }));

  const setSearch = (patch: Partial<FormsSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });

  useEffect(() => {
    if ((search.q ?? "") !== debouncedQ) {
      void navigate({
        search: (prev) => ({ ...prev, q: debouncedQ || undefined, page: undefined }),
        replace: true,
      });
    }
  }, [debouncedQ, search.q, navigate]);

  // Back button or a link changed the words: show them in the box.
  useEffect(() => {
    setQ((current) => (current.trim() === (search.q ?? "") ? current : (search.q ?? "")));
  }, [search.q]);

  const filtered = Boolean(search.q || search.status);
  const totalPages = list.data ? Math.max(1, Math.ceil(list.data.total / FORMS_PAGE_SIZE)) : 1;
  const items = list.data?.items ?? [];
  const clear = () => {
    setQ("");
    void navigate({ search: {}, replace: true });
  };

  const actions = editor ? (
    <>
      <Button onClick={() => setDialog("new")} data-testid="form-new">
        {t("forms.list.new")}
      </Button>
      <Button variant="default" onClick={() => setDialog("import")} data-testid="form-import">
        {t("forms.list.import")}
      </Button>
    </>
  ) : null;

  return (
    <Stack gap="md">
      <PageTitle actions={actions}>{t("forms.list.title")}</PageTitle>
      <Text mt={-12} c="dimmed" size="sm">
        {t("forms.list.intro")}
      </Text>

      <Paper withBorder p="sm" radius="md" component="section" aria-label={t("forms.list.filters")}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" style={{ alignItems: "end" }}>
          <TextInput
            type="search"
            label={t("forms.list.search")}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            rightSection={
              list.isFetching && q.trim() !== "" ? <Loader size="xs" aria-hidden /> : null
            }
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="forms-status-label">
              {t("forms.list.status")}
            </Text>
            <SegmentedControl
              aria-labelledby="forms-status-label"
              fullWidth
              value={search.status ?? "all"}
              data={[
                { value: "all", label: t("forms.list.allStatuses") },
                ...FORM_LIST_STATUSES.map((s) => ({ value: s, label: t(`forms.status.${s}`) })),
              ]}
              onChange={(v) => setSearch({ status: FORM_LIST_STATUSES.find((s) => s === v) })}
            />
          </Stack>
        </SimpleGrid>
      </Paper>

      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        <>
          <Text size="sm" role="status" aria-live="polite">
            {t("forms.list.total", { n: formatNumber(list.data.total, locale) })}
          </Text>
          {items.length === 0 ? (
            filtered ? (
              <EmptyState
                title={t("forms.list.emptyFiltered")}
                hint={t("forms.list.emptyFilteredHint")}
                action={
                  <Button variant="default" onClick={clear}>
                    {t("forms.list.clear")}
                  </Button>
                }
              />
            ) : (
              <EmptyState
                title={t("forms.list.empty")}
                hint={editor ? t("forms.list.emptyHint") : t("forms.list.emptyHintReader")}
                action={actions ? <Group gap="xs">{actions}</Group> : undefined}
              />
            )
          ) : (
            <div style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              {wide ? <FormTable items={items} /> : <FormCards items={items} />}
            </div>
          )}
          <Pager
            total={totalPages}
            value={page}
            onChange={(p) =>
              void navigate({ search: (prev) => ({ ...prev, page: p > 1 ? p : undefined }) })
            }
          />
        </>
      ) : null}

      <NewFormDialog opened={dialog === "new"} onClose={() => setDialog(null)} />
      <ImportDialog opened={dialog === "import"} onClose={() => setDialog(null)} />
    </Stack>
  );
}

function TitleLink({ form }: { form: FormSummary }) {
  return (
    <AnchorLink to="/forms/$id" params={{ id: form.id }} fw={700}>
      <bdi>{form.title}</bdi>
    </AnchorLink>
  );
}

function Languages({ form }: { form: FormSummary }) {
  const { t } = useTranslation();
  const unnamed = t("formRunner.unnamedLanguage");
  return <>{form.languages.map((l) => languageName(l, undefined, unnamed)).join(" · ")}</>;
}

function FormCards({ items }: { items: FormSummary[] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Stack
      component="ul"
      gap="xs"
      style={{ listStyle: "none", padding: 0, margin: 0 }}
      aria-label={t("forms.list.listLabel")}
    >
      {items.map((f) => (
        <Paper key={f.id} component="li" withBorder p="sm" radius="md" data-testid="form-row">
          <Stack gap={6}>
            <Group gap="xs" wrap="wrap">
              <FormStatusBadge status={f.status} />
              <TitleLink form={f} />
            </Group>
            <Text size="sm">
              {t("forms.list.questions", { n: f.questionCount })} ·{" "}
              {t("forms.list.responses", { n: f.responseCount })}
            </Text>
            <Text size="xs" c="dimmed">
              {[
                f.community?.name,
                f.anonymous ? t("forms.anonymous") : t("forms.identified"),
                t("forms.list.updated", { at: formatDateTime(f.updatedAt, locale) }),
              ]
                .filter(Boolean)
                .join(" · ")}
            </Text>
            <Text size="xs" c="dimmed">
              <Languages form={f} />
            </Text>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

function FormTable({ items }: { items: FormSummary[] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <ScrollTable minWidth={820} label={t("forms.list.listLabel")}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label={t("forms.list.listLabel")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("forms.col.title")}</Table.Th>
            <Table.Th scope="col">{t("forms.col.status")}</Table.Th>
            <Table.Th scope="col">{t("forms.col.questions")}</Table.Th>
            <Table.Th scope="col">{t("forms.col.responses")}</Table.Th>
            <Table.Th scope="col">{t("forms.col.community")}</Table.Th>
            <Table.Th scope="col">{t("forms.col.languages")}</Table.Th>
            <Table.Th scope="col">{t("forms.col.updated")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((f) => (
            <Table.Tr key={f.id} data-testid="form-row">
              <Table.Td maw={360}>
                <Stack gap={2}>
                  <TitleLink form={f} />
                  <Text size="xs" c="dimmed">
                    {f.anonymous ? t("forms.anonymous") : t("forms.identified")}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td>
                <FormStatusBadge status={f.status} />
              </Table.Td>
              <Table.Td>{formatNumber(f.questionCount, locale)}</Table.Td>
              <Table.Td>{formatNumber(f.responseCount, locale)}</Table.Td>
              <Table.Td>{f.community?.name ?? t("forms.allCommunities")}</Table.Td>
              <Table.Td>
                <Text size="sm">
                  <Languages form={f} />
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: "nowrap" }}>
                  {formatDateTime(f.updatedAt, locale)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
