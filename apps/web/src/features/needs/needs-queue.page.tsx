import { useEffect, useMemo, useState } from "react";
import {
  Button,
  Collapse,
  Group,
  Loader,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from "@mantine/core";
import { useDebouncedValue, useMediaQuery } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { Pager } from "../../components/pager.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatNumber } from "../../lib/format.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { canSeeCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { BulkActions } from "./bulk-actions.tsx";
import { NeedFilters, StatusChips } from "./need-filters.tsx";
import { activeCategories, categoryName } from "./need-labels.ts";
import { NeedCards, NeedTable } from "./need-rows.tsx";
import { canManageNeeds, canWorkNeeds } from "./needs-access.ts";
import { needAssigneesQuery, needCategoriesQuery, needListQuery } from "./needs.api.ts";
import { PAGE_SIZE, listParams } from "./needs-query.ts";
import { QUEUE_SORTS, activeFilterCount, isFiltered, type NeedsSearch } from "./needs-search.ts";
import { useNeedsStream, type StreamState } from "./needs-stream.ts";

export function NeedsQueuePage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  const search = useSearch({ from: "/app/needs" });
  const navigate = useNavigate({ from: "/needs" });
  const locale = currentLocale();
  const wide = useMediaQuery("(min-width: 62em)", true, { getInitialValueInEffect: false });
  const [q, setQ] = useState(search.q ?? "");
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const filterCount = activeFilterCount(search);
  const [filtersOpen, setFiltersOpen] = useState(filterCount > 0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const worker = canWorkNeeds(roles);
  const page = search.page ?? 1;

  const categories = useQuery(needCategoriesQuery);
  const assignees = useQuery({ ...needAssigneesQuery, enabled: worker });
  const communities = useQuery({ ...parentOptionsQuery, enabled: canSeeCommunities(roles) });
  const params = listParams(search);
  const list = useQuery(needListQuery(params));
  const stream = useNeedsStream({ enabled: worker });

  const setSearch = (patch: Partial<NeedsSearch>) => {
    setSelected(new Set());
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });
  };

  useEffect(() => {
    if ((search.q ?? "") !== debouncedQ) {
      setSelected(new Set());
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

  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  // Forget chosen rows that left the page (a live refresh, another page).
  useEffect(() => {
    setSelected((prev) => {
      const ids = new Set(items.map((n) => n.id));
      const next = new Set([...prev].filter((id) => ids.has(id)));
      return next.size === prev.size ? prev : next;
    });
  }, [items]);

  const cats = activeCategories(categories.data?.items);
  const nameOf = (code: string | null) => categoryName(t, code, categories.data?.items, locale);
  const communityData = communities.isSuccess
    ? communities.data.items.map((c) => ({
        value: c.id,
        label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
      }))
    : null;
  const totalPages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;
  const filtered = isFiltered(search);
  const targets = items.filter((n) => selected.has(n.id));

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = (on: boolean) => setSelected(on ? new Set(items.map((n) => n.id)) : new Set());

  const clearAll = () => {
    setQ("");
    setSelected(new Set());
    void navigate({ search: {}, replace: true });
  };

  const showNew = () => {
    stream.clearNew();
    void list.refetch();
    window.scrollTo({ top: 0, behavior: "smooth" });
  };

  return (
    <Stack gap="md">
      <PageTitle
        actions={
          worker ? (
            <>
              <ButtonLink to="/needs/new">{t("needs.queue.new")}</ButtonLink>
              {canManageNeeds(roles) ? (
                <ButtonLink to="/needs/settings" variant="default">
                  {t("needs.queue.settings")}
                </ButtonLink>
              ) : null}
            </>
          ) : null
        }
      >
        {t("needs.queue.title")}
      </PageTitle>

      <Group gap="sm" wrap="wrap" justify="space-between" mt={-8}>
        {list.data ? (
          <Group gap="xs" wrap="wrap" aria-label={t("needs.queue.countsLabel")} role="group">
            <CountButton
              label={t("needs.queue.countNew")}
              value={formatNumber(list.data.counts.new, locale)}
              onClick={() => setSearch({ status: "new", spam: undefined })}
            />
            <CountButton
              label={t("needs.queue.countOpen")}
              value={formatNumber(list.data.counts.open, locale)}
              onClick={() => setSearch({ status: undefined, spam: undefined })}
            />
            <CountButton
              label={t("needs.queue.countUrgent")}
              value={formatNumber(list.data.counts.urgent, locale)}
              onClick={() =>
                setSearch({ urgency: "high,critical", status: undefined, spam: undefined })
              }
              urgent={list.data.counts.urgent > 0}
            />
          </Group>
        ) : (
          <span />
        )}
        {worker ? (
          <LiveState state={stream.state} newCount={stream.newCount} onShow={showNew} />
        ) : null}
      </Group>

      <Paper
        withBorder
        p="sm"
        radius="md"
        component="section"
        aria-label={t("needs.queue.filters")}
      >
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" style={{ alignItems: "end" }}>
            <TextInput
              type="search"
              label={t("needs.filter.search")}
              description={t("needs.filter.searchHint")}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              rightSection={
                list.isFetching && q.trim() !== "" ? <Loader size="xs" aria-hidden /> : null
              }
            />
            <NativeSelect
              label={t("needs.sort.label")}
              value={search.sort ?? "urgency"}
              data={QUEUE_SORTS.map((s) => ({ value: s, label: t(`needs.sort.${s}`) }))}
              onChange={(e) => {
                const v = QUEUE_SORTS.find((s) => s === e.currentTarget.value);
                setSearch({ sort: v === "urgency" ? undefined : v });
              }}
            />
          </SimpleGrid>
          <StatusChips search={search} onChange={setSearch} />
          <Group gap="xs" wrap="wrap">
            {!wide ? (
              <Button
                variant="light"
                size="compact-md"
                aria-expanded={filtersOpen}
                aria-controls="need-filters"
                onClick={() => setFiltersOpen((o) => !o)}
              >
                {filterCount > 0
                  ? t("needs.filter.moreCount", { n: filterCount })
                  : t("needs.filter.more")}
              </Button>
            ) : null}
            {filtered ? (
              <Button variant="subtle" size="compact-md" onClick={clearAll}>
                {t("needs.filter.clear")}
              </Button>
            ) : null}
          </Group>
          <Collapse expanded={filtersOpen || wide} id="need-filters">
            <NeedFilters
              search={search}
              onChange={setSearch}
              categories={cats}
              categoryName={nameOf}
              communities={communityData}
              assignees={assignees.data}
            />
          </Collapse>
        </Stack>
      </Paper>

      {worker ? (
        <BulkActions
          targets={targets}
          assignees={assignees.data}
          categories={cats}
          categoryName={nameOf}
          canAssign={assignees.isSuccess}
          onDone={() => setSelected(new Set())}
        />
      ) : null}

      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        <>
          <Text size="sm" role="status" aria-live="polite">
            {t("needs.queue.total", { n: formatNumber(list.data.total, locale) })}
          </Text>
          {items.length === 0 ? (
            filtered ? (
              <EmptyState
                title={search.spam ? t("needs.queue.emptySpam") : t("needs.queue.emptyFiltered")}
                hint={search.spam ? undefined : t("needs.queue.emptyFilteredHint")}
                action={
                  <Button variant="default" onClick={clearAll}>
                    {t("needs.filter.clear")}
                  </Button>
                }
              />
            ) : (
              <EmptyState
                title={t("needs.queue.empty")}
                hint={t("needs.queue.emptyHint")}
                action={
                  worker ? (
                    <ButtonLink to="/needs/new">{t("needs.queue.new")}</ButtonLink>
                  ) : undefined
                }
              />
            )
          ) : (
            <div style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              {wide ? (
                <NeedTable
                  items={items}
                  selected={selected}
                  onToggle={toggle}
                  onToggleAll={toggleAll}
                  categoryName={nameOf}
                  selectable={worker}
                />
              ) : (
                <NeedCards
                  items={items}
                  selected={selected}
                  onToggle={toggle}
                  onToggleAll={toggleAll}
                  categoryName={nameOf}
                  selectable={worker}
                />
              )}
            </div>
          )}
          <Pager
            total={totalPages}
            value={page}
            onChange={(p) => {
              setSelected(new Set());
              void navigate({ search: (prev) => ({ ...prev, page: p > 1 ? p : undefined }) });
            }}
          />
        </>
      ) : null}
    </Stack>
  );
}

function CountButton({
  label,
  value,
  onClick,
  urgent = false,
}: {
  label: string;
  value: string;
  onClick: () => void;
  urgent?: boolean;
}) {
  return (
    <UnstyledButton
      onClick={onClick}
      px="sm"
      py={4}
      style={{
        border: `1px solid var(--mantine-color-${urgent ? "red-4" : "gray-4"})`,
        borderRadius: "var(--mantine-radius-md)",
        background: urgent ? "var(--mantine-color-red-0)" : "var(--mantine-color-body)",
      }}
    >
      <Text span size="sm">
        {label}:{" "}
      </Text>
      <Text span size="sm" fw={700} c={urgent ? "#9b1c1c" : undefined}>
        {value}
      </Text>
    </UnstyledButton>
  );
}

/** Live (green dot), connecting or offline (reconnecting), and the "N new" button. */
function LiveState({
  state,
  newCount,
  onShow,
}: {
  state: StreamState;
  newCount: number;
  onShow: () => void;
}) {
  const { t } = useTranslation();
  const color = state === "live" ? "#2b8a3e" : state === "connecting" ? "#a06000" : "#868e96";
  return (
    <Group gap="xs" wrap="nowrap">
      {newCount > 0 ? (
        <Button size="compact-sm" color="blue.8" onClick={onShow} data-testid="needs-new-count">
          {t("needs.live.newCount", { n: newCount })}
        </Button>
      ) : null}
      <Group
        gap={6}
        wrap="nowrap"
        role="status"
        aria-live="polite"
        data-testid="needs-live"
        data-state={state}
      >
        <span
          aria-hidden="true"
          style={{
            width: 10,
            height: 10,
            borderRadius: 5,
            background: color,
            display: "inline-block",
          }}
        />
        <Text size="sm">{t(`needs.live.${state}`)}</Text>
      </Group>
    </Group>
  );
}
