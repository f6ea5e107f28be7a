import { useState } from "react";
import { Alert, Breadcrumbs, Button, Grid, Group, Stack, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Community, CommunityOverview } from "@kaveret/contracts";
import { ApiError, apiPost } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { LazyMapView } from "../map/lazy-map.tsx";
import { MapSelectionCard } from "../map/map-selection.tsx";
import { DEFAULT_LAYERS, type MapLayerToggles, type MapSelection } from "../map/map-types.ts";
import { communityQuery, overviewQuery } from "./communities.api.ts";
import { typeLabel } from "./community-labels.ts";
import { CommunityNeedsPanel } from "../needs/community-needs-panel.tsx";
import { canWorkNeeds } from "../needs/needs-access.ts";
import { useSession } from "../shell/session.tsx";
import {
  AboutSection,
  ActivitySection,
  AssetsSection,
  ContactsSection,
  FiguresSection,
  PeopleSection,
  Section,
  SubCommunitiesSection,
} from "./community-sections.tsx";

/**
 * The community page (journey 1): the one screen a community worker opens every
 * morning — map, profile figures, people, assets, sub-communities, recent activity.
 * One request brings everything but the map layers.
 */
export function CommunityPage() {
  const { id } = useParams({ from: "/app/communities/$id" });
  const overview = useQuery(overviewQuery(id));
  if (overview.isPending) return <PageLoader />;
  if (overview.isError) {
    return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />;
  }
  return <CommunityView key={id} overview={overview.data} />;
}

function CommunityView({ overview }: { overview: CommunityOverview }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const c = overview.community;
  const editable = overview.can.edit;
  const { roles } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const archiveOrRestore = async () => {
    setBusy(true);
    setError(null);
    try {
      const action = c.archived ? "restore" : "archive";
      const updated = await apiPost<Community>(`/api/communities/${c.id}/${action}`, {
        version: c.version,
      });
      queryClient.setQueryData(communityQuery(c.id).queryKey, updated);
      await queryClient.invalidateQueries({ queryKey: ["communities"] });
      notify(t(c.archived ? "community.restored" : "community.archivedDone"));
      setConfirming(false);
    } catch (err) {
      setError(err);
      setConfirming(false);
      if (err instanceof ApiError && err.code === "version_conflict") {
        void queryClient.invalidateQueries({ queryKey: overviewQuery(c.id).queryKey });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <Breadcrumbs separator="›" aria-label={t("community.breadcrumb")} component="nav">
        <AnchorLink to="/communities">{t("communities.title")}</AnchorLink>
        {c.parentId ? (
          <AnchorLink to="/communities/$id" params={{ id: c.parentId }}>
            {c.parentName ?? t("community.parent")}
          </AnchorLink>
        ) : null}
        <Text span aria-current="page">
          {c.name}
        </Text>
      </Breadcrumbs>
      <PageTitle
        actions={
          editable ? (
            <>
              <ButtonLink to="/communities/$id/edit" params={{ id: c.id }} variant="default">
                {t("app.edit")}
              </ButtonLink>
              {overview.can.archive ? (
                <Button
                  color={c.archived ? "honey" : "red"}
                  variant={c.archived ? "filled" : "outline"}
                  onClick={() => (c.archived ? void archiveOrRestore() : setConfirming(true))}
                  loading={busy && c.archived}
                >
                  {c.archived ? t("community.restore") : t("community.archive")}
                </Button>
              ) : null}
            </>
          ) : null
        }
      >
        {c.name}
      </PageTitle>
      <Group gap="xs" mt={-8}>
        <SoftBadge color={c.kind === "geographic" ? "blue" : "grape"}>{typeLabel(t, c)}</SoftBadge>
        <SoftBadge color={c.mode === "emergency" ? "red" : "green"}>
          {t(`mode.${c.mode}`)}
        </SoftBadge>
        {c.archived ? <SoftBadge color="gray">{t("communities.archivedBadge")}</SoftBadge> : null}
      </Group>
      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}

      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <MapSection overview={overview} />
            <FiguresSection overview={overview} />
            {overview.can.readResidents ? <PeopleSection overview={overview} /> : null}
            <AssetsSection overview={overview} />
            {canWorkNeeds(roles) ? <CommunityNeedsPanel communityId={c.id} /> : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <ContactsSection community={c} />
            <AboutSection community={c} />
            <SubCommunitiesSection overview={overview} editable={editable} />
            <ActivitySection overview={overview} />
          </Stack>
        </Grid.Col>
      </Grid>

      <AppModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t("community.archiveTitle", { name: c.name })}
      >
        <Stack gap="md">
          <Text>{t("community.archiveText")}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t("app.cancel")}
            </Button>
            <Button color="red" loading={busy} onClick={() => void archiveOrRestore()}>
              {t("community.archiveConfirm")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}

/** The community on the map: its boundary, what lies inside, and the residents the reader may see. */
function MapSection({ overview }: { overview: CommunityOverview }) {
  const { t } = useTranslation();
  const c = overview.community;
  const phone = useMediaQuery("(max-width: 48em)", false, { getInitialValueInEffect: false });
  const [layers, setLayers] = useState<MapLayerToggles>(DEFAULT_LAYERS);
  const [hiddenTypes, setHiddenTypes] = useState<string[]>([]);
  const [selection, setSelection] = useState<MapSelection | null>(null);
  return (
    <Section
      id="map-title"
      title={t("communityPage.map.title")}
      actions={
        <ButtonLink size="xs" variant="default" to="/map" search={{ communityId: c.id }}>
          {t("communityPage.map.open")}
        </ButtonLink>
      }
    >
      <Stack gap="sm">
        {!c.boundary && c.kind === "geographic" ? (
          <Text size="sm" c="dimmed">
            {t("communityPage.map.noBoundary")}
          </Text>
        ) : null}
        <LazyMapView
          label={t("communityPage.map.label", { name: c.name })}
          communityId={c.id}
          height={phone ? 280 : 380}
          layers={layers}
          onLayersChange={setLayers}
          hiddenTypes={hiddenTypes}
          onHiddenTypesChange={setHiddenTypes}
          residentsAllowed={overview.can.readResidents}
          onSelect={setSelection}
          legendInitiallyOpen={false}
        />
        {selection ? <MapSelectionCard selection={selection} /> : null}
      </Stack>
    </Section>
  );
}
