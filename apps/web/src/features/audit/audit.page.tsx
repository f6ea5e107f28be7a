import { useState } from "react";
import { Alert, Box, Paper, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import type { AuditEvent } from "@kaveret/contracts";
import { apiGet } from "../../api/client.ts";
import { PageTitle } from "../../components/page-title.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { formatDateTime } from "../../lib/format.ts";
import { isManager } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { dayToIso } from "./audit-filters.ts";

const PAGE_SIZE = 50;

interface AuditPage {
  items: AuditEvent[];
  total: number;
  page: number;
  pageSize: number;
}

export function AuditPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  if (!isManager(roles)) {
    return (
      <Stack>
        <PageTitle>{t("audit.title")}</PageTitle>
        <Alert color="yellow">{t("errors.forbidden")}</Alert>
      </Stack>
    );
  }
  return <Audit />;
}

function Audit() {
  const { t } = useTranslation();
  const { scope } = useSession();
  const locale = currentLocale();
  const [action, setAction] = useState("");
  const [entityType, setEntityType] = useState("");
  const [actor, setActor] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [page, setPage] = useState(1);
  const [filters] = useDebouncedValue({ action, entityType, actor }, 300);

  const params = {
    action: filters.action.trim(),
    entityType: filters.entityType.trim(),
    actorUserId: filters.actor.trim(),
    from: dayToIso(from),
    to: dayToIso(to, true),
    page,
    pageSize: PAGE_SIZE,
  };
  const audit = useQuery({
    queryKey: ["audit", scope?.id, params],
    queryFn: ({ signal }) => apiGet<AuditPage>("/api/audit", params, signal),
    placeholderData: (prev) => prev,
  });
  const totalPages = audit.data ? Math.max(1, Math.ceil(audit.data.total / PAGE_SIZE)) : 1;
  const onFilter = (fn: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    fn(e.currentTarget.value);
    setPage(1);
  };

  return (
    <Stack gap="md">
      <PageTitle>{t("audit.title")}</PageTitle>
      <Text>{t("audit.intro")}</Text>
      <Paper withBorder p="sm" radius="md" component="section" aria-label={t("audit.filters")}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
          <TextInput
            label={t("audit.action")}
            value={action}
            onChange={onFilter(setAction)}
            dir="ltr"
          />
          <TextInput
            label={t("audit.entityType")}
            value={entityType}
            onChange={onFilter(setEntityType)}
            dir="ltr"
          />
          <TextInput
            label={t("audit.actor")}
            value={actor}
            onChange={onFilter(setActor)}
            dir="ltr"
          />
          <TextInput
            type="date"
            label={t("audit.from")}
            value={from}
            onChange={onFilter(setFrom)}
          />
          <TextInput type="date" label={t("audit.to")} value={to} onChange={onFilter(setTo)} />
        </SimpleGrid>
      </Paper>
      {audit.isPending ? <PageLoader /> : null}
      {audit.isError ? (
        <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
      ) : null}
      {audit.isSuccess ? (
        <>
          <Text size="sm" role="status" aria-live="polite">
            {t("audit.count", { count: audit.data.total })}
          </Text>
          {audit.data.items.length === 0 ? (
            <EmptyState title={t("audit.empty")} />
          ) : (
            <Box
              style={{ overflowX: "auto" }}
              tabIndex={0}
              role="region"
              aria-label={t("audit.caption")}
            >
              <Table
                miw={760}
                striped
                highlightOnHover
                verticalSpacing="xs"
                style={{ opacity: audit.isPlaceholderData ? 0.6 : 1 }}
              >
                <Table.Caption>{t("audit.caption")}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("audit.time")}</Table.Th>
                    <Table.Th scope="col">{t("audit.who")}</Table.Th>
                    <Table.Th scope="col">{t("audit.action")}</Table.Th>
                    <Table.Th scope="col">{t("audit.entity")}</Table.Th>
                    <Table.Th scope="col">{t("audit.purpose")}</Table.Th>
                    <Table.Th scope="col">{t("audit.fields")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {audit.data.items.map((ev) => (
                    <Table.Tr key={ev.id} data-testid="audit-row">
                      <Table.Td style={{ whiteSpace: "nowrap" }}>
                        <bdi dir="ltr">{formatDateTime(ev.createdAt, locale)}</bdi>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{ev.actorName ?? t("audit.system")}</Text>
                        {ev.actorRole ? (
                          <Text size="xs" c="dimmed">
                            {t(`roles.${ev.actorRole}`, { defaultValue: ev.actorRole })}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <SoftBadge color="gray" style={{ textTransform: "none" }}>
                          <bdi dir="ltr">{ev.action}</bdi>
                        </SoftBadge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" className="ltr-text">
                          {ev.entityType}
                          {ev.entityId ? ` · ${ev.entityId.slice(0, 8)}` : ""}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{ev.purpose ?? "—"}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" className="ltr-text">
                          {ev.fields.length ? ev.fields.join(", ") : "—"}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Box>
          )}
          <Pager total={totalPages} value={page} onChange={setPage} />
        </>
      ) : null}
    </Stack>
  );
}
