import { Checkbox, Group, Paper, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { NeedListItem } from "@kaveret/contracts";
import { AnchorLink } from "../../components/links.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime } from "../../lib/format.ts";
import { CategoryLabel, StatusBadge, UrgencyBadge } from "./need-badges.tsx";
import { excerpt } from "./need-labels.ts";

export interface RowsProps {
  items: NeedListItem[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (on: boolean) => void;
  categoryName: (code: string | null) => string;
  /** Whether rows can be chosen for bulk actions. */
  selectable: boolean;
}

function RefLink({ n }: { n: NeedListItem }) {
  return (
    <AnchorLink
      to="/needs/$id"
      params={{ id: n.id }}
      fw={700}
      dir="ltr"
      style={{ unicodeBidi: "isolate" }}
    >
      {n.reference}
    </AnchorLink>
  );
}

function Extras({ n }: { n: NeedListItem }) {
  const { t } = useTranslation();
  const badges: React.ReactNode[] = [];
  if (n.spam)
    badges.push(
      <SoftBadge key="spam" color="red" tt="none">
        {t("needs.queue.spamBadge")}
      </SoftBadge>,
    );
  if (n.attachmentCount > 0)
    badges.push(
      <SoftBadge key="photos" color="gray" tt="none">
        {t("needs.queue.photos", { n: n.attachmentCount })}
      </SoftBadge>,
    );
  if (n.hasLocation)
    badges.push(
      <SoftBadge key="loc" color="gray" tt="none">
        {t("needs.queue.onMap")}
      </SoftBadge>,
    );
  if (n.hasResident)
    badges.push(
      <SoftBadge key="res" color="teal" tt="none">
        {t("needs.queue.linkedResident")}
      </SoftBadge>,
    );
  if (!n.category && n.suggestedCategory)
    badges.push(
      <SoftBadge key="sug" color="grape" tt="none">
        {t("needs.queue.hasSuggestion")}
      </SoftBadge>,
    );
  return badges.length ? (
    <Group gap={4} wrap="wrap">
      {badges}
    </Group>
  ) : null;
}

/** Cards, one per need: the queue at phone width. */
export function NeedCards({ items, selected, onToggle, categoryName, selectable }: RowsProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Stack
      component="ul"
      gap="xs"
      style={{ listStyle: "none", padding: 0, margin: 0 }}
      aria-label={t("needs.queue.listLabel")}
    >
      {items.map((n) => (
        <Paper
          key={n.id}
          component="li"
          withBorder
          p="sm"
          radius="md"
          data-testid="need-row"
          data-urgency={n.urgency}
        >
          <Group align="flex-start" wrap="nowrap" gap="sm">
            {selectable ? (
              <Checkbox
                mt={4}
                checked={selected.has(n.id)}
                onChange={() => onToggle(n.id)}
                aria-label={t("needs.queue.select", { ref: n.reference })}
              />
            ) : null}
            <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
              <Group gap="xs" wrap="wrap">
                <UrgencyBadge urgency={n.urgency} />
                <StatusBadge status={n.status} />
                <RefLink n={n} />
              </Group>
              <Text size="sm" dir="auto" style={{ overflowWrap: "anywhere" }}>
                {excerpt(n.description, 160)}
              </Text>
              <CategoryLabel code={n.category} name={categoryName(n.category)} />
              <Text size="xs" c="dimmed">
                {[
                  n.community?.name,
                  n.assignee
                    ? t("needs.queue.assignedTo", { name: n.assignee.name })
                    : t("needs.queue.unassigned"),
                  t(`needs.channel.${n.channel}`),
                  formatDateTime(n.createdAt, locale),
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </Text>
              <Extras n={n} />
            </Stack>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

/** The queue as a table on wide screens. */
export function NeedTable({
  items,
  selected,
  onToggle,
  onToggleAll,
  categoryName,
  selectable,
}: RowsProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const all = items.length > 0 && items.every((n) => selected.has(n.id));
  const some = items.some((n) => selected.has(n.id));
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table
        striped
        highlightOnHover
        verticalSpacing="xs"
        data-testid="needs-table"
        aria-label={t("needs.queue.listLabel")}
      >
        <Table.Thead>
          <Table.Tr>
            {selectable ? (
              <Table.Th scope="col" w={40}>
                <Checkbox
                  checked={all}
                  indeterminate={some && !all}
                  onChange={(e) => onToggleAll(e.currentTarget.checked)}
                  aria-label={t("needs.queue.selectAll")}
                />
              </Table.Th>
            ) : null}
            <Table.Th scope="col">{t("needs.col.need")}</Table.Th>
            <Table.Th scope="col">{t("needs.col.category")}</Table.Th>
            <Table.Th scope="col">{t("needs.col.urgency")}</Table.Th>
            <Table.Th scope="col">{t("needs.col.status")}</Table.Th>
            <Table.Th scope="col">{t("needs.col.community")}</Table.Th>
            <Table.Th scope="col">{t("needs.col.assignee")}</Table.Th>
            <Table.Th scope="col">{t("needs.col.received")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((n) => (
            <Table.Tr
              key={n.id}
              data-testid="need-row"
              data-urgency={n.urgency}
              aria-selected={selectable ? selected.has(n.id) : undefined}
            >
              {selectable ? (
                <Table.Td>
                  <Checkbox
                    checked={selected.has(n.id)}
                    onChange={() => onToggle(n.id)}
                    aria-label={t("needs.queue.select", { ref: n.reference })}
                  />
                </Table.Td>
              ) : null}
              <Table.Td maw={420}>
                <Stack gap={2}>
                  <RefLink n={n} />
                  <Text size="sm" dir="auto" lineClamp={2} style={{ overflowWrap: "anywhere" }}>
                    {excerpt(n.description, 200)}
                  </Text>
                  <Extras n={n} />
                </Stack>
              </Table.Td>
              <Table.Td>
                <CategoryLabel code={n.category} name={categoryName(n.category)} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                <UrgencyBadge urgency={n.urgency} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                <StatusBadge status={n.status} />
              </Table.Td>
              <Table.Td>{n.community?.name ?? ""}</Table.Td>
              <Table.Td>
                {n.assignee?.name ?? (
                  <Text span size="sm" c="dimmed">
                    {t("needs.queue.unassigned")}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                <Stack gap={0}>
                  <Text size="sm">{formatDateTime(n.createdAt, locale)}</Text>
                  <Text size="xs" c="dimmed">
                    {t(`needs.channel.${n.channel}`)}
                  </Text>
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
