import { useState } from "react";
import {
  Alert,
  Breadcrumbs,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { notify } from "../../lib/notify.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import type { Community } from "@kaveret/contracts";
import { ApiError, apiPost } from "../../api/client.ts";
import { PageTitle } from "../../components/page-title.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { canEditCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { communityListQuery, communityQuery } from "./communities.api.ts";
import { typeLabel } from "./community-labels.ts";

export function CommunityPage() {
  const { id } = useParams({ from: "/app/communities/$id" });
  const community = useQuery(communityQuery(id));
  if (community.isPending) return <PageLoader />;
  if (community.isError) {
    return <ErrorState error={community.error} onRetry={() => void community.refetch()} />;
  }
  return <CommunityView community={community.data} />;
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed" component="dt">
        {label}
      </Text>
      <Text component="dd" m={0}>
        {children}
      </Text>
    </Stack>
  );
}

function CommunityView({ community: c }: { community: Community }) {
  const { t } = useTranslation();
  const { roles } = useSession();
  const queryClient = useQueryClient();
  const locale = currentLocale();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const editable = canEditCommunities(roles);
  const children = useQuery(
    communityListQuery({ parentId: c.id, archived: "active", pageSize: 100 }),
  );

  const archiveOrRestore = async () => {
    setBusy(true);
    setError(null);
    try {
      const action = c.archived ? "restore" : "archive";
      const updated = await apiPost<Community>(`/api/communities/${c.id}/${action}`, {
        version: c.version,
      });
      queryClient.setQueryData(communityQuery(c.id).queryKey, updated);
      await queryClient.invalidateQueries({ queryKey: ["communities", "list"] });
      notify(t(c.archived ? "community.restored" : "community.archivedDone"));
      setConfirming(false);
    } catch (err) {
      setError(err);
      setConfirming(false);
      if (err instanceof ApiError && err.code === "version_conflict") {
        void queryClient.invalidateQueries({ queryKey: communityQuery(c.id).queryKey });
      }
    } finally {
      setBusy(false);
    }
  };

  const altNames = Object.entries(c.altNames).filter(([, v]) => v);

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
              {!c.archived ? (
                <ButtonLink to="/communities/new" search={{ parentId: c.id }} variant="default">
                  {t("community.addSub")}
                </ButtonLink>
              ) : null}
              <Button
                color={c.archived ? "honey" : "red"}
                variant={c.archived ? "filled" : "outline"}
                onClick={() => (c.archived ? void archiveOrRestore() : setConfirming(true))}
                loading={busy && c.archived}
              >
                {c.archived ? t("community.restore") : t("community.archive")}
              </Button>
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
      <Paper withBorder p="md" radius="md">
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="md" m={0}>
          <Field label={t("community.parent")}>
            {c.parentId ? (
              <AnchorLink to="/communities/$id" params={{ id: c.parentId }}>
                {c.parentName ?? c.parentId}
              </AnchorLink>
            ) : (
              t("community.noParent")
            )}
          </Field>
          <Field label={t("community.population")}>
            {c.population === null
              ? t("community.unknown")
              : t("communities.residents", {
                  count: c.population,
                  formatted: formatNumber(c.population, locale),
                })}
          </Field>
          <Field label={t("community.languages")}>
            {c.languages.length === 0
              ? t("community.unknown")
              : c.languages.map((l) => t(`languages.${l}`, { defaultValue: l })).join(", ")}
          </Field>
          <Field label={t("community.boundary")}>
            {c.boundary ? t("community.boundaryYes") : t("community.boundaryNo")}
          </Field>
          {altNames.length > 0 ? (
            <Field label={t("communityForm.altNames")}>
              {altNames.map(([lang, name]) => (
                <span key={lang} lang={lang} dir="auto" style={{ display: "block" }}>
                  {name}
                </span>
              ))}
            </Field>
          ) : null}
          <Field label={t("community.updated")}>
            <bdi dir="ltr">{formatDateTime(c.updatedAt, locale)}</bdi>
          </Field>
        </SimpleGrid>
        {c.description ? (
          <Stack gap={2} mt="md">
            <Text size="sm" c="dimmed">
              {t("communityForm.description")}
            </Text>
            <Text style={{ whiteSpace: "pre-wrap" }}>{c.description}</Text>
          </Stack>
        ) : null}
        {c.kind === "functional" && c.membershipCriteria ? (
          <Stack gap={2} mt="md">
            <Text size="sm" c="dimmed">
              {t("communityForm.criteria")}
            </Text>
            <Text style={{ whiteSpace: "pre-wrap" }}>{c.membershipCriteria}</Text>
          </Stack>
        ) : null}
      </Paper>

      <section aria-labelledby="sub-title">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="sub-title">
            {t("community.subCommunities")}
          </Title>
        </Group>
        {children.isPending ? <PageLoader /> : null}
        {children.isError ? (
          <ErrorState error={children.error} onRetry={() => void children.refetch()} />
        ) : null}
        {children.isSuccess && children.data.items.length === 0 ? (
          <EmptyState title={t("community.noSub")} />
        ) : null}
        {children.isSuccess && children.data.items.length > 0 ? (
          <Paper withBorder p="md" radius="md">
            <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {children.data.items.map((s) => (
                <Group key={s.id} component="li" gap="sm" data-testid="community-row">
                  <AnchorLink to="/communities/$id" params={{ id: s.id }}>
                    {s.name}
                  </AnchorLink>
                  <SoftBadge color="gray">{typeLabel(t, s)}</SoftBadge>
                </Group>
              ))}
            </Stack>
          </Paper>
        ) : null}
      </section>

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
