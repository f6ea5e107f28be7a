import { useMemo, useState } from "react";
import { Box, Group, MultiSelect, Select, Stack, Switch, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { ASSET_TYPES, type Role } from "@kaveret/contracts";
import { PageTitle } from "../../components/page-title.tsx";
import { ErrorState } from "../../components/states.tsx";
import { assetTypeLabel } from "../assets/asset-types.ts";
import { useSession } from "../shell/session.tsx";
import { LazyMapView } from "./lazy-map.tsx";
import { mapLayersQuery } from "./map-layers.ts";
import { MapSelectionCard } from "./map-selection.tsx";
import { DEFAULT_LAYERS, type MapLayerToggles, type MapSelection } from "./map-types.ts";

/** Roles that may see residents at all (what each sees is the server's decision). */
const RESIDENT_ROLES: Role[] = ["manager", "community_worker", "social_worker", "activist"];

/** Header (56) + page padding (2 × 16) + title row. */
const CHROME = "56px - 32px - 64px";

export function MapPage() {
  const { t } = useTranslation();
  const { communityId } = useSearch({ from: "/app/map" });
  const navigate = useNavigate({ from: "/map" });
  const { roles } = useSession();
  const wide = useMediaQuery("(min-width: 62em)", true, { getInitialValueInEffect: false });
  const residentsAllowed = roles.some((r) => RESIDENT_ROLES.includes(r));
  const [layers, setLayers] = useState<MapLayerToggles>(DEFAULT_LAYERS);
  const [hiddenTypes, setHiddenTypes] = useState<string[]>([]);
  const [selection, setSelection] = useState<MapSelection | null>(null);
  const shapes = useQuery(mapLayersQuery({ layers: ["boundaries", "assets"] }));

  const communityOptions = useMemo(() => {
    const features = shapes.data?.boundaries.features ?? [];
    return [...features]
      .sort((a, b) => a.properties.name.localeCompare(b.properties.name))
      .map((f) => ({
        value: f.properties.id,
        label: f.properties.level
          ? `${f.properties.name} · ${t(`communities.levels.${f.properties.level}`)}`
          : f.properties.name,
      }));
  }, [shapes.data, t]);
  const presentTypes = useMemo(() => {
    const seen = new Set((shapes.data?.assets.features ?? []).map((f) => f.properties.type));
    return ASSET_TYPES.filter((type) => seen.has(type));
  }, [shapes.data]);

  const filters = (
    <Stack gap="sm" component="section" aria-labelledby="map-filters-title">
      <Title order={2} size="h5" id="map-filters-title">
        {t("map.filters.title")}
      </Title>
      <Select
        label={t("map.filters.community")}
        placeholder={t("map.filters.allCommunities")}
        data={communityOptions}
        value={communityId ?? null}
        searchable
        clearable
        nothingFoundMessage={t("map.filters.nothing")}
        onChange={(v) => {
          setSelection(null);
          void navigate({ search: { communityId: v ?? undefined } });
        }}
        comboboxProps={{ withinPortal: true }}
      />
      <MultiSelect
        label={t("map.filters.assetTypes")}
        placeholder={hiddenTypes.length ? undefined : t("map.filters.allTypes")}
        data={presentTypes.map((type) => ({ value: type, label: assetTypeLabel(t, type) }))}
        value={
          presentTypes.filter((type) => !hiddenTypes.includes(type)).length === presentTypes.length
            ? []
            : presentTypes.filter((type) => !hiddenTypes.includes(type))
        }
        onChange={(shown) =>
          setHiddenTypes(shown.length === 0 ? [] : presentTypes.filter((x) => !shown.includes(x)))
        }
        clearable
        comboboxProps={{ withinPortal: true }}
      />
      {residentsAllowed ? (
        <Switch
          label={t("map.filters.residents")}
          description={t("map.filters.residentsHint")}
          checked={layers.residents}
          onChange={(e) => setLayers({ ...layers, residents: e.currentTarget.checked })}
        />
      ) : null}
    </Stack>
  );

  const selected = (
    <Stack gap="xs" component="section" aria-labelledby="map-selection-title">
      <Title order={2} size="h5" id="map-selection-title">
        {t("map.selection.title")}
      </Title>
      <MapSelectionCard selection={selection} />
    </Stack>
  );

  const map = (
    <LazyMapView
      label={t("map.regionLabel")}
      communityId={communityId}
      height={wide ? `calc(100dvh - ${CHROME})` : "62dvh"}
      layers={layers}
      onLayersChange={setLayers}
      hiddenTypes={hiddenTypes}
      onHiddenTypesChange={setHiddenTypes}
      residentsAllowed={residentsAllowed}
      onSelect={setSelection}
    />
  );

  return (
    <Stack gap={0}>
      <PageTitle>{t("nav.map")}</PageTitle>
      {shapes.isError ? (
        <ErrorState error={shapes.error} onRetry={() => void shapes.refetch()} />
      ) : null}
      {wide ? (
        <Group align="flex-start" wrap="nowrap" gap="md" mt={-8}>
          <Box style={{ flex: 1, minWidth: 0 }}>{map}</Box>
          <Stack w={300} gap="lg" style={{ flex: "none" }}>
            {filters}
            {selected}
          </Stack>
        </Group>
      ) : (
        <Stack gap="md" mt={-8}>
          {map}
          {selected}
          {filters}
          <Text size="xs" c="dimmed">
            {t("map.hintPhone")}
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
