import { useState } from "react";
import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { HelpRequest } from "@kaveret/contracts";
import { ApiError } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { formatPhone } from "../residents/resident-labels.ts";
import { useSession } from "../shell/session.tsx";
import {
  emergencyKeys,
  helpMatchesQuery,
  helpRequestQuery,
  moveHelp,
  type HelpMove,
} from "./emergency.api.ts";
import { helpCategoryName, isEmergencyStaff, isolate, languagesText } from "./emergency-labels.ts";
import { HELP_STATUS_COLOR, URGENCY_COLOR } from "./help.page.tsx";

/** /emergency/help/$id — one help request: who and where (when allowed), ranked helpers, its moves. */
export function HelpRequestPage() {
  const { id } = useParams({ from: "/app/emergency/help/$id" });
  const help = useQuery(helpRequestQuery(id));
  if (help.isPending) return <PageLoader />;
  if (help.isError) return <ErrorState error={help.error} onRetry={() => void help.refetch()} />;
  return <HelpView help={help.data} key={help.data.version} />;
}

function HelpView({ help: h }: { help: HelpRequest }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const { me, roles } = useSession();
  const queryClient = useQueryClient();
  const staff = isEmergencyStaff(roles);
  const full = h.contact !== null || h.resident !== null || h.claimedBy?.id === me.user.id;
  const mineClaimed = h.claimedBy?.id === me.user.id;
  const matches = useQuery({ ...helpMatchesQuery(h.id), enabled: staff && h.status === "open" });
  const [asking, setAsking] = useState<HelpMove | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const move = async (
    m: HelpMove,
    extra: { userId?: string; note?: string; reason?: string } = {},
  ) => {
    setBusy(extra.userId ?? m);
    setError(null);
    try {
      await moveHelp(h.id, m, { version: h.version, ...extra });
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.all });
      notify(t(`emergency.help.moved.${m}`));
      setAsking(null);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === "version_conflict") {
        void queryClient.invalidateQueries({ queryKey: emergencyKeys.helpOne(h.id) });
      }
    } finally {
      setBusy(null);
    }
  };

  const canClaim = h.status === "open";
  const canRelease = h.status === "claimed" && (mineClaimed || staff);
  const canComplete = (h.status === "claimed" || h.status === "open") && (mineClaimed || staff);
  const canCancel = (h.status === "open" || h.status === "claimed") && staff;

  return (
    <Stack gap="md" maw={860}>
      <Group gap="xs" mb={-8}>
        <AnchorLink to="/emergency/help" size="sm">
          {t("emergency.help.back")}
        </AnchorLink>
      </Group>
      <PageTitle>{`${helpCategoryName(t, h.category)} · ${h.reference}`}</PageTitle>
      <Group gap="xs" mt={-8} wrap="wrap">
        <SoftBadge color={HELP_STATUS_COLOR[h.status]} tt="none" data-testid="help-status">
          {t(`emergency.help.statuses.${h.status}`)}
        </SoftBadge>
        <SoftBadge color={URGENCY_COLOR[h.urgency]} tt="none">
          {t(`emergency.urgency.${h.urgency}`)}
        </SoftBadge>
        {h.drill ? (
          <SoftBadge color="yellow" tt="none">
            {t("emergency.mode.drill")}
          </SoftBadge>
        ) : null}
        <Text size="sm" c="dimmed">
          {t(`emergency.help.sources.${h.source}`)} ·{" "}
          <bdi dir="ltr">{formatDateTime(h.createdAt, locale)}</bdi>
        </Text>
      </Group>

      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="help-details">
        <Stack gap="xs">
          <Title order={2} size="h4" id="help-details">
            {t("emergency.help.details")}
          </Title>
          {h.description ? (
            <Text dir="auto" style={{ whiteSpace: "pre-wrap" }} data-testid="help-description">
              {h.description}
            </Text>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            {h.resident ? (
              <Field label={t("emergency.help.resident")}>
                {staff ? (
                  <AnchorLink to="/residents/$id" params={{ id: h.resident.id }}>
                    {h.resident.name}
                  </AnchorLink>
                ) : (
                  h.resident.name
                )}
              </Field>
            ) : null}
            {h.contact?.phone ? (
              <Field label={t("emergency.help.phone")}>
                <Anchor
                  href={`tel:${h.contact.phone}`}
                  dir="ltr"
                  style={{ unicodeBidi: "isolate" }}
                >
                  {formatPhone(h.contact.phone)}
                </Anchor>
              </Field>
            ) : null}
            {h.contact?.address ? (
              <Field label={t("emergency.help.address")}>{h.contact.address}</Field>
            ) : null}
            {h.community ? (
              <Field label={t("emergency.help.community")}>{h.community.name}</Field>
            ) : null}
            {h.languages.length ? (
              <Field label={t("emergency.help.languages")}>{languagesText(t, h.languages)}</Field>
            ) : null}
            {h.skills.length ? (
              <Field label={t("emergency.help.skills")}>{h.skills.join(", ")}</Field>
            ) : null}
            {h.distanceMeters !== null ? (
              <Field label={t("emergency.help.distanceLabel")}>
                {t("emergency.help.distance", {
                  km: formatNumber(Math.round(h.distanceMeters / 100) / 10, locale),
                })}
              </Field>
            ) : null}
            {h.claimedBy ? (
              <Field label={t("emergency.help.claimedByLabel")}>{h.claimedBy.name}</Field>
            ) : null}
            {h.need ? (
              <Field label={t("emergency.help.need")}>
                <AnchorLink to="/needs/$id" params={{ id: h.need.id }}>
                  {h.need.reference}
                </AnchorLink>
              </Field>
            ) : null}
            {h.completionNote ? (
              <Field label={t("emergency.help.completionNote")}>{h.completionNote}</Field>
            ) : null}
          </SimpleGrid>
          {!full ? (
            <Text size="sm" c="dimmed">
              {t("emergency.help.outline")}
            </Text>
          ) : null}
        </Stack>
      </Paper>

      <Group gap="xs" wrap="wrap">
        {canClaim ? (
          <Button
            onClick={() => void move("claim")}
            loading={busy === "claim"}
            data-testid="help-claim"
          >
            {t("emergency.help.claim")}
          </Button>
        ) : null}
        {canComplete ? (
          <Button color="#1d5a2a" variant="outline" onClick={() => setAsking("complete")}>
            {t("emergency.help.complete")}
          </Button>
        ) : null}
        {canRelease ? (
          <Button variant="default" onClick={() => setAsking("release")}>
            {t("emergency.help.release")}
          </Button>
        ) : null}
        {canCancel ? (
          <Button color="#9b1c1c" variant="subtle" onClick={() => setAsking("cancel")}>
            {t("emergency.help.cancel")}
          </Button>
        ) : null}
      </Group>

      {staff && h.status === "open" ? (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="help-matches">
          <Stack gap="sm">
            <Title order={2} size="h4" id="help-matches">
              {t("emergency.help.matches")}
            </Title>
            {matches.isPending ? <PageLoader /> : null}
            {matches.isError ? (
              <Alert color="red" role="alert">
                {errorMessage(t, matches.error)}
              </Alert>
            ) : null}
            {matches.data && matches.data.items.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t("emergency.help.noMatches")}
              </Text>
            ) : null}
            {matches.data?.items.map((m, i) => (
              <Paper key={m.offer.id} withBorder p="sm" radius="md" data-testid="help-match">
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Stack gap={2} style={{ minWidth: 0 }}>
                    <Text fw={700}>{`${i + 1}. ${m.offer.volunteer.name}`}</Text>
                    <Text size="xs" c="dimmed">
                      {[
                        m.distanceMeters !== null
                          ? t("emergency.help.matchDistance", {
                              km: formatNumber(Math.round(m.distanceMeters / 100) / 10, locale),
                            })
                          : null,
                        m.languageMatch ? t("emergency.help.sharedLanguage") : null,
                        m.skillsMatched.length ? m.skillsMatched.join(", ") : null,
                        m.offer.hasVehicle ? t("emergency.offer.vehicleShort") : null,
                        t("emergency.help.load", { n: m.offer.activeClaims }),
                      ]
                        .filter(Boolean)
                        .join(" · ")}
                    </Text>
                  </Stack>
                  <Button
                    size="compact-sm"
                    variant="light"
                    loading={busy === m.offer.volunteer.id}
                    onClick={() => void move("claim", { userId: m.offer.volunteer.id })}
                  >
                    {t("emergency.help.giveTo", { name: isolate(m.offer.volunteer.name) })}
                  </Button>
                </Group>
              </Paper>
            ))}
          </Stack>
        </Paper>
      ) : null}

      <MoveDialog
        move={asking}
        busy={busy !== null}
        onClose={() => setAsking(null)}
        onConfirm={(text) =>
          void move(asking!, asking === "complete" ? { note: text } : { reason: text })
        }
      />
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** Complete (a note), release (why) or cancel (why, required) a request. */
function MoveDialog({
  move,
  busy,
  onClose,
  onConfirm,
}: {
  move: HelpMove | null;
  busy: boolean;
  onClose: () => void;
  onConfirm: (text: string) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const required = move === "cancel";
  const short = required && text.trim().length < 2;
  return (
    <AppModal
      opened={move !== null && move !== "claim"}
      onClose={onClose}
      title={move ? t(`emergency.help.ask.${move}`) : ""}
    >
      <Stack gap="sm">
        <Textarea
          label={
            move === "complete" ? t("emergency.help.completionNote") : t("emergency.help.reason")
          }
          required={required}
          autosize
          minRows={2}
          maxLength={500}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t("app.cancel")}
          </Button>
          <Button
            color={move === "cancel" ? "#9b1c1c" : undefined}
            loading={busy}
            disabled={short}
            onClick={() => {
              onConfirm(text.trim());
              setText("");
            }}
          >
            {move ? t(`emergency.help.${move}`) : ""}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}
