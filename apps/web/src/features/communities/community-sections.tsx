import { useState } from "react";
import {
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  ASSET_TYPES,
  VULNERABILITY_FLAGS,
  type AssetType,
  type Community,
  type CommunityOverview,
} from "@kaveret/contracts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { AssetTypeIcon } from "../assets/asset-type-icon.tsx";
import { assetTypeLabel } from "../assets/asset-types.ts";
import { FiguresDialog } from "./figures-dialog.tsx";
import { formatFigure, indicatorLabel, sortFigures } from "./figure-labels.ts";
import { displayPhone, sourceLabel } from "./display.ts";

const isAssetType = (v: string): v is AssetType => (ASSET_TYPES as readonly string[]).includes(v);

/** A titled card; the title names the section for screen readers. */
export function Section({
  id,
  title,
  actions,
  children,
}: {
  id: string;
  title: string;
  actions?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
      <Group justify="space-between" align="center" mb="sm" gap="xs">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {actions ? <Group gap="xs">{actions}</Group> : null}
      </Group>
      {children}
    </Paper>
  );
}

function Stat({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <Stack gap={0} component="div">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" style={{ fontVariantNumeric: "tabular-nums" }}>
        {value}
      </Text>
      {note ? (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Profile figures (latest period of each indicator) and the residents Kaveret knows. */
export function FiguresSection({ overview }: { overview: CommunityOverview }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const [editing, setEditing] = useState(false);
  const { community: c, figures, counts, can } = overview;
  const hasPopulationFigure = figures.some((f) => f.indicator === "population");
  const flags = counts.flags ? VULNERABILITY_FLAGS.filter((f) => (counts.flags?.[f] ?? 0) > 0) : [];
  return (
    <Section
      id="figures-title"
      title={t("communityPage.figures.title")}
      actions={
        can.writeFigures ? (
          <>
            <Button size="xs" variant="default" onClick={() => setEditing(true)}>
              {t("communityPage.figures.edit")}
            </Button>
            <Button
              size="xs"
              variant="subtle"
              component="a"
              href={`/imports/new?entity=community_figures&communityId=${c.id}`}
            >
              {t("communityPage.figures.import")}
            </Button>
          </>
        ) : null
      }
    >
      {figures.length === 0 && c.population === null ? (
        <Text size="sm" c="dimmed">
          {t("communityPage.figures.empty")}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" verticalSpacing="sm">
          {!hasPopulationFigure && c.population !== null ? (
            <Stat
              label={t("communityPage.indicators.population")}
              value={formatNumber(c.population, locale)}
              note={t("communityPage.figures.estimate")}
            />
          ) : null}
          {sortFigures(figures).map((f) => (
            <Stat
              key={f.indicator}
              label={indicatorLabel(t, f.indicator)}
              value={formatFigure(t, f, locale)}
              note={t("communityPage.figures.periodSource", {
                period: f.period,
                source: sourceLabel(t, f.source),
              })}
            />
          ))}
        </SimpleGrid>
      )}
      {can.readResidents && !overview.countsReady ? (
        <Group gap="xs" mt="md" role="status">
          <Loader size="xs" aria-hidden />
          <Text size="sm" c="dimmed">
            {t("communityPage.known.counting")}
          </Text>
        </Group>
      ) : null}
      {can.readResidents && overview.countsReady ? (
        <Stack gap="xs" mt="md">
          <Title order={3} size="h6">
            {t("communityPage.known.title")}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="xs">
            <Stat
              label={t("communityPage.known.residents")}
              value={formatNumber(counts.residents, locale)}
            />
            <Stat
              label={t("communityPage.known.households")}
              value={formatNumber(counts.households, locale)}
            />
            <Stat
              label={t("communityPage.known.listed")}
              value={formatNumber(counts.listedToActivists, locale)}
            />
            <Stat
              label={t("communityPage.known.withLocation")}
              value={formatNumber(counts.withLocation, locale)}
            />
          </SimpleGrid>
          {flags.length > 0 ? (
            <Group
              component="ul"
              gap={6}
              m={0}
              p={0}
              style={{ listStyle: "none" }}
              aria-label={t("communityPage.known.flags")}
            >
              {flags.map((f) => (
                <li key={f}>
                  <SoftBadge color="orange">
                    {`${t(`residents.flags.${f}`)}: ${formatNumber(counts.flags?.[f] ?? 0, locale)}`}
                  </SoftBadge>
                </li>
              ))}
            </Group>
          ) : null}
          {counts.flags === null ? (
            <Text size="xs" c="dimmed">
              {t("communityPage.known.scoped")}
            </Text>
          ) : null}
        </Stack>
      ) : null}
      {can.writeFigures ? (
        <FiguresDialog communityId={c.id} opened={editing} onClose={() => setEditing(false)} />
      ) : null}
    </Section>
  );
}

/** Up to ten people the reader may see, and the way to all of them. */
export function PeopleSection({ overview }: { overview: CommunityOverview }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const { people, counts, community: c } = overview;
  return (
    <Section
      id="people-title"
      title={t("communityPage.people.title")}
      actions={
        counts.residents > 0 || !overview.countsReady ? (
          <ButtonLink size="xs" variant="default" to="/residents" search={{ communityId: c.id }}>
            {!overview.countsReady
              ? t("communityPage.people.list")
              : t("communityPage.people.all", {
                  count: counts.residents,
                  formatted: formatNumber(counts.residents, locale),
                })}
          </ButtonLink>
        ) : null
      }
    >
      {people.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("communityPage.people.empty")}
        </Text>
      ) : (
        <Stack component="ul" gap={6} m={0} p={0} style={{ listStyle: "none" }}>
          {people.map((p) => (
            <Group key={p.id} component="li" gap="xs" justify="space-between" wrap="nowrap">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <AnchorLink to="/residents/$id" params={{ id: p.id }} fw={600} dir="auto">
                  {`${p.firstName} ${p.lastName}`}
                </AnchorLink>
                {p.access === "full" && p.address.streetName ? (
                  <Text size="xs" c="dimmed" truncate dir="auto">
                    {[p.address.streetName, p.address.houseNumber].filter(Boolean).join(" ")}
                  </Text>
                ) : null}
              </Stack>
              {p.phone ? (
                <Anchor href={`tel:${p.phone}`} size="sm" dir="ltr" style={{ flex: "none" }}>
                  {displayPhone(p.phone)}
                </Anchor>
              ) : null}
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** Assets of the community: counts by type and the first ten. */
export function AssetsSection({ overview }: { overview: CommunityOverview }) {
  const { t } = useTranslation();
  const { assets, counts, community: c } = overview;
  const byType = Object.entries(counts.assetsByType).filter(([type]) => isAssetType(type)) as [
    AssetType,
    number,
  ][];
  const total = Object.values(counts.assetsByType).reduce((s, n) => s + n, 0);
  return (
    <Section
      id="assets-title"
      title={t("communityPage.assets.title")}
      actions={
        total > 0 ? (
          <ButtonLink size="xs" variant="default" to="/assets" search={{ communityId: c.id }}>
            {t("communityPage.assets.all", { count: total })}
          </ButtonLink>
        ) : null
      }
    >
      {assets.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("communityPage.assets.empty")}
        </Text>
      ) : (
        <Stack gap="sm">
          <Group gap={6}>
            {byType.map(([type, n]) => (
              <SoftBadge key={type} color="gray">
                {`${assetTypeLabel(t, type)} · ${n}`}
              </SoftBadge>
            ))}
          </Group>
          <Stack component="ul" gap={6} m={0} p={0} style={{ listStyle: "none" }}>
            {assets.map((a) => (
              <Group key={a.id} component="li" gap="xs" wrap="nowrap">
                {isAssetType(a.type) ? <AssetTypeIcon type={a.type} size={24} /> : null}
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <AnchorLink to="/assets/$id" params={{ id: a.id }} fw={600} dir="auto">
                    {a.name}
                  </AnchorLink>
                  <Text size="xs" c="dimmed" truncate>
                    {isAssetType(a.type) ? assetTypeLabel(t, a.type) : a.type}
                    {a.address ? (
                      <>
                        {" · "}
                        <bdi>{a.address}</bdi>
                      </>
                    ) : null}
                  </Text>
                </Stack>
              </Group>
            ))}
          </Stack>
        </Stack>
      )}
    </Section>
  );
}

/** Description, languages, notes, statistical area, names in other languages. */
export function AboutSection({ community: c }: { community: Community }) {
  const { t } = useTranslation();
  const altNames = Object.entries(c.altNames).filter(([, v]) => v);
  const rows: [string, React.ReactNode][] = [];
  if (c.languages.length) {
    rows.push([
      t("community.languages"),
      c.languages.map((l) => t(`languages.${l}`, { defaultValue: l })).join(", "),
    ]);
  }
  if (altNames.length) {
    rows.push([
      t("communityForm.altNames"),
      altNames.map(([lang, name]) => (
        <span key={lang} lang={lang} dir="auto" style={{ display: "block" }}>
          {name}
        </span>
      )),
    ]);
  }
  if (c.statAreaCode)
    rows.push([t("communityPage.about.statArea"), <bdi dir="ltr">{c.statAreaCode}</bdi>]);
  rows.push([
    t("community.updated"),
    <bdi dir="ltr">{formatDateTime(c.updatedAt, currentLocale())}</bdi>,
  ]);
  return (
    <Section id="about-title" title={t("communityPage.about.title")}>
      <Stack gap="sm">
        {c.description ? (
          <Text style={{ whiteSpace: "pre-wrap" }} dir="auto">
            {c.description}
          </Text>
        ) : null}
        {c.kind === "functional" && c.membershipCriteria ? (
          <Stack gap={2}>
            <Text size="sm" c="dimmed">
              {t("communityForm.criteria")}
            </Text>
            <Text style={{ whiteSpace: "pre-wrap" }} dir="auto">
              {c.membershipCriteria}
            </Text>
          </Stack>
        ) : null}
        <SimpleGrid component="dl" cols={{ base: 1, xs: 2 }} spacing="sm" m={0}>
          {rows.map(([label, value]) => (
            <Stack key={label} gap={0}>
              <Text size="sm" c="dimmed" component="dt">
                {label}
              </Text>
              <Text component="dd" m={0}>
                {value}
              </Text>
            </Stack>
          ))}
        </SimpleGrid>
        <Stack gap={2}>
          <Text size="sm" c="dimmed" fw={600}>
            {t("communityPage.about.notes")}
          </Text>
          {c.notes ? (
            <Text style={{ whiteSpace: "pre-wrap" }} dir="auto">
              {c.notes}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              {t("communityPage.about.noNotes")}
            </Text>
          )}
        </Stack>
      </Stack>
    </Section>
  );
}

export function ContactsSection({ community: c }: { community: Community }) {
  const { t } = useTranslation();
  return (
    <Section id="contacts-title" title={t("communityPage.contacts.title")}>
      {c.keyContacts.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("communityPage.contacts.empty")}
        </Text>
      ) : (
        <Stack component="ul" gap="sm" m={0} p={0} style={{ listStyle: "none" }}>
          {c.keyContacts.map((k, i) => (
            <Stack key={`${k.name}-${i}`} component="li" gap={0}>
              <Text fw={600} dir="auto">
                {k.name}
              </Text>
              <Text size="sm" c="dimmed" dir="auto">
                {k.role}
              </Text>
              <Group gap="md">
                {k.phone ? (
                  <Anchor href={`tel:${k.phone}`} size="sm" dir="ltr">
                    {displayPhone(k.phone)}
                  </Anchor>
                ) : null}
                {k.email ? (
                  <Anchor href={`mailto:${k.email}`} size="sm" dir="ltr">
                    {k.email}
                  </Anchor>
                ) : null}
              </Group>
            </Stack>
          ))}
        </Stack>
      )}
    </Section>
  );
}

export function SubCommunitiesSection({
  overview,
  editable,
}: {
  overview: CommunityOverview;
  editable: boolean;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const { subCommunities, community: c, can } = overview;
  return (
    <Section
      id="sub-title"
      title={t("community.subCommunities")}
      actions={
        editable && !c.archived ? (
          <ButtonLink size="xs" variant="default" to="/communities/new" search={{ parentId: c.id }}>
            {t("community.addSub")}
          </ButtonLink>
        ) : null
      }
    >
      {subCommunities.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("community.noSub")}
        </Text>
      ) : (
        <Stack component="ul" gap={6} m={0} p={0} style={{ listStyle: "none" }}>
          {subCommunities.map((s) => (
            <Group
              key={s.id}
              component="li"
              gap="xs"
              justify="space-between"
              wrap="nowrap"
              data-testid="community-row"
            >
              <Stack gap={0} style={{ minWidth: 0 }}>
                <AnchorLink to="/communities/$id" params={{ id: s.id }} fw={600} dir="auto">
                  {s.name}
                </AnchorLink>
                <Text size="xs" c="dimmed">
                  {s.level ? t(`communities.levels.${s.level}`) : t(`communities.kinds.${s.kind}`)}
                </Text>
              </Stack>
              {can.readResidents && overview.countsReady ? (
                <Text size="sm" c="dimmed" style={{ flex: "none" }}>
                  {t("communities.residents", {
                    count: s.residents,
                    formatted: formatNumber(s.residents, locale),
                  })}
                </Text>
              ) : null}
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

export function ActivitySection({ overview }: { overview: CommunityOverview }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Section id="activity-title" title={t("communityPage.activity.title")}>
      {overview.activity.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("communityPage.activity.empty")}
        </Text>
      ) : (
        <Stack component="ol" gap={8} m={0} p={0} style={{ listStyle: "none" }}>
          {overview.activity.map((a) => (
            <Stack key={a.id} component="li" gap={0}>
              <Text size="sm">
                {t(`communityPage.actions.${a.action.replace(/\./g, "_")}`, {
                  defaultValue: t("communityPage.activity.generic", {
                    entity: t(`communityPage.entities.${a.entityType}`, {
                      defaultValue: a.entityType,
                    }),
                  }),
                })}
              </Text>
              <Text size="xs" c="dimmed">
                {a.actorName ?? t("communityPage.activity.system")} ·{" "}
                <bdi dir="ltr">{formatDateTime(a.at, locale)}</bdi>
              </Text>
            </Stack>
          ))}
        </Stack>
      )}
    </Section>
  );
}
