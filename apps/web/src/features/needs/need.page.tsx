import { useState } from "react";
import { Alert, Breadcrumbs, Button, Grid, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Need } from "@kaveret/contracts";
import { AppModal } from "../../components/app-modal.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { LazyPointPicker } from "../map/lazy-map.tsx";
import { EmailLink, PhoneLink } from "../residents/resident-rows.tsx";
import { canSeeCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { LazyNeedMap } from "./lazy-need-map.tsx";
import { NeedComments, NeedHistory } from "./need-activity.tsx";
import { StatusBadge, UrgencyBadge } from "./need-badges.tsx";
import { NeedDuplicates } from "./need-duplicates.tsx";
import { activeCategories, categoryName } from "./need-labels.ts";
import { NeedPhotos } from "./need-photos.tsx";
import { needAssigneesQuery, needCategoriesQuery, needQuery } from "./needs.api.ts";
import { TriagePanel } from "./triage-panel.tsx";
import { useNeedUpdate } from "./use-need-update.ts";

export function NeedPage() {
  const { id } = useParams({ from: "/app/needs/$id" });
  const need = useQuery(needQuery(id));
  if (need.isPending) return <PageLoader />;
  if (need.isError) return <ErrorState error={need.error} onRetry={() => void need.refetch()} />;
  return <NeedView need={need.data} />;
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed" component="dt">
        {label}
      </Text>
      <Text component="dd" m={0} style={{ overflowWrap: "anywhere" }}>
        {children}
      </Text>
    </Stack>
  );
}

function NeedView({ need }: { need: Need }) {
  const { t } = useTranslation();
  const { roles } = useSession();
  const locale = currentLocale();
  const categories = useQuery(needCategoriesQuery);
  const assignees = useQuery({ ...needAssigneesQuery, enabled: need.permissions.assign });
  const seesCommunities = canSeeCommunities(roles);
  const communities = useQuery({ ...parentOptionsQuery, enabled: seesCommunities });
  const nameOf = (code: string | null) => categoryName(t, code, categories.data?.items, locale);
  const communityData = communities.isSuccess
    ? communities.data.items.map((c) => ({
        value: c.id,
        label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
      }))
    : null;
  const title = t("needs.detail.title", { ref: need.reference });
  const editable = need.permissions.edit && need.mergedInto === null;

  return (
    <Stack gap="md">
      <Breadcrumbs separator="›" aria-label={t("needs.detail.breadcrumb")} component="nav">
        <AnchorLink to="/needs">{t("needs.queue.title")}</AnchorLink>
        <Text span aria-current="page" dir="ltr" style={{ unicodeBidi: "isolate" }}>
          {need.reference}
        </Text>
      </Breadcrumbs>
      <PageTitle>{title}</PageTitle>
      <Group gap="xs" mt={-8} wrap="wrap">
        <UrgencyBadge urgency={need.urgency} size="lg" />
        <StatusBadge status={need.status} size="lg" />
        <SoftBadge color="gray" tt="none" size="lg">
          {t(`needs.channel.${need.channel}`)}
        </SoftBadge>
        {need.spam ? (
          <SoftBadge color="red" tt="none" size="lg">
            {t("needs.queue.spamBadge")}
          </SoftBadge>
        ) : null}
      </Group>
      {need.mergedInto ? (
        <Alert color="blue" role="status">
          {t("needs.detail.mergedInto")}{" "}
          <AnchorLink to="/needs/$id" params={{ id: need.mergedInto.id }} dir="ltr">
            {need.mergedInto.reference}
          </AnchorLink>
        </Alert>
      ) : null}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="report-title">
              <Stack gap="sm">
                <Title order={2} size="h4" id="report-title">
                  {t("needs.detail.report")}
                </Title>
                <Text
                  dir="auto"
                  style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}
                  data-testid="need-description"
                >
                  {need.description}
                </Text>
                <Stack component="dl" gap="sm" m={0}>
                  <Field label={t("needs.detail.received")}>
                    {t("needs.detail.receivedVia", {
                      at: formatDateTime(need.createdAt, locale),
                      channel: t(`needs.channel.${need.channel}`),
                    })}
                  </Field>
                  <Field label={t("needs.detail.language")}>
                    {t(`languages.${need.language}`, { defaultValue: need.language })}
                  </Field>
                  <Field label={t("needs.field.community")}>
                    {need.community ? (
                      seesCommunities ? (
                        <AnchorLink to="/communities/$id" params={{ id: need.community.id }}>
                          {need.community.name}
                        </AnchorLink>
                      ) : (
                        need.community.name
                      )
                    ) : (
                      t("needs.detail.none")
                    )}
                  </Field>
                  <Field label={t("needs.field.resident")}>
                    {need.resident?.name ? (
                      <AnchorLink to="/residents/$id" params={{ id: need.resident.id }}>
                        {need.resident.name}
                      </AnchorLink>
                    ) : need.resident ? (
                      // Linked to a resident this reader may not see: no name, no link.
                      t("needs.detail.residentHidden")
                    ) : (
                      t("needs.detail.noResident")
                    )}
                  </Field>
                  {need.contact ? (
                    <Field label={t("needs.detail.contact")}>
                      <Group gap="md" wrap="wrap" component="span">
                        {need.contact.name ? <span dir="auto">{need.contact.name}</span> : null}
                        <PhoneLink phone={need.contact.phone} />
                        <EmailLink email={need.contact.email} />
                      </Group>
                    </Field>
                  ) : null}
                </Stack>
              </Stack>
            </Paper>

            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="photos-title">
              <Stack gap="sm">
                <Title order={2} size="h4" id="photos-title">
                  {t("needs.photos.heading")}
                </Title>
                <NeedPhotos need={need} canAdd={editable} />
              </Stack>
            </Paper>

            <LocationSection need={need} editable={editable} />
            <NeedComments
              need={need}
              canComment={need.mergedInto === null && need.permissions.edit}
            />
            <NeedHistory need={need} names={{ category: nameOf }} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <TriagePanel
              need={need}
              categories={activeCategories(categories.data?.items)}
              categoryName={nameOf}
              assignees={assignees.data}
              communities={communityData}
            />
            <NeedDuplicates need={need} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function LocationSection({ need, editable }: { need: Need; editable: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [point, setPoint] = useState(need.location);
  const update = useNeedUpdate(need);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="location-title">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h4" id="location-title">
            {t("needs.detail.location")}
          </Title>
          {editable ? (
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => {
                setPoint(need.location);
                setEditing(true);
              }}
            >
              {need.location ? t("needs.detail.moveLocation") : t("needs.detail.addLocation")}
            </Button>
          ) : null}
        </Group>
        {need.addressText ? <Text dir="auto">{need.addressText}</Text> : null}
        {need.location ? (
          <>
            <LazyNeedMap
              label={t("needs.detail.mapLabel", { ref: need.reference })}
              height={220}
              point={{ ...need.location, urgency: need.urgency }}
            />
          </>
        ) : !need.addressText ? (
          <Text size="sm" c="dimmed">
            {t("needs.detail.noLocation")}
          </Text>
        ) : null}
      </Stack>
      {editing ? (
        <AppModal
          opened
          size="lg"
          onClose={() => setEditing(false)}
          title={t("needs.detail.locationTitle")}
        >
          <Stack gap="sm">
            <LazyPointPicker
              label={t("needs.detail.location")}
              value={point}
              onChange={setPoint}
              height={260}
            />
            {update.error || update.conflict ? (
              <Alert color="red" role="alert">
                {update.conflict ? t("needs.triage.conflict") : errorMessage(t, update.error)}
              </Alert>
            ) : null}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setEditing(false)}>
                {t("app.cancel")}
              </Button>
              <Button
                loading={update.busy !== null}
                onClick={() =>
                  void update.save({ location: point }, "location").then((saved) => {
                    if (saved) setEditing(false);
                  })
                }
              >
                {t("app.save")}
              </Button>
            </Group>
          </Stack>
        </AppModal>
      ) : null}
    </Paper>
  );
}
