import { Breadcrumbs, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { DuplicateDismissal, DuplicatePair } from "@kaveret/contracts";
import { api, apiPost } from "../../api/client.ts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { formatNumber } from "../../lib/format.ts";
import { currentLocale } from "../../i18n/index.ts";
import { addressLine, formatPhone, fullName } from "../residents/resident-labels.ts";
import { PAIRS_PAGE_SIZE, duplicatePairsQuery } from "./duplicates.api.ts";
import { likelihood } from "./merge-choices.ts";

type Person = DuplicatePair["a"];

/** A name inside a sentence keeps its own direction (FSI … PDI). */
const isolate = (text: string) => `\u2068${text}\u2069`;

/** The department's queue of likely duplicate records, best first. */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const search = useSearch({ from: "/app/residents/duplicates" });
  const navigate = useNavigate({ from: "/residents/duplicates" });
  const page = search.page ?? 1;
  const locale = currentLocale();
  const list = useQuery(duplicatePairsQuery(page));
  const totalPages = list.data ? Math.max(1, Math.ceil(list.data.total / PAIRS_PAGE_SIZE)) : 1;

  return (
    <Stack gap="md">
      <Breadcrumbs separator="›" aria-label={t("duplicates.breadcrumb")} component="nav">
        <AnchorLink to="/residents">{t("residents.title")}</AnchorLink>
        <Text span aria-current="page">
          {t("duplicates.title")}
        </Text>
      </Breadcrumbs>
      <PageTitle>{t("duplicates.title")}</PageTitle>
      <Text c="dimmed" maw="70ch" mt={-8}>
        {t("duplicates.intro")}
      </Text>

      {list.isPending ? <PageLoader /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess ? (
        <>
          {list.data.total > 0 ? (
            <Text size="sm" role="status" aria-live="polite">
              {t("duplicates.count", {
                count: list.data.total,
                formatted: formatNumber(list.data.total, locale),
              })}
            </Text>
          ) : null}
          {list.data.items.length === 0 ? (
            <EmptyState
              title={page > 1 ? t("duplicates.emptyPage") : t("duplicates.empty")}
              hint={page > 1 ? undefined : t("duplicates.emptyHint")}
              action={
                page > 1 ? (
                  <ButtonLink to="/residents/duplicates" search={{}} variant="default">
                    {t("duplicates.firstPage")}
                  </ButtonLink>
                ) : null
              }
            />
          ) : (
            <Stack
              component="ul"
              gap="sm"
              aria-label={t("duplicates.listLabel")}
              style={{
                listStyle: "none",
                padding: 0,
                margin: 0,
                opacity: list.isPlaceholderData ? 0.6 : 1,
              }}
            >
              {list.data.items.map((pair, i) => (
                <PairCard
                  key={`${pair.a.id}-${pair.b.id}`}
                  pair={pair}
                  headingId={`pair-${(page - 1) * PAIRS_PAGE_SIZE + i}`}
                />
              ))}
            </Stack>
          )}
          <Pager
            total={totalPages}
            value={page}
            onChange={(p) => void navigate({ search: { page: p > 1 ? p : undefined } })}
          />
        </>
      ) : null}
    </Stack>
  );
}

const notDuplicatePath = (a: string, b: string) =>
  `/api/residents/${encodeURIComponent(a)}/not-duplicate/${encodeURIComponent(b)}`;

/** "Not the same person", with an undo in the confirmation. */
function useNotDuplicate(pair: DuplicatePair) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["residents", "duplicates"] });
  const undo = useMutation({
    mutationFn: () =>
      api<DuplicateDismissal>(notDuplicatePath(pair.a.id, pair.b.id), { method: "DELETE" }),
    onSuccess: () => {
      notifications.show({ color: "green", message: t("duplicates.notSame.undone") });
      return refresh();
    },
    onError: () => notifications.show({ color: "red", message: t("duplicates.notSame.failed") }),
  });
  return useMutation({
    mutationFn: () => apiPost<DuplicateDismissal>(notDuplicatePath(pair.a.id, pair.b.id)),
    onSuccess: () => {
      const id = `not-same-${pair.a.id}-${pair.b.id}`;
      notifications.show({
        id,
        color: "green",
        autoClose: 10_000,
        closeButtonProps: { "aria-label": t("app.close") },
        message: (
          <Group gap="xs" justify="space-between" wrap="nowrap">
            <Text size="sm">
              {t("duplicates.notSame.done", {
                a: isolate(fullName(pair.a)),
                b: isolate(fullName(pair.b)),
              })}
            </Text>
            <Button
              size="compact-sm"
              variant="subtle"
              onClick={() => {
                notifications.hide(id);
                undo.mutate();
              }}
            >
              {t("duplicates.notSame.undo")}
            </Button>
          </Group>
        ),
      });
      return refresh();
    },
    onError: () => notifications.show({ color: "red", message: t("duplicates.notSame.failed") }),
  });
}

function PairCard({ pair, headingId }: { pair: DuplicatePair; headingId: string }) {
  const { t } = useTranslation();
  const level = likelihood(pair.score);
  const notSame = useNotDuplicate(pair);
  return (
    <Paper component="li" withBorder radius="md" p="md" data-testid="duplicate-pair">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={2} size="h5" id={headingId}>
            {t("duplicates.pairTitle", {
              a: isolate(fullName(pair.a)),
              b: isolate(fullName(pair.b)),
            })}
          </Title>
          <SoftBadge color={level === "high" ? "red" : level === "medium" ? "orange" : "gray"}>
            {t(`duplicates.likelihood.${level}`)}
          </SoftBadge>
        </Group>
        <Group
          component="ul"
          gap={6}
          aria-label={t("duplicates.reasonsLabel")}
          style={{ listStyle: "none", padding: 0, margin: 0 }}
        >
          {pair.reasons.map((reason) => (
            <li key={reason}>
              <SoftBadge color="yellow" tt="none">
                {t(`duplicates.reasons.${reason}`)}
              </SoftBadge>
            </li>
          ))}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Facts person={pair.a} other={pair.b} />
          <Facts person={pair.b} other={pair.a} />
        </SimpleGrid>
        <Group justify="flex-end" gap="xs">
          <Button
            variant="default"
            onClick={() => notSame.mutate()}
            loading={notSame.isPending}
            aria-describedby={headingId}
            data-testid="not-duplicate"
          >
            {t("duplicates.notSame.action")}
          </Button>
          <ButtonLink
            to="/residents/$id/merge/$otherId"
            params={{ id: pair.a.id, otherId: pair.b.id }}
            aria-describedby={headingId}
          >
            {t("duplicates.compare")}
          </ButtonLink>
        </Group>
      </Stack>
    </Paper>
  );
}

/** A person's key facts; what matches the other record is marked (in words, not only colour). */
function Facts({ person: p, other }: { person: Person; other: Person }) {
  const { t } = useTranslation();
  const address = addressLine(t, p.address);
  const sameAddress =
    p.address.streetId !== null &&
    p.address.streetId === other.address.streetId &&
    p.address.houseNumber === other.address.houseNumber;
  const rows: { label: string; value: React.ReactNode; same?: boolean }[] = [
    {
      label: t("duplicates.facts.phone"),
      value: p.phone ? (
        <span dir="ltr" style={{ unicodeBidi: "isolate" }}>
          {formatPhone(p.phone)}
        </span>
      ) : null,
      same: p.phone !== null && p.phone === other.phone,
    },
    { label: t("duplicates.facts.address"), value: address, same: sameAddress },
    { label: t("duplicates.facts.home"), value: p.homeCommunity?.name ?? null },
    {
      label: t("duplicates.facts.birthYear"),
      value: p.birthYear !== null ? String(p.birthYear) : null,
      same: p.birthYear !== null && p.birthYear === other.birthYear,
    },
  ];
  return (
    <Paper bg="gray.0" radius="sm" p="sm">
      <AnchorLink to="/residents/$id" params={{ id: p.id }} fw={700}>
        {fullName(p)}
      </AnchorLink>
      {p.otherNames ? (
        <Text size="sm" c="dimmed">
          <bdi>{p.otherNames}</bdi>
        </Text>
      ) : null}
      <Stack component="dl" gap={4} mt="xs" mb={0}>
        {rows.map((row) => (
          <Group key={row.label} gap={6} wrap="nowrap" align="baseline">
            <Text component="dt" size="sm" c="dimmed" miw={90}>
              {row.label}
            </Text>
            <Text component="dd" size="sm" m={0} fw={row.same ? 700 : undefined}>
              {row.value ?? t("duplicates.facts.none")}
              {row.same ? (
                <Text span size="xs" c="dimmed" fw={400}>
                  {" "}
                  ({t("duplicates.facts.same")})
                </Text>
              ) : null}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
