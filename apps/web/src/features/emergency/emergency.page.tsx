import { useState } from "react";
import { Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { EmergencyModeResponse } from "@kaveret/contracts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime } from "../../lib/format.ts";
import { Board } from "./board.tsx";
import { useEmergencyMode } from "./emergency-banner.tsx";
import { emergencyListQuery } from "./emergency.api.ts";
import { emergencyLinks, modeLine } from "./emergency-labels.ts";
import { DeclareDialog } from "./manage-dialogs.tsx";

/*
 * /emergency — in routine: declaring (the manager) and past emergencies and drills; while
 * one is open: the situation board (board roles) or, for volunteers and social workers,
 * the way to their calls, help requests and their offer of help.
 */
export function EmergencyPage() {
  const { t } = useTranslation();
  const mode = useEmergencyMode();
  if (mode.isPending) return <PageLoader />;
  if (mode.isError) return <ErrorState error={mode.error} onRetry={() => void mode.refetch()} />;
  const m = mode.data;
  if (!m) {
    return (
      <Stack gap="md">
        <PageTitle>{t("emergency.title")}</PageTitle>
        <EmptyState title={t("emergency.notHere")} />
      </Stack>
    );
  }
  if (m.emergency && m.permissions.board) return <Board emergencyId={m.emergency.id} mode={m} />;
  if (m.emergency) return <CallerHome mode={m} />;
  return <Routine mode={m} />;
}

function Routine({ mode }: { mode: EmergencyModeResponse }) {
  const { t } = useTranslation();
  const [declaring, setDeclaring] = useState(false);
  return (
    <Stack gap="md" maw={960}>
      <PageTitle
        actions={
          mode.permissions.declare ? (
            <Button color="#9b1c1c" onClick={() => setDeclaring(true)} data-testid="declare-open">
              {t("emergency.declare.open")}
            </Button>
          ) : null
        }
      >
        {t("emergency.title")}
      </PageTitle>
      <Paper withBorder p="md" radius="md" bg="#ebfbee">
        <Group gap="xs">
          <SoftBadge color="green" tt="none">
            {t("mode.routine")}
          </SoftBadge>
          <Text size="sm">{t("emergency.routine")}</Text>
        </Group>
      </Paper>
      {mode.permissions.board ? <PastEmergencies /> : null}
      {mode.permissions.declare ? (
        <DeclareDialog opened={declaring} onClose={() => setDeclaring(false)} />
      ) : null}
    </Stack>
  );
}

function PastEmergencies() {
  const { t } = useTranslation();
  const locale = currentLocale();
  const list = useQuery(emergencyListQuery);
  return (
    <Stack gap="sm" component="section" aria-labelledby="past-title">
      <Title order={2} size="h4" id="past-title">
        {t("emergency.past.title")}
      </Title>
      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("emergency.past.none")}
        </Text>
      ) : null}
      {list.data?.items.map((e) => (
        <Paper key={e.id} withBorder p="sm" radius="md" data-testid="past-emergency">
          <Stack gap={4}>
            <Group justify="space-between" gap="xs" wrap="wrap">
              <AnchorLink to="/emergency/$id" params={{ id: e.id }} fw={700}>
                {e.title}
              </AnchorLink>
              <SoftBadge color={e.drill ? "yellow" : "red"} tt="none">
                {modeLine(t, e)}
              </SoftBadge>
            </Group>
            <Text size="sm" c="dimmed">
              <bdi dir="ltr">{formatDateTime(e.startedAt, locale)}</bdi>
              {e.closedAt ? (
                <>
                  {" – "}
                  <bdi dir="ltr">{formatDateTime(e.closedAt, locale)}</bdi>
                </>
              ) : null}
              {" · "}
              {e.communities.map((c) => c.name).join(", ")}
            </Text>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

/** Volunteers (and staff without the board): where their part of the work is. */
function CallerHome({ mode }: { mode: EmergencyModeResponse }) {
  const { t } = useTranslation();
  const links = emergencyLinks(mode);
  return (
    <Stack gap="md" maw={720}>
      <PageTitle>{mode.emergency?.title ?? t("emergency.title")}</PageTitle>
      <Text size="sm" c="dimmed" mt={-8}>
        {t("emergency.callerHome.intro")}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {links.calls ? (
          <HomeCard
            title={t("emergency.callerHome.calls")}
            text={t("emergency.callerHome.callsText")}
            link={
              <ButtonLink to="/emergency/calls">{t("emergency.callerHome.openCalls")}</ButtonLink>
            }
          />
        ) : null}
        {links.help ? (
          <HomeCard
            title={t("emergency.callerHome.help")}
            text={t("emergency.callerHome.helpText")}
            link={
              <ButtonLink to="/emergency/help" variant="light">
                {t("emergency.callerHome.openHelp")}
              </ButtonLink>
            }
          />
        ) : null}
        {links.offer ? (
          <HomeCard
            title={t("emergency.callerHome.offer")}
            text={t("emergency.callerHome.offerText")}
            link={
              <ButtonLink to="/emergency/offer" variant="light">
                {t("emergency.callerHome.openOffer")}
              </ButtonLink>
            }
          />
        ) : null}
      </SimpleGrid>
    </Stack>
  );
}

function HomeCard({ title, text, link }: { title: string; text: string; link: React.ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs" align="flex-start">
        <Title order={2} size="h4">
          {title}
        </Title>
        <Text size="sm">{text}</Text>
        {link}
      </Stack>
    </Paper>
  );
}
