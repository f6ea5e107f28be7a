import { Group, NativeSelect, Paper, SimpleGrid, Stack, Switch, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { HelpRequest } from "@kaveret/contracts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { excerpt } from "../needs/need-labels.ts";
import { useSession } from "../shell/session.tsx";
import { useEmergencyMode } from "./emergency-banner.tsx";
import { helpRequestsQuery } from "./emergency.api.ts";
import { emergencyLinks, helpCategoryName, isEmergencyStaff } from "./emergency-labels.ts";
import {
  HELP_CATEGORY_CODES,
  HELP_STATUS_CODES,
  helpListParams,
  type HelpSearch,
} from "./help-search.ts";

const PAGE_SIZE = 25;

export const HELP_STATUS_COLOR = {
  open: "red",
  claimed: "blue",
  completed: "green",
  cancelled: "gray",
} as const;
export const URGENCY_COLOR = { normal: "gray", high: "orange", critical: "red" } as const;

/** /emergency/help — help requests of the open emergency, filtered; volunteers see theirs and what their offer covers. */
export function HelpRequestsPage() {
  const { t } = useTranslation();
  const mode = useEmergencyMode();
  const search = useSearch({ from: "/app/emergency/help" });
  const navigate = useNavigate({ from: "/emergency/help" });
  const { roles } = useSession();
  const id = mode.data?.emergency?.id ?? null;
  const list = useQuery({
    ...helpRequestsQuery(id ?? "", helpListParams(search, PAGE_SIZE)),
    enabled: id !== null,
  });
  const staff = isEmergencyStaff(roles);
  const links = emergencyLinks(mode.data);

  const set = (patch: Partial<HelpSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...patch }), replace: true });

  if (mode.isPending) return <PageLoader />;
  if (!id) {
    return (
      <Stack gap="md">
        <PageTitle>{t("emergency.help.title")}</PageTitle>
        <EmptyState title={t("emergency.calls.noEmergency")} />
      </Stack>
    );
  }
  const totalPages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;

  return (
    <Stack gap="md" maw={960}>
      <PageTitle
        actions={
          links.offer ? (
            <ButtonLink to="/emergency/offer" variant="light">
              {t("emergency.help.myOffer")}
            </ButtonLink>
          ) : null
        }
      >
        {t("emergency.help.title")}
      </PageTitle>
      {!staff ? (
        <Text size="sm" c="dimmed" mt={-8}>
          {t("emergency.help.volunteerIntro")}
        </Text>
      ) : null}
      <Paper
        withBorder
        p="sm"
        radius="md"
        component="section"
        aria-label={t("emergency.help.filters")}
      >
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" style={{ alignItems: "end" }}>
          <NativeSelect
            label={t("emergency.help.status")}
            value={search.status ?? "active"}
            data={["active", ...HELP_STATUS_CODES, "all"].map((s) => ({
              value: s,
              label: t(`emergency.help.statuses.${s}`),
            }))}
            onChange={(e) =>
              set({
                status: e.currentTarget.value === "active" ? undefined : e.currentTarget.value,
              })
            }
          />
          <NativeSelect
            label={t("emergency.help.category")}
            value={search.category ?? ""}
            data={[
              { value: "", label: t("emergency.help.allCategories") },
              ...HELP_CATEGORY_CODES.map((c) => ({ value: c, label: helpCategoryName(t, c) })),
            ]}
            onChange={(e) => {
              const v = e.currentTarget.value;
              set({ category: HELP_CATEGORY_CODES.find((c) => c === v) });
            }}
          />
          <Switch
            label={t("emergency.help.mine")}
            checked={search.mine ?? false}
            onChange={(e) => set({ mine: e.currentTarget.checked || undefined })}
            mb={8}
          />
        </SimpleGrid>
      </Paper>
      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.items.length === 0 ? (
        <EmptyState
          title={t("emergency.help.none")}
          hint={!staff ? t("emergency.help.noneVolunteer") : undefined}
        />
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <Stack gap="sm" data-testid="help-list">
          <Text size="sm" c="dimmed">
            {t("emergency.help.count", { n: list.data.total })}
          </Text>
          {list.data.items.map((h) => (
            <HelpCard key={h.id} help={h} />
          ))}
        </Stack>
      ) : null}
      <Pager
        total={totalPages}
        value={search.page ?? 1}
        onChange={(page) => set({ page: page > 1 ? page : undefined })}
      />
    </Stack>
  );
}

export function HelpCard({ help: h }: { help: HelpRequest }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Paper withBorder p="sm" radius="md" component="article" data-testid="help-card">
      <Stack gap={4}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <AnchorLink to="/emergency/help/$id" params={{ id: h.id }} fw={700}>
            {`${helpCategoryName(t, h.category)} · ${h.reference}`}
          </AnchorLink>
          <Group gap={4}>
            <SoftBadge color={URGENCY_COLOR[h.urgency]} tt="none">
              {t(`emergency.urgency.${h.urgency}`)}
            </SoftBadge>
            <SoftBadge color={HELP_STATUS_COLOR[h.status]} tt="none">
              {t(`emergency.help.statuses.${h.status}`)}
            </SoftBadge>
          </Group>
        </Group>
        {h.description ? (
          <Text size="sm" dir="auto">
            {excerpt(h.description, 160)}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          {[
            h.resident?.name,
            h.community?.name,
            h.distanceMeters !== null
              ? t("emergency.help.distance", {
                  km: formatNumber(Math.round(h.distanceMeters / 100) / 10, locale),
                })
              : null,
            h.claimedBy ? t("emergency.help.claimedBy", { name: h.claimedBy.name }) : null,
            t(`emergency.help.sources.${h.source}`),
          ]
            .filter(Boolean)
            .join(" · ")}
          {" · "}
          <bdi dir="ltr">{formatDateTime(h.createdAt, locale)}</bdi>
        </Text>
      </Stack>
    </Paper>
  );
}
