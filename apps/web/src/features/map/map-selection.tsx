import { Group, Paper, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ASSET_TYPES, type AssetType } from "@kaveret/contracts";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { formatNumber } from "../../lib/format.ts";
import { currentLocale } from "../../i18n/index.ts";
import { AssetTypeLabel } from "../assets/asset-type-icon.tsx";
import { residentQuery } from "../residents/residents.api.ts";
import { displayPhone } from "../communities/display.ts";
import type { MapSelection } from "./map-types.ts";

const isAssetType = (v: string): v is AssetType => (ASSET_TYPES as readonly string[]).includes(v);

/** What was clicked on the map, with a link to its page. */
export function MapSelectionCard({ selection }: { selection: MapSelection | null }) {
  const { t } = useTranslation();
  if (!selection) {
    return (
      <Text size="sm" c="dimmed">
        {t("map.selection.none")}
      </Text>
    );
  }
  return (
    <Paper withBorder radius="md" p="sm" aria-live="polite">
      {selection.kind === "asset" ? (
        <Stack gap={4}>
          <AnchorLink to="/assets/$id" params={{ id: selection.id }} fw={700} dir="auto">
            {selection.name}
          </AnchorLink>
          {isAssetType(selection.type) ? <AssetTypeLabel type={selection.type} /> : null}
        </Stack>
      ) : null}
      {selection.kind === "community" ? (
        <Stack gap={4}>
          <AnchorLink to="/communities/$id" params={{ id: selection.id }} fw={700} dir="auto">
            {selection.name}
          </AnchorLink>
          <Text size="sm" c="dimmed">
            {selection.level
              ? t(`communities.levels.${selection.level}`)
              : t("communities.kinds.functional")}
          </Text>
        </Stack>
      ) : null}
      {selection.kind === "resident" ? <ResidentSelection id={selection.id} /> : null}
      {selection.kind === "cluster" ? (
        <Text size="sm">
          {t("map.selection.cluster", {
            count: selection.count,
            formatted: formatNumber(selection.count, currentLocale()),
          })}
        </Text>
      ) : null}
    </Paper>
  );
}

/** A resident point carries only an id: the name comes from the residents API (read audited there). */
function ResidentSelection({ id }: { id: string }) {
  const { t } = useTranslation();
  const resident = useQuery(residentQuery(id));
  if (resident.isPending) return <PageLoader />;
  if (resident.isError) return <ErrorState error={resident.error} />;
  const r = resident.data;
  return (
    <Stack gap={4}>
      <AnchorLink to="/residents/$id" params={{ id }} fw={700} dir="auto">
        {`${r.firstName} ${r.lastName}`}
      </AnchorLink>
      <Group gap="xs">
        {r.phone ? (
          <Text size="sm" component="a" href={`tel:${r.phone}`} dir="ltr">
            {displayPhone(r.phone)}
          </Text>
        ) : null}
        {r.access === "full" && r.address.streetName ? (
          <Text size="sm" c="dimmed" dir="auto">
            {[r.address.streetName, r.address.houseNumber].filter(Boolean).join(" ")}
          </Text>
        ) : null}
      </Group>
      <Text size="xs" c="dimmed">
        {t("map.selection.resident")}
      </Text>
    </Stack>
  );
}
