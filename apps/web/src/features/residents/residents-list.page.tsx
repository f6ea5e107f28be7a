import { useEffect, useState } from "react";
import {
  Alert,
  Button,
  Collapse,
  Group,
  Loader,
  Menu,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue, useMediaQuery } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatNumber } from "../../lib/format.ts";
import { useSession } from "../shell/session.tsx";
import { keepsRegistry, readsFullRecords } from "./resident-labels.ts";
import { ResidentFilters } from "./resident-filters.tsx";
import { ResidentCards, ResidentTable } from "./resident-rows.tsx";
import { downloadExport, residentListQuery } from "./residents.api.ts";
import { PAGE_SIZE, cleanSearch, exportHref, listParams } from "./residents-query.ts";
import {
  activeFilterCount,
  effectiveSort,
  isFiltered,
  RESIDENT_SORTS,
  type ResidentsSearch,
} from "./residents-search.ts";
import { SavedFilters } from "./saved-filters.tsx";

export function ResidentsListPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  const raw = useSearch({ from: "/app/residents" });
  const search = cleanSearch(raw);
  const navigate = useNavigate({ from: "/residents" });
  const [q, setQ] = useState(search.q ?? "");
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const wide = useMediaQuery("(min-width: 62em)", true, { getInitialValueInEffect: false });
  const filterCount = activeFilterCount(search);
  const [filtersOpen, setFiltersOpen] = useState(filterCount > 0);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const locale = currentLocale();
  const full = readsFullRecords(roles);
  const keeper = keepsRegistry(roles);
  const page = search.page ?? 1;

  const setSearch = (patch: Partial<ResidentsSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });

  // Results as you type: the URL follows the words a moment after typing stops.
  useEffect(() => {
    if ((raw.q ?? "") !== debouncedQ) {
      void navigate({
        search: (prev) => ({ ...prev, q: debouncedQ || undefined, page: undefined }),
        replace: true,
      });
    }
  }, [debouncedQ, raw.q, navigate]);

  // A saved filter or the back button changes the words: show them in the box.
  useEffect(() => {
    setQ((current) => (current.trim() === (raw.q ?? "") ? current : (raw.q ?? "")));
  }, [raw.q]);

  const list = useQuery(residentListQuery(listParams(search)));
  const totalPages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;
  const filtered = isFiltered(search);
  const sort = effectiveSort(search);

  const applySaved = (s: ResidentsSearch) => {
    setQ(s.q ?? "");
    setFiltersOpen(activeFilterCount(s) > 0 || filtersOpen);
    void navigate({ search: { ...s, page: undefined } });
  };

  const clearAll = () => {
    setQ("");
    void navigate({ search: {}, replace: true });
  };

  const runExport = async (format: "csv" | "xlsx") => {
    setExportError(null);
    setExporting(true);
    try {
      await downloadExport(exportHref(search, format), `residents.${format}`);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Stack gap="md">
      <PageTitle
        actions={
          keeper ? (
            <>
              <ButtonLink to="/residents/new">{t("residents.new")}</ButtonLink>
              <ImportLink />
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="default" loading={exporting}>
                    {t("residents.export")}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => void runExport("csv")}>
                    {t("residents.exportCsv")}
                  </Menu.Item>
                  <Menu.Item onClick={() => void runExport("xlsx")}>
                    {t("residents.exportXlsx")}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
              <ButtonLink to="/residents/duplicates" variant="default">
                {t("residents.duplicates")}
              </ButtonLink>
            </>
          ) : null
        }
      >
        {t("residents.title")}
      </PageTitle>

      {!full ? (
        <Text size="sm" c="dimmed" mt={-8}>
          {t("residents.contactIntro")}
        </Text>
      ) : null}

      {exportError ? (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          onClose={() => setExportError(null)}
          closeButtonLabel={t("app.close")}
        >
          {errorMessage(t, exportError)}
        </Alert>
      ) : null}

      <Paper withBorder p="sm" radius="md" component="section" aria-label={t("residents.filters")}>
        <Stack gap="sm">
          <SimpleGrid
            cols={{ base: 1, sm: full ? 2 : 1 }}
            spacing="sm"
            style={{ alignItems: "end" }}
          >
            <TextInput
              type="search"
              label={t("residents.search")}
              description={t("residents.searchHint")}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              rightSection={
                list.isFetching && q.trim() !== "" ? <Loader size="xs" aria-hidden /> : null
              }
            />
            {full ? (
              <NativeSelect
                label={t("residents.sort.label")}
                value={sort}
                data={RESIDENT_SORTS.filter((s) => s !== "relevance" || search.q).map((s) => ({
                  value: s,
                  label: t(`residents.sort.${s}`),
                }))}
                onChange={(e) => {
                  const v = RESIDENT_SORTS.find((s) => s === e.currentTarget.value);
                  setSearch({ sort: v });
                }}
              />
            ) : null}
          </SimpleGrid>
          {full ? (
            <>
              <Group gap="xs" wrap="wrap">
                {!wide ? (
                  <Button
                    variant="light"
                    size="compact-md"
                    aria-expanded={filtersOpen}
                    aria-controls="resident-filters"
                    onClick={() => setFiltersOpen((o) => !o)}
                  >
                    {filterCount > 0
                      ? t("residents.filtersCount", { count: filterCount })
                      : t("residents.moreFilters")}
                  </Button>
                ) : null}
                {search.householdId ? (
                  <FilterChip
                    label={t("residents.filter.household")}
                    onRemove={() => setSearch({ householdId: undefined })}
                  />
                ) : null}
                {search.streetId ? (
                  <FilterChip
                    label={t("residents.filter.street")}
                    onRemove={() => setSearch({ streetId: undefined })}
                  />
                ) : null}
                {filtered ? (
                  <Button variant="subtle" size="compact-md" onClick={clearAll}>
                    {t("residents.clearFilters")}
                  </Button>
                ) : null}
              </Group>
              <Collapse expanded={filtersOpen || wide} id="resident-filters">
                <ResidentFilters search={search} onChange={setSearch} />
              </Collapse>
              <SavedFilters search={search} onApply={applySaved} />
            </>
          ) : null}
        </Stack>
      </Paper>

      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        <>
          <Text size="sm" role="status" aria-live="polite">
            {t("residents.count", {
              count: list.data.total,
              formatted: formatNumber(list.data.total, locale),
            })}
          </Text>
          {list.data.items.length === 0 ? (
            filtered ? (
              <EmptyState
                title={t("residents.emptyFiltered")}
                hint={t("residents.emptyFilteredHint")}
                action={
                  <Button variant="default" onClick={clearAll}>
                    {t("residents.clearFilters")}
                  </Button>
                }
              />
            ) : (
              <EmptyState
                title={full ? t("residents.empty") : t("residents.emptyContact")}
                hint={full ? t("residents.emptyHint") : t("residents.emptyContactHint")}
                action={
                  keeper ? (
                    <Group gap="sm" justify="center">
                      <ButtonLink to="/residents/new">{t("residents.new")}</ButtonLink>
                      <ImportLink />
                    </Group>
                  ) : undefined
                }
              />
            )
          ) : (
            <div style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              {wide ? (
                <ResidentTable items={list.data.items} />
              ) : (
                <ResidentCards items={list.data.items} />
              )}
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
    </Stack>
  );
}

function FilterChip({ label, onRemove }: { label: string; onRemove: () => void }) {
  const { t } = useTranslation();
  return (
    <SoftBadge
      color="blue"
      tt="none"
      size="lg"
      rightSection={
        <button
          type="button"
          onClick={onRemove}
          aria-label={t("residents.filter.remove", { name: label })}
          style={{
            border: 0,
            background: "transparent",
            cursor: "pointer",
            color: "inherit",
            padding: 0,
            font: "inherit",
          }}
        >
          ×
        </button>
      }
    >
      {label}
    </SoftBadge>
  );
}

/** The imports helper's wizard, for residents. */
function ImportLink() {
  const { t } = useTranslation();
  return (
    <ButtonLink to="/imports/new" search={{ entity: "residents" }} variant="default">
      {t("residents.import")}
    </ButtonLink>
  );
}
