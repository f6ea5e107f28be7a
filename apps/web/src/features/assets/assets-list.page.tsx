import { useEffect, useState } from "react";
import {
  Alert,
  Button,
  Group,
  Menu,
  MultiSelect,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { AssetListItem, AssetType } from "@kaveret/contracts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatNumber } from "../../lib/format.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { canSeeCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { displayName } from "./asset-labels.ts";
import { AssetTypeIcon } from "./asset-type-icon.tsx";
import {
  ASSET_TYPES_BY_GROUP,
  assetTypeGroupLabel,
  assetTypeLabel,
  isAssetType,
} from "./asset-types.ts";
import { canExportAssets, canWriteAssets } from "./asset-access.ts";
import { PAGE_SIZE, assetListQuery, downloadExport } from "./assets.api.ts";
import { typesOf, type AssetsSearch } from "./assets-search.ts";
import { OccupancyBar } from "./occupancy-bar.tsx";
import { isOpenAt } from "./opening-hours.ts";

export function AssetsListPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  const search = useSearch({ from: "/app/assets" });
  const navigate = useNavigate({ from: "/assets" });
  const [q, setQ] = useState(search.q ?? "");
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const page = search.page ?? 1;
  const archived = search.archived ?? "active";
  const types = typesOf(search.type);
  const writer = canWriteAssets(roles);
  const communities = useQuery({ ...parentOptionsQuery, enabled: canSeeCommunities(roles) });
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);

  const setSearch = (patch: Partial<AssetsSearch>) =>
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
    assetListQuery({
      q: search.q,
      type: search.type,
      communityId: search.communityId,
      archived,
      page,
      pageSize: PAGE_SIZE,
    }),
  );
  const totalPages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;
  const filtered = Boolean(search.q || search.type || search.communityId || archived !== "active");

  const exportAs = async (kind: "json" | "zip") => {
    setExportError(null);
    setExporting(true);
    try {
      await downloadExport(kind);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };

  const typeData = ASSET_TYPES_BY_GROUP.map(({ group, types: inGroup }) => ({
    group: assetTypeGroupLabel(t, group),
    items: inGroup.map((type) => ({ value: type, label: assetTypeLabel(t, type) })),
  }));
  const communityData = (communities.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
  }));

  return (
    <Stack gap="md">
      <PageTitle
        actions={
          <>
            {writer ? <ButtonLink to="/assets/new">{t("assets.new")}</ButtonLink> : null}
            {writer ? (
              <Button
                component="a"
                href="/imports/new?entity=assets"
                variant="default"
                data-testid="assets-import"
              >
                {t("assets.import")}
              </Button>
            ) : null}
            {canExportAssets(roles) ? (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="default" loading={exporting}>
                    {t("assets.export")}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => void exportAs("json")}>
                    {t("assets.exportJson")}
                  </Menu.Item>
                  <Menu.Item onClick={() => void exportAs("zip")}>
                    {t("assets.exportZip")}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            ) : null}
          </>
        }
      >
        {t("assets.title")}
      </PageTitle>
      {exportError ? (
        <Alert color="red" role="alert" withCloseButton onClose={() => setExportError(null)}>
          {errorMessage(t, exportError)}
        </Alert>
      ) : null}
      <Paper withBorder p="sm" radius="md" component="section" aria-label={t("assets.filters")}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: writer ? 4 : 3 }} spacing="sm">
          <TextInput
            type="search"
            label={t("assets.search")}
            description={t("assets.searchHint")}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
          />
          <MultiSelect
            label={t("assets.type")}
            description={t("assets.typeHint")}
            placeholder={types.length ? undefined : t("assets.anyType")}
            data={typeData}
            value={types}
            searchable
            clearable
            clearButtonProps={{ "aria-label": t("assets.clearTypes") }}
            hidePickedOptions
            maxDropdownHeight={320}
            renderOption={({ option }) =>
              isAssetType(option.value) ? (
                <Group gap="xs" wrap="nowrap">
                  <AssetTypeIcon type={option.value} size={22} />
                  <span>{option.label}</span>
                </Group>
              ) : (
                option.label
              )
            }
            onChange={(v) => setSearch({ type: v.filter(isAssetType).join(",") || undefined })}
          />
          {communities.isSuccess ? (
            <NativeSelect
              label={t("assets.community")}
              description={t("assets.communityHint")}
              value={search.communityId ?? ""}
              data={[{ value: "", label: t("assets.anyCommunity") }, ...communityData]}
              onChange={(e) => setSearch({ communityId: e.currentTarget.value || undefined })}
            />
          ) : null}
          {writer ? (
            <NativeSelect
              label={t("assets.status")}
              description={t("assets.statusHint")}
              value={archived}
              data={[
                { value: "active", label: t("assets.statusActive") },
                { value: "archived", label: t("assets.statusArchived") },
                { value: "all", label: t("assets.statusAll") },
              ]}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setSearch({ archived: v === "archived" || v === "all" ? v : undefined });
              }}
            />
          ) : null}
        </SimpleGrid>
      </Paper>

      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        <>
          <Text size="sm" role="status" aria-live="polite">
            {t("assets.count", { count: list.data.total })}
          </Text>
          {list.data.items.length === 0 ? (
            <EmptyState
              title={filtered ? t("assets.emptyFiltered") : t("assets.empty")}
              hint={filtered ? t("assets.emptyFilteredHint") : t("assets.emptyHint")}
              action={
                !filtered && writer ? (
                  <ButtonLink to="/assets/new">{t("assets.new")}</ButtonLink>
                ) : null
              }
            />
          ) : (
            <SimpleGrid
              component="ul"
              cols={{ base: 1, md: 2 }}
              spacing="xs"
              style={{
                listStyle: "none",
                padding: 0,
                margin: 0,
                opacity: list.isPlaceholderData ? 0.6 : 1,
              }}
              aria-label={t("assets.title")}
            >
              {list.data.items.map((a) => (
                <AssetCard key={a.id} asset={a} />
              ))}
            </SimpleGrid>
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

function AssetCard({ asset: a }: { asset: AssetListItem }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const open = a.archived ? null : isOpenAt(a.openingHours, new Date());
  const type: AssetType = a.type;
  return (
    <Paper component="li" withBorder p="sm" radius="md" data-testid="asset-row">
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <AssetTypeIcon type={type} size={36} />
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <AnchorLink to="/assets/$id" params={{ id: a.id }} fw={700}>
            {displayName(a, locale)}
          </AnchorLink>
          <Text size="sm" c="dimmed">
            {[assetTypeLabel(t, type), a.organization?.name].filter(Boolean).join(" · ")}
          </Text>
          {a.address.display || a.community ? (
            <Text size="sm">
              {[a.address.display, a.community?.name].filter(Boolean).join(" · ")}
            </Text>
          ) : null}
          <Group gap="xs">
            {open === true ? <SoftBadge color="green">{t("assets.openNow")}</SoftBadge> : null}
            {open === false ? <SoftBadge color="gray">{t("assets.closedNow")}</SoftBadge> : null}
            {a.archived ? <SoftBadge color="gray">{t("assets.archivedBadge")}</SoftBadge> : null}
            {a.capacity !== null && a.occupancy === null ? (
              <Text size="sm">
                {t("assets.capacityOf", {
                  count: a.capacity,
                  formatted: formatNumber(a.capacity, locale),
                })}
              </Text>
            ) : null}
          </Group>
          {a.capacity !== null && a.occupancy !== null ? (
            <OccupancyBar occupancy={a.occupancy} capacity={a.capacity} compact />
          ) : null}
        </Stack>
      </Group>
    </Paper>
  );
}
