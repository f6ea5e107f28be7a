import { Group, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatNumber } from "../../lib/format.ts";
import { Section } from "../communities/community-sections.tsx";
import { UrgencyBadge, StatusBadge } from "./need-badges.tsx";
import { categoryName, excerpt } from "./need-labels.ts";
import { needCategoriesQuery, needListQuery } from "./needs.api.ts";

const SHOWN = 5;

/**
 * The open needs of one community (most urgent first) with the counts and a link to the
 * queue filtered to it. For the community page.
 */
export function CommunityNeedsPanel({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const list = useQuery(
    needListQuery({ communityId, open: "true", sort: "urgency", page: 1, pageSize: SHOWN }),
  );
  // The list's counts cover the reader's whole queue; the community's come from totals.
  const urgent = useQuery(
    needListQuery({ communityId, open: "true", urgency: "high,critical", page: 1, pageSize: 1 }),
  );
  const categories = useQuery(needCategoriesQuery);
  const nameOf = (code: string | null) => categoryName(t, code, categories.data?.items, locale);

  return (
    <Section
      id={`community-needs-${communityId}`}
      title={t("needs.community.title")}
      actions={
        <ButtonLink to="/needs/new" size="compact-sm" variant="default">
          {t("needs.queue.new")}
        </ButtonLink>
      }
    >
      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        <Stack gap="sm">
          <Text size="sm">
            {t("needs.community.counts", {
              open: formatNumber(list.data.total, locale),
              urgent: urgent.data ? formatNumber(urgent.data.total, locale) : "…",
            })}
          </Text>
          {list.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("needs.community.none")}
            </Text>
          ) : (
            <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {list.data.items.map((n) => (
                <li key={n.id}>
                  <Stack gap={2}>
                    <Group gap="xs" wrap="wrap">
                      <UrgencyBadge urgency={n.urgency} size="sm" />
                      <StatusBadge status={n.status} size="sm" />
                      <AnchorLink
                        to="/needs/$id"
                        params={{ id: n.id }}
                        fw={700}
                        size="sm"
                        dir="ltr"
                      >
                        {n.reference}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {nameOf(n.category)}
                      </Text>
                    </Group>
                    <Text size="sm" dir="auto">
                      {excerpt(n.description, 100)}
                    </Text>
                  </Stack>
                </li>
              ))}
            </Stack>
          )}
          <AnchorLink to="/needs" search={{ communityId }} size="sm">
            {t("needs.community.all", { n: formatNumber(list.data.total, locale) })}
          </AnchorLink>
        </Stack>
      ) : null}
    </Section>
  );
}
