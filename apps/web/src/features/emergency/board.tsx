import { useState } from "react";
import {
  Button,
  Grid,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { EmergencyBoard, EmergencyModeResponse } from "@kaveret/contracts";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { canWriteAssets } from "../assets/asset-access.ts";
import { ScrollTable } from "../forms/scroll-table.tsx";
import { useSession } from "../shell/session.tsx";
import { POINT_CLASSES, POINT_HEX, countByClass } from "./board-points.ts";
import { boardQuery, emergencyKeys, generateCalls } from "./emergency.api.ts";
import { CALL_STATE_HEX, helpCategoryName, modeLine } from "./emergency-labels.ts";
import { useLiveState } from "./emergency-live.ts";
import { LazyBoardMap } from "./lazy-board-map.tsx";
import { AssignDialog, CloseDialog, EditDialog } from "./manage-dialogs.tsx";
import { SheltersPanel } from "./shelters-panel.tsx";
import { ShiftLog } from "./shift-log.tsx";

function Section({
  id,
  title,
  children,
  action,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {action}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

const COUNT_TILES = [
  { key: "reachedOk", color: CALL_STATE_HEX.reached_ok },
  { key: "reachedNeedsHelp", color: CALL_STATE_HEX.reached_needs_help },
  { key: "notReached", color: CALL_STATE_HEX.not_reached },
  { key: "pending", color: CALL_STATE_HEX.pending },
] as const;

/** The situation board of the open emergency: figures, places, people, the log; live. */
export function Board({ emergencyId, mode }: { emergencyId: string; mode: EmergencyModeResponse }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const { roles } = useSession();
  const queryClient = useQueryClient();
  const board = useQuery(boardQuery(emergencyId));
  const live = useLiveState();
  const [dialog, setDialog] = useState<"edit" | "assign" | "close" | null>(null);
  const [generating, setGenerating] = useState(false);
  const manage = mode.permissions.manage;

  if (board.isPending) return <PageLoader />;
  if (board.isError) return <ErrorState error={board.error} onRetry={() => void board.refetch()} />;
  const b: EmergencyBoard = board.data;
  const e = b.emergency;
  const n = (x: number) => formatNumber(x, locale);

  const generate = async () => {
    setGenerating(true);
    try {
      const r = await generateCalls(emergencyId);
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.event(emergencyId) });
      notify(t("emergency.board.generated", { added: r.added, total: r.total }));
    } catch (err) {
      notify(errorMessage(t, err), "red");
    } finally {
      setGenerating(false);
    }
  };

  const classes = countByClass(b.points);
  const c = b.counts;
  const worked = c.reachedOk + c.reachedNeedsHelp;

  return (
    <Stack gap="md">
      <PageTitle
        actions={
          manage ? (
            <>
              <Button variant="default" onClick={() => setDialog("edit")}>
                {t("emergency.board.edit")}
              </Button>
              <Button variant="default" onClick={() => void generate()} loading={generating}>
                {t("emergency.board.generate")}
              </Button>
              <ButtonLink
                to="/broadcasts/new"
                search={{ emergency: true }}
                variant="default"
                data-testid="board-broadcast"
              >
                {t("emergency.board.broadcast")}
              </ButtonLink>
              <Button onClick={() => setDialog("assign")} data-testid="assign-open">
                {t("emergency.board.assign")}
              </Button>
              <Button
                color="#9b1c1c"
                variant="outline"
                onClick={() => setDialog("close")}
                data-testid="close-open"
              >
                {e.drill ? t("emergency.board.closeDrill") : t("emergency.board.close")}
              </Button>
            </>
          ) : null
        }
      >
        {e.title}
      </PageTitle>
      <Group gap="xs" mt={-8} wrap="wrap">
        <SoftBadge color={e.drill ? "yellow" : "red"} tt="none">
          {modeLine(t, e)}
        </SoftBadge>
        <Text size="sm" c="dimmed">
          {t("emergency.board.since")} <bdi dir="ltr">{formatDateTime(e.startedAt, locale)}</bdi>
          {e.declaredBy ? ` · ${e.declaredBy.name}` : ""}
        </Text>
        <SoftBadge
          color={live === "live" ? "green" : "gray"}
          tt="none"
          data-testid="board-live"
          data-state={live}
        >
          {t(`emergency.board.live.${live}`)}
        </SoftBadge>
        <AnchorLink to="/emergency/$id" params={{ id: e.id }} size="sm">
          {t("emergency.board.summaryLink")}
        </AnchorLink>
      </Group>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Section id="board-counts" title={t("emergency.board.calls")}>
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
                {COUNT_TILES.map((tile) => (
                  <Paper
                    key={tile.key}
                    withBorder
                    p="sm"
                    radius="md"
                    style={{ borderInlineStart: `6px solid ${tile.color}` }}
                    data-testid={`count-${tile.key}`}
                  >
                    <Text fw={800} fz={28} lh={1.1} data-testid="count-value">
                      {n(c[tile.key])}
                    </Text>
                    <Text size="sm">{t(`emergency.counts.${tile.key}`)}</Text>
                  </Paper>
                ))}
              </SimpleGrid>
              {c.calls > 0 ? (
                <Progress.Root size="lg" aria-hidden>
                  <Progress.Section
                    value={(c.reachedOk / c.calls) * 100}
                    color={CALL_STATE_HEX.reached_ok}
                  />
                  <Progress.Section
                    value={(c.reachedNeedsHelp / c.calls) * 100}
                    color={CALL_STATE_HEX.reached_needs_help}
                  />
                  <Progress.Section
                    value={((c.retry + c.escalated) / c.calls) * 100}
                    color={CALL_STATE_HEX.not_reached}
                  />
                </Progress.Root>
              ) : null}
              <Text size="sm" c="dimmed" data-testid="board-totals">
                {t("emergency.board.totals", {
                  calls: n(c.calls),
                  worked: n(worked),
                  self: n(c.selfReported),
                  escalated: n(c.escalated),
                })}
              </Text>
            </Section>

            <Section id="board-communities" title={t("emergency.board.byCommunity")}>
              <ScrollTable minWidth={460} label={t("emergency.board.byCommunity")}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("emergency.board.community")}</Table.Th>
                      <Table.Th>{t("emergency.counts.calls")}</Table.Th>
                      <Table.Th>{t("emergency.counts.reachedOk")}</Table.Th>
                      <Table.Th>{t("emergency.counts.reachedNeedsHelp")}</Table.Th>
                      <Table.Th>{t("emergency.counts.notReached")}</Table.Th>
                      <Table.Th>{t("emergency.counts.pending")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {b.byCommunity.map((row) => (
                      <Table.Tr key={row.community.id}>
                        <Table.Th scope="row" fw={600}>
                          {row.community.name}
                        </Table.Th>
                        <Table.Td>{n(row.calls)}</Table.Td>
                        <Table.Td>{n(row.reachedOk)}</Table.Td>
                        <Table.Td>{n(row.reachedNeedsHelp)}</Table.Td>
                        <Table.Td>{n(row.notReached)}</Table.Td>
                        <Table.Td>{n(row.pending)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            </Section>

            <Section id="board-map" title={t("emergency.board.map")}>
              <LazyBoardMap
                label={t("emergency.board.mapLabel", { title: e.title })}
                height={360}
                points={b.points}
              />
              <Group gap="sm" wrap="wrap" aria-label={t("emergency.board.legend")} role="group">
                {POINT_CLASSES.map((cls) => (
                  <Group key={cls} gap={6} wrap="nowrap">
                    <span
                      aria-hidden
                      style={{
                        display: "inline-block",
                        width: 12,
                        height: 12,
                        borderRadius: 6,
                        background: POINT_HEX[cls],
                      }}
                    />
                    <Text size="sm">
                      {t(`emergency.board.points.${cls}`)}: {n(classes.get(cls) ?? 0)}
                    </Text>
                  </Group>
                ))}
              </Group>
              {b.pointsTruncated ? (
                <Text size="xs" c="dimmed">
                  {t("emergency.board.truncated")}
                </Text>
              ) : null}
            </Section>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Section
              id="board-help"
              title={t("emergency.board.help")}
              action={
                <ButtonLink to="/emergency/help" size="compact-sm" variant="light">
                  {t("emergency.board.allHelp")}
                </ButtonLink>
              }
            >
              <Text size="sm" data-testid="board-help-open">
                {t("emergency.board.helpTotals", {
                  open: n(c.helpOpen),
                  claimed: n(c.helpClaimed),
                  completed: n(c.helpCompleted),
                })}
              </Text>
              <Stack gap={4}>
                {b.helpOpenByCategory
                  .filter((h) => h.open + h.claimed > 0)
                  .map((h) => (
                    <Group key={h.category} justify="space-between" gap="xs" wrap="nowrap">
                      <AnchorLink to="/emergency/help" search={{ category: h.category }} size="sm">
                        {helpCategoryName(t, h.category)}
                      </AnchorLink>
                      <Text size="sm">
                        {t("emergency.board.openClaimed", {
                          open: n(h.open),
                          claimed: n(h.claimed),
                        })}
                      </Text>
                    </Group>
                  ))}
              </Stack>
            </Section>

            <Section id="board-shelters" title={t("emergency.board.shelters")}>
              <SheltersPanel
                emergencyId={emergencyId}
                shelters={b.shelters}
                editable={canWriteAssets(roles)}
              />
            </Section>

            <Section id="board-callers" title={t("emergency.board.callers")}>
              {b.callers.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("emergency.board.noCallers")}
                </Text>
              ) : (
                <ScrollTable minWidth={300} label={t("emergency.board.callers")}>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t("emergency.assign.caller")}</Table.Th>
                        <Table.Th>{t("emergency.board.assigned")}</Table.Th>
                        <Table.Th>{t("emergency.board.done")}</Table.Th>
                        <Table.Th>{t("emergency.board.due")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {b.callers.map((row) => (
                        <Table.Tr key={row.user.id}>
                          <Table.Th scope="row" fw={600}>
                            {row.user.name}
                          </Table.Th>
                          <Table.Td>{n(row.assigned)}</Table.Td>
                          <Table.Td>{n(row.done)}</Table.Td>
                          <Table.Td>{n(row.due)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollTable>
              )}
            </Section>

            <Section id="board-log" title={t("emergency.board.log")}>
              <ShiftLog emergencyId={emergencyId} canAdd={mode.permissions.board} />
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>

      {manage ? (
        <>
          {dialog === "edit" ? (
            <EditDialog emergency={e} opened onClose={() => setDialog(null)} />
          ) : null}
          <AssignDialog
            emergency={e}
            opened={dialog === "assign"}
            onClose={() => setDialog(null)}
          />
          <CloseDialog emergency={e} opened={dialog === "close"} onClose={() => setDialog(null)} />
        </>
      ) : null}
    </Stack>
  );
}
