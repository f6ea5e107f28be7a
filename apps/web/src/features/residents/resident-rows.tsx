import { Anchor, Group, Paper, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ResidentListItem } from "@kaveret/contracts";
import { AnchorLink } from "../../components/links.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { addressLine, formatPhone, fullName } from "./resident-labels.ts";

type FullItem = Extract<ResidentListItem, { access: "full" }>;

/** A phone number as a tel: link, read left to right in any language. */
export function PhoneLink({ phone }: { phone: string | null }) {
  if (!phone) return null;
  return (
    <Anchor href={`tel:${phone}`} dir="ltr" style={{ unicodeBidi: "isolate" }}>
      {formatPhone(phone)}
    </Anchor>
  );
}

export function EmailLink({ email }: { email: string | null }) {
  if (!email) return null;
  return (
    <Anchor
      href={`mailto:${email}`}
      dir="ltr"
      style={{ unicodeBidi: "isolate", wordBreak: "break-all" }}
    >
      {email}
    </Anchor>
  );
}

function NameLink({ r }: { r: ResidentListItem }) {
  return (
    <AnchorLink to="/residents/$id" params={{ id: r.id }} fw={700}>
      {fullName(r)}
    </AnchorLink>
  );
}

function FlagBadges({ r, max = 3 }: { r: FullItem; max?: number }) {
  const { t } = useTranslation();
  if (r.flags.length === 0) return null;
  const shown = r.flags.slice(0, max);
  const more = r.flags.length - shown.length;
  return (
    <Group gap={4} wrap="wrap">
      {shown.map((f) => (
        <SoftBadge key={f} color="orange" tt="none">
          {t(`residents.flags.${f}`)}
        </SoftBadge>
      ))}
      {more > 0 ? (
        <SoftBadge color="gray" tt="none">
          {t("residents.moreFlags", { count: more })}
        </SoftBadge>
      ) : null}
    </Group>
  );
}

function RoleBadges({ r }: { r: FullItem }) {
  const { t } = useTranslation();
  if (r.communityRoles.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap">
      {r.communityRoles.map((role) => (
        <SoftBadge key={role} color="teal" tt="none">
          {t(`residents.roles.${role}`)}
        </SoftBadge>
      ))}
    </Group>
  );
}

/** Cards: one per resident, readable at 360 px. */
export function ResidentCards({ items }: { items: ResidentListItem[] }) {
  const { t } = useTranslation();
  return (
    <Stack
      component="ul"
      gap="xs"
      style={{ listStyle: "none", padding: 0, margin: 0 }}
      aria-label={t("residents.title")}
    >
      {items.map((r) => (
        <Paper key={r.id} component="li" withBorder p="sm" radius="md" data-testid="resident-row">
          <Stack gap={4}>
            <NameLink r={r} />
            {r.access === "full" && r.otherNames ? (
              <Text size="sm" c="dimmed" dir="auto">
                {r.otherNames}
              </Text>
            ) : null}
            {r.phone || r.email ? (
              <Group gap="md" wrap="wrap">
                <PhoneLink phone={r.phone} />
                <EmailLink email={r.email} />
              </Group>
            ) : null}
            {r.access === "full" ? (
              <>
                {addressLine(t, r.address) || r.homeCommunity ? (
                  <Text size="sm">
                    {[addressLine(t, r.address), r.homeCommunity?.name].filter(Boolean).join(" · ")}
                  </Text>
                ) : null}
                <FlagBadges r={r} />
                <RoleBadges r={r} />
              </>
            ) : null}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

/** A table for wide screens; contact-only rows leave the other columns empty. */
export function ResidentTable({ items }: { items: ResidentListItem[] }) {
  const { t } = useTranslation();
  const anyFull = items.some((r) => r.access === "full");
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table
        striped
        highlightOnHover
        verticalSpacing="xs"
        data-testid="residents-table"
        aria-label={t("residents.title")}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("residents.col.name")}</Table.Th>
            <Table.Th scope="col">{t("residents.col.phone")}</Table.Th>
            <Table.Th scope="col">{t("residents.col.email")}</Table.Th>
            {anyFull ? (
              <>
                <Table.Th scope="col">{t("residents.col.address")}</Table.Th>
                <Table.Th scope="col">{t("residents.col.flags")}</Table.Th>
                <Table.Th scope="col">{t("residents.col.roles")}</Table.Th>
              </>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id} data-testid="resident-row">
              <Table.Td>
                <Stack gap={0}>
                  <NameLink r={r} />
                  {r.access === "full" && r.otherNames ? (
                    <Text size="xs" c="dimmed" dir="auto">
                      {r.otherNames}
                    </Text>
                  ) : null}
                </Stack>
              </Table.Td>
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                <PhoneLink phone={r.phone} />
              </Table.Td>
              <Table.Td>
                <EmailLink email={r.email} />
              </Table.Td>
              {anyFull ? (
                r.access === "full" ? (
                  <>
                    <Table.Td>
                      <Stack gap={0}>
                        <Text size="sm">{addressLine(t, r.address) ?? ""}</Text>
                        {r.homeCommunity ? (
                          <Text size="xs" c="dimmed">
                            {r.homeCommunity.name}
                          </Text>
                        ) : null}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <FlagBadges r={r} max={2} />
                    </Table.Td>
                    <Table.Td>
                      <RoleBadges r={r} />
                    </Table.Td>
                  </>
                ) : (
                  <Table.Td colSpan={3}>
                    <Text size="sm" c="dimmed">
                      {t("residents.contactOnly")}
                    </Text>
                  </Table.Td>
                )
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
