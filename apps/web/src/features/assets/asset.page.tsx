import { useState } from "react";
import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  List,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { OCCUPANCY_ASSET_TYPES, type Asset } from "@kaveret/contracts";
import { ApiError, apiPost } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { displayName, displayPhone, otherNames } from "./asset-labels.ts";
import { canSeeCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { AssetTypeLabel } from "./asset-type-icon.tsx";
import { assetQuery } from "./assets.api.ts";
import { OccupancyBar } from "./occupancy-bar.tsx";
import { displayTime, isOpenAt, israelTime, weekOf } from "./opening-hours.ts";

export function AssetPage() {
  const { id } = useParams({ from: "/app/assets/$id" });
  const asset = useQuery(assetQuery(id));
  if (asset.isPending) return <PageLoader />;
  if (asset.isError) {
    return <ErrorState error={asset.error} onRetry={() => void asset.refetch()} />;
  }
  return <AssetView asset={asset.data} />;
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed" component="dt">
        {label}
      </Text>
      <Text component="dd" m={0} style={{ whiteSpace: "pre-wrap" }}>
        {children}
      </Text>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

const tracksOccupancy = (a: Asset) =>
  (OCCUPANCY_ASSET_TYPES as readonly string[]).includes(a.type) || a.occupancy !== null;

function AssetView({ asset: a }: { asset: Asset }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { roles } = useSession();
  const locale = currentLocale();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const open = a.archived ? null : isOpenAt(a.openingHours, new Date());

  const archiveOrRestore = async () => {
    setBusy(true);
    setError(null);
    try {
      const action = a.archived ? "restore" : "archive";
      const updated = await apiPost<Asset>(`/api/assets/${a.id}/${action}`, {
        version: a.version,
      });
      queryClient.setQueryData(assetQuery(a.id).queryKey, updated);
      await queryClient.invalidateQueries({ queryKey: ["assets", "list"] });
      notify(t(a.archived ? "asset.restored" : "asset.archivedDone"));
      setConfirming(false);
    } catch (err) {
      setError(err);
      setConfirming(false);
      if (err instanceof ApiError && err.code === "version_conflict") {
        void queryClient.invalidateQueries({ queryKey: assetQuery(a.id).queryKey });
      }
    } finally {
      setBusy(false);
    }
  };

  const name = displayName(a, locale);
  const altNames = otherNames(a, locale);

  return (
    <Stack gap="md">
      <Breadcrumbs separator="›" aria-label={t("asset.breadcrumb")} component="nav">
        <AnchorLink to="/assets">{t("assets.title")}</AnchorLink>
        <Text span aria-current="page">
          {name}
        </Text>
      </Breadcrumbs>
      <PageTitle
        actions={
          a.canEdit ? (
            <>
              {!a.archived ? (
                <ButtonLink to="/assets/$id/edit" params={{ id: a.id }} variant="default">
                  {t("app.edit")}
                </ButtonLink>
              ) : null}
              <Button
                color={a.archived ? "honey" : "red"}
                variant={a.archived ? "filled" : "outline"}
                onClick={() => (a.archived ? void archiveOrRestore() : setConfirming(true))}
                loading={busy && a.archived}
              >
                {a.archived ? t("asset.restore") : t("asset.archive")}
              </Button>
            </>
          ) : null
        }
      >
        {name}
      </PageTitle>
      <Group gap="sm" mt={-8}>
        <AssetTypeLabel type={a.type} />
        {open === true ? <SoftBadge color="green">{t("assets.openNow")}</SoftBadge> : null}
        {open === false ? <SoftBadge color="gray">{t("assets.closedNow")}</SoftBadge> : null}
        {a.archived ? <SoftBadge color="gray">{t("assets.archivedBadge")}</SoftBadge> : null}
      </Group>
      {altNames.length ? (
        <Text size="sm" c="dimmed">
          {t("asset.alsoKnownAs", { names: altNames.join(" · ") })}
        </Text>
      ) : null}
      {error ? (
        <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
          {errorMessage(t, error)}
        </Alert>
      ) : null}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section title={t("asset.details")}>
          <Stack component="dl" gap="sm" m={0}>
            <Field label={t("asset.organization")}>{a.organization?.name ?? t("asset.none")}</Field>
            <Field label={t("asset.address")}>{a.address.display || t("asset.none")}</Field>
            <Field label={t("asset.community")}>
              {a.community && canSeeCommunities(roles) ? (
                <AnchorLink to="/communities/$id" params={{ id: a.community.id }}>
                  {a.community.name}
                </AnchorLink>
              ) : a.community ? (
                a.community.name
              ) : (
                t("asset.departmentWide")
              )}
            </Field>
            {a.languages.length ? (
              <Field label={t("asset.languages")}>
                {a.languages.map((l) => t(`assets.languages.${l}`)).join(", ")}
              </Field>
            ) : null}
            <Field label={t("asset.accessibility")}>{a.accessibility || t("asset.none")}</Field>
            {a.description ? <Field label={t("asset.description")}>{a.description}</Field> : null}
            <Field label={t("asset.updated")}>{formatDateTime(a.updatedAt, locale)}</Field>
          </Stack>
        </Section>

        <Stack gap="md">
          <Section title={t("asset.contact")}>
            {a.phone || a.email || a.website ? (
              <Stack component="dl" gap="sm" m={0}>
                {a.phone ? (
                  <Field label={t("asset.phone")}>
                    <Anchor href={`tel:${a.phone}`} dir="ltr">
                      {displayPhone(a.phone)}
                    </Anchor>
                  </Field>
                ) : null}
                {a.email ? (
                  <Field label={t("asset.email")}>
                    <Anchor href={`mailto:${a.email}`} dir="ltr">
                      {a.email}
                    </Anchor>
                  </Field>
                ) : null}
                {a.website ? (
                  <Field label={t("asset.website")}>
                    <Anchor href={a.website} target="_blank" rel="noopener noreferrer" dir="ltr">
                      {a.website.replace(/^https?:\/\//, "")}
                    </Anchor>
                  </Field>
                ) : null}
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                {t("asset.noContact")}
              </Text>
            )}
          </Section>

          {a.capacity !== null || tracksOccupancy(a) ? (
            <Section title={t("asset.capacity")}>
              {a.capacity !== null ? (
                a.occupancy !== null ? (
                  <OccupancyBar occupancy={a.occupancy} capacity={a.capacity} />
                ) : (
                  <Text>
                    {t("assets.capacityOf", {
                      count: a.capacity,
                      formatted: formatNumber(a.capacity, locale),
                    })}
                  </Text>
                )
              ) : (
                <Text size="sm">
                  {a.occupancy !== null
                    ? t("asset.occupancyOnly", { formatted: formatNumber(a.occupancy, locale) })
                    : t("asset.noCapacity")}
                </Text>
              )}
              {a.canEdit && !a.archived && tracksOccupancy(a) ? (
                <OccupancyForm key={a.version} asset={a} />
              ) : null}
            </Section>
          ) : null}
        </Stack>

        <Section title={t("asset.hours")}>
          <OpeningHoursTable asset={a} />
        </Section>

        <Section title={t("asset.services")}>
          {a.services.length ? (
            <List spacing={4}>
              {a.services.map((s) => (
                <List.Item key={s.id}>
                  <Group gap="xs">
                    <Text span>{s.name}</Text>
                    <SoftBadge color="blue">{t(`assets.categories.${s.category}`)}</SoftBadge>
                    {s.status !== "active" ? (
                      <SoftBadge color="gray">{t(`assets.serviceStatuses.${s.status}`)}</SoftBadge>
                    ) : null}
                  </Group>
                </List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm" c="dimmed">
              {t("asset.noServices")}
            </Text>
          )}
        </Section>
      </SimpleGrid>

      <AppModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t("asset.archiveTitle", { name })}
      >
        <Stack gap="md">
          <Text>{t("asset.archiveText")}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t("app.cancel")}
            </Button>
            <Button color="red" loading={busy} onClick={() => void archiveOrRestore()}>
              {t("asset.archiveConfirm")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}

function OpeningHoursTable({ asset: a }: { asset: Asset }) {
  const { t } = useTranslation();
  if (a.openingHours.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("asset.noHours")}
      </Text>
    );
  }
  const today = israelTime(new Date()).day;
  return (
    <Table withRowBorders={false} verticalSpacing={4} aria-label={t("asset.hours")}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t("asset.day")}</Table.Th>
          <Table.Th scope="col">{t("asset.hoursColumn")}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {weekOf(a.openingHours).map(({ day, rows }) => (
          <Table.Tr key={day} fw={day === today ? 700 : undefined}>
            <Table.Th scope="row" fw="inherit">
              {t(`assets.days.${day}`)}
              {day === today ? (
                <Text span size="xs" c="dimmed" ms={6}>
                  {t("asset.today")}
                </Text>
              ) : null}
            </Table.Th>
            <Table.Td>
              {rows.length ? (
                <Stack gap={0}>
                  {rows.map((r) => (
                    <span key={`${r.opens}-${r.closes}`}>
                      <span dir="ltr">
                        {displayTime(r.opens)}–{displayTime(r.closes)}
                      </span>
                      {r.note ? ` (${r.note})` : ""}
                    </span>
                  ))}
                </Stack>
              ) : (
                <Text span c="dimmed" size="sm">
                  {t("asset.closed")}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Quick live update for shelters and distribution points. */
function OccupancyForm({ asset: a }: { asset: Asset }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [value, setValue] = useState<number | string>(a.occupancy ?? 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      setError(new ApiError(400, "validation_failed", ""));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await apiPost<Asset>(`/api/assets/${a.id}/occupancy`, {
        occupancy: value,
        version: a.version,
      });
      queryClient.setQueryData(assetQuery(a.id).queryKey, updated);
      await queryClient.invalidateQueries({ queryKey: ["assets", "list"] });
      notify(t("asset.occupancySaved"));
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === "version_conflict") {
        void queryClient.invalidateQueries({ queryKey: assetQuery(a.id).queryKey });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} noValidate>
      <Group align="flex-end" gap="xs">
        <NumberInput
          label={t("asset.occupancyNow")}
          min={0}
          max={1_000_000}
          allowDecimal={false}
          allowNegative={false}
          inputMode="numeric"
          value={value}
          onChange={setValue}
          error={error ? errorMessage(t, error) : undefined}
          w={160}
        />
        <Button type="submit" loading={busy} variant="default">
          {t("asset.occupancyUpdate")}
        </Button>
      </Group>
    </form>
  );
}
