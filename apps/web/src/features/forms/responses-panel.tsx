import { useMemo, useState } from "react";
import {
  Alert,
  Button,
  Group,
  Menu,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Form, ResponseItem } from "@kaveret/contracts";
import { isPhotoId, type FormDefinition } from "@kaveret/forms";
import { AnchorLink } from "../../components/links.tsx";
import { Pager } from "../../components/pager.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { canWorkNeeds } from "../needs/needs-access.ts";
import { canSeeCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { readDefinition } from "./form-definition.ts";
import { pickFormLanguage } from "./form-languages.ts";
import { RESPONSES_PAGE_SIZE, exportResponses, responsesQuery } from "./forms.api.ts";
import { ANSWER_CHANNELS, type FormSearch } from "./forms-search.ts";
import { NeedFromResponseDialog } from "./need-from-response-dialog.tsx";
import {
  answerColumns,
  displayAnswer,
  needDescription,
  shownPhotos,
  truncate,
  type AnswerColumn,
  type AnswerDisplayOptions,
} from "./response-text.ts";
import { ScrollTable } from "./scroll-table.tsx";
import { AnswerPhoto, PhotoList } from "./answer-photo.tsx";

/** Channel and community filters, shared by the responses and analysis tabs (in the URL). */
export function AnswerFilters({ extra }: { extra?: React.ReactNode }) {
  const { t } = useTranslation();
  const { roles } = useSession();
  const search = useSearch({ from: "/app/forms/$id" });
  const navigate = useNavigate({ from: "/forms/$id" });
  const communities = useQuery({ ...parentOptionsQuery, enabled: canSeeCommunities(roles) });
  const set = (patch: Partial<FormSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="section"
      aria-label={t("forms.responses.filters")}
    >
      <SimpleGrid cols={{ base: 1, sm: extra ? 3 : 2 }} spacing="sm">
        <NativeSelect
          label={t("forms.responses.channel")}
          value={search.channel ?? ""}
          data={[
            { value: "", label: t("forms.responses.anyChannel") },
            ...ANSWER_CHANNELS.map((c) => ({ value: c, label: t(`forms.channel.${c}`) })),
          ]}
          onChange={(e) =>
            set({ channel: ANSWER_CHANNELS.find((c) => c === e.currentTarget.value) })
          }
          data-testid="filter-channel"
        />
        {communities.isSuccess ? (
          <NativeSelect
            label={t("forms.responses.community")}
            value={search.communityId ?? ""}
            data={[
              { value: "", label: t("forms.responses.anyCommunity") },
              ...communities.data.items.map((c) => ({
                value: c.id,
                label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
              })),
            ]}
            onChange={(e) => set({ communityId: e.currentTarget.value || undefined })}
          />
        ) : null}
        {extra}
      </SimpleGrid>
    </Paper>
  );
}

export function ResponsesPanel({ form }: { form: Form }) {
  const { t } = useTranslation();
  const { roles } = useSession();
  const locale = currentLocale();
  const search = useSearch({ from: "/app/forms/$id" });
  const navigate = useNavigate({ from: "/forms/$id" });
  const wide = useMediaQuery("(min-width: 62em)", true, { getInitialValueInEffect: false });
  const page = search.page ?? 1;
  const filters = { channel: search.channel, communityId: search.communityId };
  const list = useQuery(responsesQuery(form.id, { ...filters, page }));
  const def = useMemo(() => readDefinition(form.definition), [form.definition]);
  const language = def ? pickFormLanguage(def.settings, [locale]) : locale;
  const columns = useMemo(() => (def ? answerColumns(def, language) : []), [def, language]);
  const [needFor, setNeedFor] = useState<ResponseItem | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const display: AnswerDisplayOptions = {
    language,
    entries: (n) => t("forms.responses.entries", { n }),
    dateTime: (iso) => formatDateTime(iso, locale),
    photo: t("forms.photos.word"),
  };
  const totalPages = list.data ? Math.max(1, Math.ceil(list.data.total / RESPONSES_PAGE_SIZE)) : 1;
  const needs = canWorkNeeds(roles);

  const download = (format: "csv" | "xlsx") => {
    setExporting(true);
    setExportError(null);
    exportResponses(form.id, format, filters, form.title)
      .catch(setExportError)
      .finally(() => setExporting(false));
  };

  const rowProps: RowsProps = {
    formId: form.id,
    def,
    columns,
    display,
    canCreateNeed: needs,
    onNeed: setNeedFor,
  };

  return (
    <Stack gap="md">
      <AnswerFilters />
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text size="sm" role="status" aria-live="polite">
          {list.data
            ? t("forms.responses.total", { n: formatNumber(list.data.total, locale) })
            : ""}
        </Text>
        <Menu position="bottom-end">
          <Menu.Target>
            <Button variant="default" loading={exporting} data-testid="export-responses">
              {t("forms.responses.export")}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => download("xlsx")}>
              {t("forms.responses.exportXlsx")}
            </Menu.Item>
            <Menu.Item onClick={() => download("csv")}>{t("forms.responses.exportCsv")}</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      {exportError ? (
        <Alert color="red" role="alert">
          {errorMessage(t, exportError)}
        </Alert>
      ) : null}
      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        list.data.items.length === 0 ? (
          <EmptyState
            title={
              filters.channel || filters.communityId
                ? t("forms.responses.emptyFiltered")
                : t("forms.responses.empty")
            }
            hint={
              form.status === "open"
                ? t("forms.responses.emptyHintOpen")
                : t("forms.responses.emptyHint")
            }
          />
        ) : (
          <div style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
            {wide ? (
              <ResponseTable items={list.data.items} {...rowProps} />
            ) : (
              <ResponseCards items={list.data.items} {...rowProps} />
            )}
          </div>
        )
      ) : null}
      <Pager
        total={totalPages}
        value={page}
        onChange={(p) =>
          void navigate({ search: (prev) => ({ ...prev, page: p > 1 ? p : undefined }) })
        }
      />
      <NeedFromResponseDialog
        formId={form.id}
        response={needFor}
        photos={needFor && def ? shownPhotos(def, needFor.answers, language) : []}
        initialDescription={
          needFor && def
            ? needDescription(def, needFor.answers, {
                ...display,
                title: t("forms.need.fromSurvey", { title: form.title }),
              })
            : ""
        }
        onClose={() => setNeedFor(null)}
      />
    </Stack>
  );
}

interface RowsProps {
  formId: string;
  def: FormDefinition | null;
  columns: AnswerColumn[];
  display: AnswerDisplayOptions;
  canCreateNeed: boolean;
  onNeed: (r: ResponseItem) => void;
}

function NeedLinks({ r }: { r: ResponseItem }) {
  const { t } = useTranslation();
  if (r.needIds.length === 0) return null;
  return (
    <Group gap={6} wrap="wrap">
      {r.needIds.map((id, i) => (
        <AnchorLink key={id} to="/needs/$id" params={{ id }} size="sm">
          {t("forms.responses.needLink", { n: i + 1 })}
        </AnchorLink>
      ))}
    </Group>
  );
}

function Meta({ r }: { r: ResponseItem }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <>
      {[
        formatDateTime(r.createdAt, locale),
        t(`forms.channel.${r.channel}`),
        r.community?.name,
        r.submittedBy ? t("forms.responses.by", { name: r.submittedBy.name }) : null,
      ]
        .filter(Boolean)
        .join(" · ")}
    </>
  );
}

/** A photo answer as its thumbnail (null for any other answer). */
function photoOf(formId: string, c: AnswerColumn, value: unknown) {
  if (c.node.type !== "image" || !isPhotoId(value)) return null;
  return <AnswerPhoto formId={formId} photoId={value} label={c.label} />;
}

/**
 * The photos inside a repeat's entries (at any depth), as thumbnails under its "3 entries";
 * past `max`, how many more (the export and the answer's need dialog have them all).
 */
function RepeatPhotos({
  formId,
  def,
  column,
  answers,
  language,
  size,
  max,
}: {
  formId: string;
  def: FormDefinition;
  column: AnswerColumn;
  answers: ResponseItem["answers"];
  language: string;
  size: number;
  max: number;
}) {
  const { t } = useTranslation();
  if (column.node.type !== "repeat") return null;
  const photos = shownPhotos(def, answers, language, column.node);
  if (photos.length === 0) return null;
  return (
    <PhotoList
      formId={formId}
      photos={photos.slice(0, max)}
      size={size}
      more={photos.length > max ? t("forms.photos.more", { n: photos.length - max }) : null}
    />
  );
}

function ResponseCards({
  items,
  formId,
  def,
  columns,
  display,
  canCreateNeed,
  onNeed,
}: RowsProps & { items: ResponseItem[] }) {
  const { t } = useTranslation();
  return (
    <Stack
      component="ul"
      gap="xs"
      style={{ listStyle: "none", padding: 0, margin: 0 }}
      aria-label={t("forms.responses.listLabel")}
    >
      {items.map((r) => (
        <Paper key={r.id} component="li" withBorder p="sm" radius="md" data-testid="response-row">
          <Stack gap={6}>
            <Text size="xs" c="dimmed">
              <Meta r={r} />
            </Text>
            {def ? (
              <Stack component="dl" gap={4} m={0}>
                {columns.map((c) => {
                  const text = displayAnswer(def, c.node, r.answers[c.name], display);
                  if (!text) return null;
                  const photo = photoOf(formId, c, r.answers[c.name]);
                  return (
                    <div key={c.name}>
                      <Text component="dt" size="xs" c="dimmed">
                        <bdi>{c.label}</bdi>
                      </Text>
                      {photo ? (
                        <dd style={{ margin: 0 }}>{photo}</dd>
                      ) : (
                        <Text component="dd" m={0} size="sm" style={{ overflowWrap: "anywhere" }}>
                          <bdi>{truncate(text, 120)}</bdi>
                          <RepeatPhotos
                            formId={formId}
                            def={def}
                            column={c}
                            answers={r.answers}
                            language={display.language}
                            size={56}
                            max={12}
                          />
                        </Text>
                      )}
                    </div>
                  );
                })}
              </Stack>
            ) : null}
            <Group justify="space-between" gap="xs">
              <NeedLinks r={r} />
              {canCreateNeed ? (
                <Button
                  size="compact-sm"
                  variant="light"
                  onClick={() => onNeed(r)}
                  data-testid="response-need"
                >
                  {t("forms.responses.createNeed")}
                </Button>
              ) : null}
            </Group>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

function ResponseTable({
  items,
  formId,
  def,
  columns,
  display,
  canCreateNeed,
  onNeed,
}: RowsProps & { items: ResponseItem[] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <ScrollTable minWidth={640 + columns.length * 140} label={t("forms.responses.listLabel")}>
      <Table striped verticalSpacing="xs" aria-label={t("forms.responses.listLabel")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("forms.responses.col.received")}</Table.Th>
            <Table.Th scope="col">{t("forms.responses.col.channel")}</Table.Th>
            <Table.Th scope="col">{t("forms.responses.col.community")}</Table.Th>
            <Table.Th scope="col">{t("forms.responses.col.by")}</Table.Th>
            {columns.map((c) => (
              <Table.Th key={c.name} scope="col" maw={200} title={c.label}>
                <bdi>{truncate(c.label, 40)}</bdi>
              </Table.Th>
            ))}
            <Table.Th scope="col">{t("forms.responses.col.needs")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id} data-testid="response-row">
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                {formatDateTime(r.createdAt, locale)}
              </Table.Td>
              <Table.Td>{t(`forms.channel.${r.channel}`)}</Table.Td>
              <Table.Td>{r.community?.name ?? "—"}</Table.Td>
              <Table.Td>{r.submittedBy?.name ?? "—"}</Table.Td>
              {columns.map((c) => {
                const text = def ? displayAnswer(def, c.node, r.answers[c.name], display) : "";
                const photo = photoOf(formId, c, r.answers[c.name]);
                return (
                  <Table.Td key={c.name} maw={200} title={text.length > 60 ? text : undefined}>
                    {photo ?? <bdi>{truncate(text)}</bdi>}
                    {def ? (
                      <RepeatPhotos
                        formId={formId}
                        def={def}
                        column={c}
                        answers={r.answers}
                        language={display.language}
                        size={40}
                        max={6}
                      />
                    ) : null}
                  </Table.Td>
                );
              })}
              <Table.Td>
                <Stack gap={4} align="flex-start">
                  <NeedLinks r={r} />
                  {canCreateNeed ? (
                    <Button
                      size="compact-sm"
                      variant="light"
                      onClick={() => onNeed(r)}
                      data-testid="response-need"
                    >
                      {t("forms.responses.createNeed")}
                    </Button>
                  ) : null}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
