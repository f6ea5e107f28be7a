import { useEffect, useState } from "react";
import { Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { COMMUNITY_KINDS, COMMUNITY_LEVELS } from "@kaveret/contracts";
import { PageTitle } from "../../components/page-title.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatNumber } from "../../lib/format.ts";
import type { CommunitiesSearch } from "../../app/search.ts";
import { canEditCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { PAGE_SIZE, communityListQuery } from "./communities.api.ts";
import { typeLabel } from "./community-labels.ts";

export function CommunitiesListPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  const search = useSearch({ from: "/app/communities" });
  const navigate = useNavigate({ from: "/communities" });
  const [q, setQ] = useState(search.q ?? "");
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const page = search.page ?? 1;
  const archived = search.archived ?? "active";
  const locale = currentLocale();

  const setSearch = (patch: Partial<CommunitiesSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });

  useEffect(() => {
    if ((search.q ?? "") !== debouncedQ) {
      void navigate({
        search: (prev) => ({ ...prev, q: debouncedQ || undefined, page: undefined }),
        replace: true,
      });
    }
  }, [debouncedQ, search.q, navigate]);

  const list = useQuery(
    communityListQuery({
      q: search.q,
      kind: search.kind,
      level: search.level,
      archived,
      page,
      pageSize: PAGE_SIZE,
    }),
  );
  const totalPages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;
  const filtered = Boolean(search.q || search.kind || search.level || archived !== "active");

  return (
    <Stack gap="md">
      <PageTitle
        actions={
          canEditCommunities(roles) ? (
            <ButtonLink to="/communities/new">{t("communities.new")}</ButtonLink>
          ) : null
        }
      >
        {t("communities.title")}
      </PageTitle>
      <Paper
        withBorder
        p="sm"
        radius="md"
        component="section"
        aria-label={t("communities.filters")}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
          <TextInput
            type="search"
            label={t("communities.search")}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
          />
          <NativeSelect
            label={t("communities.kind")}
            value={search.kind ?? ""}
            data={[
              { value: "", label: t("communities.anyKind") },
              ...COMMUNITY_KINDS.map((k) => ({ value: k, label: t(`communities.kinds.${k}`) })),
            ]}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setSearch({
                kind: v === "geographic" || v === "functional" ? v : undefined,
                level: v === "functional" ? undefined : search.level,
              });
            }}
          />
          <NativeSelect
            label={t("communities.level")}
            value={search.level ?? ""}
            disabled={search.kind === "functional"}
            data={[
              { value: "", label: t("communities.anyLevel") },
              ...COMMUNITY_LEVELS.map((l) => ({ value: l, label: t(`communities.levels.${l}`) })),
            ]}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setSearch({ level: COMMUNITY_LEVELS.find((l) => l === v) });
            }}
          />
          <NativeSelect
            label={t("communities.status")}
            value={archived}
            data={[
              { value: "active", label: t("communities.statusActive") },
              { value: "archived", label: t("communities.statusArchived") },
              { value: "all", label: t("communities.statusAll") },
            ]}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setSearch({ archived: v === "archived" || v === "all" ? v : undefined });
            }}
          />
        </SimpleGrid>
      </Paper>

      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        <>
          <Text size="sm" role="status" aria-live="polite">
            {t("communities.count", { count: list.data.total })}
          </Text>
          {list.data.items.length === 0 ? (
            <EmptyState
              title={filtered ? t("communities.emptyFiltered") : t("communities.empty")}
              hint={filtered ? t("communities.emptyFilteredHint") : t("communities.emptyHint")}
            />
          ) : (
            <Stack
              component="ul"
              gap="xs"
              style={{
                listStyle: "none",
                padding: 0,
                margin: 0,
                opacity: list.isPlaceholderData ? 0.6 : 1,
              }}
              aria-label={t("communities.title")}
            >
              {list.data.items.map((c) => (
                <Paper
                  key={c.id}
                  component="li"
                  withBorder
                  p="sm"
                  radius="md"
                  data-testid="community-row"
                >
                  <Group justify="space-between" wrap="wrap" gap="xs">
                    <Stack gap={2}>
                      <AnchorLink to="/communities/$id" params={{ id: c.id }} fw={700}>
                        {c.name}
                      </AnchorLink>
                      {c.parentName ? (
                        <Text size="sm" c="dimmed">
                          {t("communities.inParent", { name: c.parentName })}
                        </Text>
                      ) : null}
                    </Stack>
                    <Group gap="xs">
                      <SoftBadge color={c.kind === "geographic" ? "blue" : "grape"}>
                        {typeLabel(t, c)}
                      </SoftBadge>
                      {c.population !== null ? (
                        <Text size="sm">
                          {t("communities.residents", {
                            count: c.population,
                            formatted: formatNumber(c.population, locale),
                          })}
                        </Text>
                      ) : null}
                      {c.archived ? (
                        <SoftBadge color="gray">{t("communities.archivedBadge")}</SoftBadge>
                      ) : null}
                    </Group>
                  </Group>
                </Paper>
              ))}
            </Stack>
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
