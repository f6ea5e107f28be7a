import { Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";

import { useTranslation } from "react-i18next";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { AnchorLink } from "../../components/links.tsx";
import type { Home } from "@kaveret/contracts";
import { apiGet } from "../../api/client.ts";
import { PageTitle } from "../../components/page-title.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatNumber } from "../../lib/format.ts";
import { useSession } from "../shell/session.tsx";

export function HomePage() {
  const { isResident } = useSession();
  return isResident ? <ResidentHome /> : <StaffHome />;
}

function ResidentHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <Stack gap="md" maw={640}>
      <PageTitle>{t("home.residentTitle", { name: me.user.name })}</PageTitle>
      <Text>{t("home.residentIntro")}</Text>
    </Stack>
  );
}

function StaffHome() {
  const { t } = useTranslation();
  const { scope } = useSession();
  const home = useQuery({
    queryKey: ["home", scope?.id],
    queryFn: ({ signal }) => apiGet<Home>("/api/home", undefined, signal),
  });
  const locale = currentLocale();

  return (
    <Stack gap="lg">
      <PageTitle>{t("home.title")}</PageTitle>
      {scope ? (
        <Text c="dimmed" mt={-12}>
          {scope.name}
        </Text>
      ) : null}
      {home.isPending ? <PageLoader /> : null}
      {home.isError ? <ErrorState error={home.error} onRetry={() => void home.refetch()} /> : null}
      {home.isSuccess ? (
        <>
          <section aria-labelledby="figures-title">
            <Title order={2} size="h4" id="figures-title" mb="sm">
              {t("home.figuresTitle")}
            </Title>
            {home.data.figures.length === 0 ? (
              <EmptyState title={t("home.noFigures")} />
            ) : (
              <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
                {home.data.figures.map((f) => (
                  <Paper key={f.key} withBorder p="md" radius="md">
                    <Text size="sm" c="dimmed" component="h3" m={0} fw={400}>
                      {t(`home.figures.${f.key}`)}
                    </Text>
                    {f.value === null ? (
                      <>
                        <Text fz={28} fw={700} aria-hidden>
                          {"<10"}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {t("home.hidden")}
                        </Text>
                      </>
                    ) : (
                      <Text fz={28} fw={700}>
                        {formatNumber(f.value, locale)}
                      </Text>
                    )}
                  </Paper>
                ))}
              </SimpleGrid>
            )}
            {home.data.figures.some((f) => f.value === null) ? (
              <Text size="sm" c="dimmed" mt="xs">
                {t("home.hiddenExplain")}
              </Text>
            ) : null}
          </section>
          <section aria-labelledby="recent-title">
            <Title order={2} size="h4" id="recent-title" mb="sm">
              {t("home.recent")}
            </Title>
            {home.data.recentCommunities.length === 0 ? (
              <EmptyState title={t("home.noRecent")} />
            ) : (
              <Paper withBorder p="md" radius="md">
                <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
                  {home.data.recentCommunities.map((c) => (
                    <Group key={c.id} component="li" gap="sm" wrap="nowrap">
                      <AnchorLink to="/communities/$id" params={{ id: c.id }}>
                        {c.name}
                      </AnchorLink>
                      {c.level ? (
                        <SoftBadge color="gray">
                          {t(`communities.levels.${c.level}`, { defaultValue: c.level })}
                        </SoftBadge>
                      ) : null}
                    </Group>
                  ))}
                </Stack>
              </Paper>
            )}
          </section>
        </>
      ) : null}
    </Stack>
  );
}
