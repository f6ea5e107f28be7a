import { useState } from "react";
import {
  Alert,
  Breadcrumbs,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Resident, ResidentContact } from "@kaveret/contracts";
import { ApiError, apiGet, apiPost } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { ConsentsSection } from "./consents-section.tsx";
import { DuplicateCandidatesList } from "./duplicate-candidates.tsx";
import { HistorySection } from "./history-section.tsx";
import { ResidentEmergencySection } from "../emergency/resident-emergency-section.tsx";
import { addressLine, fullName, ltr } from "./resident-labels.ts";
import { EmailLink, PhoneLink } from "./resident-rows.tsx";
import { residentQuery, type DuplicateCandidates, type RevealResponse } from "./residents.api.ts";
import { RevealDialog, whatKey, type RevealField } from "./reveal-dialog.tsx";

/** A record merged into another one answers 409 resident.merged with the survivor's id. */
function mergedInto(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.code !== "resident.merged") return null;
  const details = err.details as { mergedIntoId?: unknown } | undefined;
  return typeof details?.mergedIntoId === "string" ? details.mergedIntoId : null;
}

export function ResidentPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: "/app/residents/$id" });
  const resident = useQuery(residentQuery(id));
  if (resident.isPending) return <PageLoader />;
  if (resident.isError) {
    const survivor = mergedInto(resident.error);
    if (survivor) {
      return (
        <Alert color="blue" title={t("resident.mergedTitle")}>
          <AnchorLink to="/residents/$id" params={{ id: survivor }}>
            {t("resident.mergedOpen")}
          </AnchorLink>
        </Alert>
      );
    }
    return <ErrorState error={resident.error} onRetry={() => void resident.refetch()} />;
  }
  return resident.data.access === "full" ? (
    <FullView key={resident.data.id} r={resident.data} />
  ) : (
    <ContactView r={resident.data} />
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed" component="dt">
        {label}
      </Text>
      <Text component="dd" m={0}>
        {children}
      </Text>
    </Stack>
  );
}

function Section({
  id,
  title,
  children,
  actions,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
  actions?: React.ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {actions}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

function Crumbs({ name }: { name: string }) {
  const { t } = useTranslation();
  return (
    <Breadcrumbs separator="›" aria-label={t("resident.breadcrumb")} component="nav">
      <AnchorLink to="/residents">{t("residents.title")}</AnchorLink>
      <Text span aria-current="page">
        {name}
      </Text>
    </Breadcrumbs>
  );
}

/** An activist's view: name and contact, because the resident agreed to be listed to activists. */
function ContactView({ r }: { r: ResidentContact }) {
  const { t } = useTranslation();
  const name = fullName(r);
  return (
    <Stack gap="md">
      <Crumbs name={name} />
      <PageTitle>{name}</PageTitle>
      <Paper withBorder p="md" radius="md">
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="md" m={0}>
          <Field label={t("resident.phone")}>
            {r.phone ? <PhoneLink phone={r.phone} /> : t("resident.none")}
          </Field>
          <Field label={t("resident.email")}>
            {r.email ? <EmailLink email={r.email} /> : t("resident.none")}
          </Field>
        </SimpleGrid>
      </Paper>
      <Text size="sm" c="dimmed">
        {t("resident.contactOnly")}
      </Text>
    </Stack>
  );
}

function FullView({ r }: { r: Resident }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const queryClient = useQueryClient();
  const name = fullName(r);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [revealing, setRevealing] = useState<RevealField[] | null>(null);
  const [revealed, setRevealed] = useState<RevealResponse | null>(null);
  const [dupes, setDupes] = useState<DuplicateCandidates["items"] | null>(null);
  const [checking, setChecking] = useState(false);
  const archived = Boolean(r.archivedAt);

  const archiveOrRestore = async () => {
    setBusy(true);
    setError(null);
    try {
      const action = archived ? "restore" : "archive";
      await apiPost(`/api/residents/${r.id}/${action}`, { version: r.version });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["residents", "one", r.id] }),
        queryClient.invalidateQueries({ queryKey: ["residents", "list"] }),
        queryClient.invalidateQueries({ queryKey: ["residents", "history", r.id] }),
      ]);
      notify(t(archived ? "resident.restored" : "resident.archivedDone"));
      setConfirming(false);
    } catch (err) {
      setError(err);
      setConfirming(false);
      if (err instanceof ApiError && err.code === "version_conflict") {
        void queryClient.invalidateQueries({ queryKey: ["residents", "one", r.id] });
      }
    } finally {
      setBusy(false);
    }
  };

  const checkDuplicates = async () => {
    setChecking(true);
    setError(null);
    try {
      // The server compares this record as stored (ID number included, through its blind index).
      const res = await apiGet<DuplicateCandidates>(
        `/api/residents/${encodeURIComponent(r.id)}/duplicates`,
      );
      setDupes(res.items);
    } catch (err) {
      setError(err);
    } finally {
      setChecking(false);
    }
  };

  const address = addressLine(t, r.address);
  const sensitive: RevealField[] = [
    ...(r.hasIdNumber ? (["idNumber"] as const) : []),
    ...(r.hasHealthNotes ? (["healthNotes"] as const) : []),
  ];

  return (
    <Stack gap="md">
      <Crumbs name={name} />
      <PageTitle
        actions={
          <>
            {!archived ? (
              <ButtonLink to="/residents/$id/edit" params={{ id: r.id }}>
                {t("app.edit")}
              </ButtonLink>
            ) : null}
            <Button variant="default" loading={checking} onClick={() => void checkDuplicates()}>
              {t("resident.checkDuplicates")}
            </Button>
            <Button
              color={archived ? "honey" : "red"}
              variant={archived ? "filled" : "outline"}
              onClick={() => (archived ? void archiveOrRestore() : setConfirming(true))}
              loading={busy && archived}
            >
              {archived ? t("resident.restore") : t("resident.archive")}
            </Button>
          </>
        }
      >
        {name}
      </PageTitle>
      {r.otherNames || archived || r.mergedFromCount > 0 ? (
        <Group gap="xs" mt={-8}>
          {r.otherNames ? (
            <Text c="dimmed" dir="auto">
              {r.otherNames}
            </Text>
          ) : null}
          {archived ? (
            <SoftBadge color="gray" tt="none">
              {t("resident.archivedBadge")}
            </SoftBadge>
          ) : null}
          {r.mergedFromCount > 0 ? (
            <SoftBadge color="blue" tt="none">
              {t("resident.mergedFrom", { count: r.mergedFromCount })}
            </SoftBadge>
          ) : null}
        </Group>
      ) : null}

      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
      {dupes !== null ? (
        dupes.length > 0 ? (
          <DuplicateCandidatesList
            candidates={dupes}
            residentId={r.id}
            title={t("resident.dupFound", { count: dupes.length })}
          />
        ) : (
          <Alert
            color="green"
            role="status"
            withCloseButton
            closeButtonLabel={t("app.close")}
            onClose={() => setDupes(null)}
          >
            {t("resident.dupNone")}
          </Alert>
        )
      ) : null}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section id="contact-title" title={t("resident.contact")}>
          <SimpleGrid component="dl" cols={{ base: 1, xs: 2 }} spacing="sm" m={0}>
            <Field label={t("resident.phone")}>
              {r.phone ? <PhoneLink phone={r.phone} /> : t("resident.none")}
            </Field>
            <Field label={t("resident.email")}>
              {r.email ? <EmailLink email={r.email} /> : t("resident.none")}
            </Field>
            <Field label={t("resident.languages")}>
              {r.languages.length > 0
                ? r.languages
                    .map((l) => t(`residents.languages.${l}`, { defaultValue: l }))
                    .join(", ")
                : t("resident.none")}
            </Field>
            <Field label={t("resident.birthYearGender")}>
              {[
                r.birthYear ? String(r.birthYear) : null,
                r.gender ? t(`residents.genders.${r.gender}`) : null,
              ]
                .filter(Boolean)
                .join(" · ") || t("resident.none")}
            </Field>
          </SimpleGrid>
        </Section>

        <Section id="address-title" title={t("resident.address")}>
          <SimpleGrid component="dl" cols={{ base: 1, xs: 2 }} spacing="sm" m={0}>
            <Field label={t("resident.street")}>{address ?? t("resident.none")}</Field>
            <Field label={t("resident.homeCommunity")}>
              {r.homeCommunity ? (
                <AnchorLink to="/communities/$id" params={{ id: r.homeCommunity.id }}>
                  {r.homeCommunity.name}
                </AnchorLink>
              ) : (
                t("resident.none")
              )}
            </Field>
            <Field label={t("resident.mapPoint")}>
              {r.location ? t("resident.mapPointYes") : t("resident.mapPointNo")}
            </Field>
            {r.address.note ? (
              <Field label={t("resident.addressNote")}>{r.address.note}</Field>
            ) : null}
          </SimpleGrid>
        </Section>

        <Section
          id="household-title"
          title={t("resident.household")}
          actions={
            r.household && r.household.members.some((m) => m.id !== r.id) ? (
              <AnchorLink to="/residents" search={{ householdId: r.household.id }} size="sm">
                {t("resident.householdInList")}
              </AnchorLink>
            ) : null
          }
        >
          {r.household ? (
            <Stack gap="xs">
              <Text>
                {r.household.label || t("resident.householdUnnamed")}
                {r.householdRole ? ` · ${t(`residents.householdRoles.${r.householdRole}`)}` : ""}
              </Text>
              <Stack
                component="ul"
                gap={4}
                style={{ listStyle: "none", padding: 0, margin: 0 }}
                aria-label={t("resident.householdMembers")}
              >
                {r.household.members
                  .filter((m) => m.id !== r.id)
                  .map((m) => (
                    <li key={m.id}>
                      <AnchorLink to="/residents/$id" params={{ id: m.id }}>
                        {m.name}
                      </AnchorLink>
                      {m.role ? (
                        <Text span size="sm" c="dimmed">
                          {` · ${t(`residents.householdRoles.${m.role}`)}`}
                        </Text>
                      ) : null}
                    </li>
                  ))}
              </Stack>
              {r.household.members.filter((m) => m.id !== r.id).length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("resident.householdAlone")}
                </Text>
              ) : null}
            </Stack>
          ) : (
            <Text c="dimmed">{t("resident.noHousehold")}</Text>
          )}
        </Section>

        <Section id="roles-title" title={t("resident.rolesAndSkills")}>
          <Stack gap="xs">
            {r.communityRoles.length > 0 ? (
              <Group gap={6}>
                {r.communityRoles.map((role) => (
                  <SoftBadge key={role} color="teal" tt="none">
                    {t(`residents.roles.${role}`)}
                  </SoftBadge>
                ))}
              </Group>
            ) : (
              <Text c="dimmed">{t("resident.noRoles")}</Text>
            )}
            {r.skills.length > 0 ? (
              <Text>
                <Text span c="dimmed" size="sm">
                  {t("resident.skills")}:{" "}
                </Text>
                {r.skills.join(", ")}
              </Text>
            ) : null}
          </Stack>
        </Section>

        <Section id="communities-title" title={t("resident.communities")}>
          {r.communities.length > 0 ? (
            <Stack component="ul" gap={4} style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {r.communities.map((c) => (
                <Group key={c.id} component="li" gap="xs" wrap="wrap">
                  <AnchorLink to="/communities/$id" params={{ id: c.id }}>
                    {c.name}
                  </AnchorLink>
                  <SoftBadge color={c.kind === "geographic" ? "blue" : "grape"} tt="none" size="sm">
                    {t(`communities.kinds.${c.kind}`)}
                  </SoftBadge>
                  {c.source === "address" ? (
                    <Text span size="xs" c="dimmed">
                      {t("resident.fromAddress")}
                    </Text>
                  ) : null}
                </Group>
              ))}
            </Stack>
          ) : (
            <Text c="dimmed">{t("resident.noCommunities")}</Text>
          )}
        </Section>

        <Section id="flags-title" title={t("resident.flags")}>
          {r.flags.length > 0 ? (
            <Group gap={6}>
              {r.flags.map((f) => (
                <SoftBadge key={f} color="orange" tt="none">
                  {t(`residents.flags.${f}`)}
                </SoftBadge>
              ))}
            </Group>
          ) : (
            <Text c="dimmed">{t("resident.noFlags")}</Text>
          )}
        </Section>
      </SimpleGrid>

      <Section id="sensitive-title" title={t("resident.sensitive.title")}>
        {sensitive.length === 0 ? (
          <Text c="dimmed">{t("resident.sensitive.nothing")}</Text>
        ) : revealed ? (
          <Stack gap="xs">
            <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="sm" m={0}>
              {r.hasIdNumber ? (
                <Field label={t("resident.sensitive.idNumber")}>
                  <bdi dir="ltr">{revealed.idNumber ?? t("resident.none")}</bdi>
                </Field>
              ) : null}
              {r.hasHealthNotes ? (
                <Field label={t("resident.sensitive.healthNotes")}>
                  <span style={{ whiteSpace: "pre-wrap" }}>
                    {revealed.healthNotes ?? t("resident.none")}
                  </span>
                </Field>
              ) : null}
            </SimpleGrid>
            <Group justify="space-between" gap="xs" wrap="wrap">
              <Text size="sm" c="dimmed">
                {t("resident.sensitive.recorded")}
              </Text>
              <Button size="xs" variant="default" onClick={() => setRevealed(null)}>
                {t("resident.sensitive.hide")}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {t("resident.sensitive.held", {
                what: t(`resident.sensitive.what.${whatKey(sensitive)}`),
              })}
            </Text>
            <Button variant="light" onClick={() => setRevealing(sensitive)}>
              {t("resident.sensitive.showButton", {
                what: t(`resident.sensitive.what.${whatKey(sensitive)}`),
              })}
            </Button>
            <Text size="sm" c="dimmed">
              {t("resident.sensitive.auditNote")}
            </Text>
          </Stack>
        )}
      </Section>

      <ConsentsSection resident={r} editable={!archived} />

      {r.notes || r.caseworkers.length > 0 ? (
        <Section id="notes-title" title={t("resident.notes")}>
          {r.notes ? <Text style={{ whiteSpace: "pre-wrap" }}>{r.notes}</Text> : null}
          {r.caseworkers.length > 0 ? (
            <Text size="sm">
              {t("resident.caseworkers", { names: r.caseworkers.map((c) => c.name).join(", ") })}
            </Text>
          ) : null}
        </Section>
      ) : null}

      <ResidentEmergencySection residentId={r.id} />
      <HistorySection residentId={r.id} />

      <Text size="sm" c="dimmed">
        {t("resident.timestamps", {
          created: ltr(formatDateTime(r.createdAt, locale)),
          updated: ltr(formatDateTime(r.updatedAt, locale)),
        })}
      </Text>

      {revealing ? (
        <RevealDialog
          residentId={r.id}
          fields={revealing}
          onClose={() => setRevealing(null)}
          onRevealed={(v) => {
            setRevealed(v);
            setRevealing(null);
          }}
        />
      ) : null}

      <AppModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t("resident.archiveTitle", { name })}
      >
        <Stack gap="md">
          <Text>{t("resident.archiveText")}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t("app.cancel")}
            </Button>
            <Button color="red" loading={busy} onClick={() => void archiveOrRestore()}>
              {t("resident.archiveConfirm")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}
