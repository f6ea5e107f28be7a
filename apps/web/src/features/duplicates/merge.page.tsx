import { useState } from "react";
import {
  Alert,
  Breadcrumbs,
  Button,
  Group,
  List,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import {
  MERGEABLE_FIELDS,
  type MergePreview,
  type MergeResult,
  type MergeSide,
  type MergeableField,
} from "@kaveret/contracts";
import { ApiError, apiPost } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { AnchorLink, ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDate } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { addressLine, formatPhone, fullName, ltr } from "../residents/resident-labels.ts";
import type { RevealResponse } from "../residents/residents.api.ts";
import { RevealDialog, type RevealField } from "../residents/reveal-dialog.tsx";
import { mergePreviewQuery } from "./duplicates.api.ts";
import {
  defaultChoices,
  hasValue,
  likelihood,
  sameValue,
  unitedLists,
  type Choices,
  type Side,
} from "./merge-choices.ts";

/** A record merged already answers 409 resident.merged with the survivor's id. */
function mergedInto(err: unknown): string | null {
  if (!(err instanceof ApiError) || err.code !== "resident.merged") return null;
  const details = err.details as { mergedIntoId?: unknown } | undefined;
  return typeof details?.mergedIntoId === "string" ? details.mergedIntoId : null;
}

export function MergePage() {
  const { t } = useTranslation();
  const { id, otherId } = useParams({ from: "/app/residents/$id/merge/$otherId" });
  const preview = useQuery(mergePreviewQuery(id, otherId));
  return (
    <Stack gap="md">
      <Breadcrumbs separator="›" aria-label={t("duplicates.breadcrumb")} component="nav">
        <AnchorLink to="/residents">{t("residents.title")}</AnchorLink>
        <AnchorLink to="/residents/duplicates">{t("duplicates.title")}</AnchorLink>
        <Text span aria-current="page">
          {t("merge.title")}
        </Text>
      </Breadcrumbs>
      <PageTitle>{t("merge.title")}</PageTitle>
      {preview.isPending ? <PageLoader /> : null}
      {preview.isError ? <PreviewError error={preview.error} onRetry={preview.refetch} /> : null}
      {preview.isSuccess ? (
        // A new pair (or new versions) starts from fresh defaults.
        <MergeForm
          key={`${preview.data.survivor.id}:${preview.data.survivor.version}:${preview.data.other.version}`}
          preview={preview.data}
          onReload={() => void preview.refetch()}
        />
      ) : null}
    </Stack>
  );
}

function PreviewError({ error, onRetry }: { error: unknown; onRetry: () => unknown }) {
  const { t } = useTranslation();
  const survivor = mergedInto(error);
  if (survivor) {
    return (
      <Alert color="blue" title={t("merge.alreadyMerged")}>
        <AnchorLink to="/residents/$id" params={{ id: survivor }}>
          {t("merge.openSurvivor")}
        </AnchorLink>
      </Alert>
    );
  }
  return <ErrorState error={error} onRetry={() => void onRetry()} />;
}

type Revealed = Partial<Record<"survivor" | "merged", RevealResponse>>;

function MergeForm({ preview, onReload }: { preview: MergePreview; onReload: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { survivor: s, other: o } = preview;
  const [choices, setChoices] = useState<Choices>(() => defaultChoices(s, o));
  const [revealed, setRevealed] = useState<Revealed>({});
  const [revealing, setRevealing] = useState<{ side: Side; field: RevealField } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const united = unitedLists(s, o);
  const level = likelihood(preview.score);
  const sideOf = (side: Side) => (side === "survivor" ? s : o);

  const merge = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await apiPost<MergeResult>(
        `/api/residents/${encodeURIComponent(s.id)}/merge`,
        {
          otherId: o.id,
          version: s.version,
          otherVersion: o.version,
          choices,
        },
      );
      await queryClient.invalidateQueries({ queryKey: ["residents"] });
      notify(t("merge.done", { name: isolate(fullName(s)) }));
      void navigate({ to: "/residents/$id", params: { id: result.id } });
    } catch (err) {
      setError(err);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const conflict = error instanceof ApiError && error.code === "version_conflict";

  return (
    <Stack gap="md">
      <Text maw="70ch">{t("merge.intro")}</Text>

      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="merge-records">
        <Stack gap="sm">
          <Group justify="space-between" gap="xs" wrap="wrap">
            <Title order={2} size="h4" id="merge-records">
              {t("merge.records")}
            </Title>
            <ButtonLink
              to="/residents/$id/merge/$otherId"
              params={{ id: o.id, otherId: s.id }}
              replace
              variant="default"
              size="xs"
            >
              {t("merge.swap")}
            </ButtonLink>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <RecordHeader r={s} role="survivor" />
            <RecordHeader r={o} role="merged" />
          </SimpleGrid>
          <Group gap={6} wrap="wrap">
            {preview.reasons.length > 0 ? (
              <>
                <Text size="sm">{t("merge.signs")}</Text>
                {preview.reasons.map((reason) => (
                  <SoftBadge key={reason} color="yellow" tt="none">
                    {t(`duplicates.reasons.${reason}`)}
                  </SoftBadge>
                ))}
                <SoftBadge
                  color={level === "high" ? "red" : level === "medium" ? "orange" : "gray"}
                >
                  {t(`duplicates.likelihood.${level}`)}
                </SoftBadge>
              </>
            ) : (
              <Text size="sm">{t("merge.noSigns")}</Text>
            )}
          </Group>
          {preview.idNumbersMatch === false ? (
            <Alert color="red" role="alert" title={t("merge.idDiffersTitle")}>
              {t("merge.idDiffers")}
            </Alert>
          ) : null}
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="merge-fields">
        <Stack gap="md">
          <div>
            <Title order={2} size="h4" id="merge-fields">
              {t("merge.fieldsTitle")}
            </Title>
            <Text size="sm" c="dimmed">
              {t("merge.fieldsHint")}
            </Text>
          </div>
          {MERGEABLE_FIELDS.map((field) => (
            <FieldChoice
              key={field}
              field={field}
              s={s}
              o={o}
              idNumbersMatch={preview.idNumbersMatch}
              value={choices[field]}
              onChange={(side) => setChoices((c) => ({ ...c, [field]: side }))}
              display={(side) => displayValue(t, field, sideOf(side), revealed[side])}
              onReveal={
                field === "healthNotes" || field === "idNumber"
                  ? (side) => setRevealing({ side, field })
                  : undefined
              }
              isRevealed={(side) =>
                (field === "healthNotes" || field === "idNumber") &&
                revealed[side]?.[field] !== undefined
              }
            />
          ))}
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="merge-united">
        <Stack gap="xs">
          <Title order={2} size="h4" id="merge-united">
            {t("merge.unitedTitle")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("merge.unitedHint")}
          </Text>
          <List spacing={4} size="sm">
            <United
              label={t("merge.united.languages")}
              items={united.languages.map((l) =>
                t(`residents.languages.${l}`, { defaultValue: l }),
              )}
            />
            <United
              label={t("merge.united.roles")}
              items={united.communityRoles.map((r) => t(`residents.roles.${r}`))}
            />
            <United label={t("merge.united.skills")} items={united.skills} />
            <United
              label={t("merge.united.flags")}
              items={united.flags.map((f) => t(`residents.flags.${f}`))}
            />
            <United
              label={t("merge.united.communities")}
              items={united.communities.map((c) => c.name)}
            />
            <United
              label={t("merge.united.caseworkers")}
              items={united.caseworkers.map((c) => c.name)}
            />
            <List.Item>
              <Text span size="sm" fw={700}>
                {t("merge.united.consents")}:{" "}
              </Text>
              <Text span size="sm">
                {united.consentEvents === 0
                  ? t("merge.united.noConsentEvents")
                  : t("merge.united.consentEvents", { count: united.consentEvents })}
              </Text>
            </List.Item>
            {o.hasAccount ? (
              <List.Item>
                <Text span size="sm">
                  {s.hasAccount ? t("merge.united.bothAccounts") : t("merge.united.accountMoves")}
                </Text>
              </List.Item>
            ) : null}
          </List>
        </Stack>
      </Paper>

      {error ? (
        <Alert color="red" role="alert" title={conflict ? t("merge.conflictTitle") : undefined}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{conflict ? t("merge.conflict") : errorMessage(t, error)}</Text>
            {conflict ? (
              <Button size="xs" variant="outline" color="red" onClick={onReload}>
                {t("merge.reload")}
              </Button>
            ) : null}
          </Stack>
        </Alert>
      ) : null}

      <Group justify="flex-end" gap="sm">
        <ButtonLink to="/residents/duplicates" variant="default">
          {t("app.cancel")}
        </ButtonLink>
        <Button color="red" onClick={() => setConfirming(true)}>
          {t("merge.submit")}
        </Button>
      </Group>

      <AppModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t("merge.confirmTitle")}
      >
        <Stack gap="md">
          <Text>
            {t("merge.confirmText", {
              other: isolate(fullName(o)),
              survivor: isolate(fullName(s)),
            })}
          </Text>
          <Text size="sm" c="dimmed">
            {t("merge.confirmHistory")}
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t("app.cancel")}
            </Button>
            <Button color="red" loading={busy} onClick={() => void merge()}>
              {t("merge.confirm")}
            </Button>
          </Group>
        </Stack>
      </AppModal>

      {revealing ? (
        <RevealDialog
          residentId={sideOf(revealing.side).id}
          fields={[revealing.field]}
          onClose={() => setRevealing(null)}
          onRevealed={(values) => {
            const side = revealing.side;
            setRevealed((r) => ({ ...r, [side]: { ...r[side], ...values } }));
            setRevealing(null);
          }}
        />
      ) : null}
    </Stack>
  );
}

function RecordHeader({ r, role }: { r: MergeSide; role: Side }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Paper bg={role === "survivor" ? "honey.0" : "gray.0"} radius="sm" p="sm">
      <Stack gap={2}>
        <SoftBadge color={role === "survivor" ? "green" : "gray"} w="fit-content">
          {role === "survivor" ? t("merge.kept") : t("merge.mergedInto")}
        </SoftBadge>
        <AnchorLink to="/residents/$id" params={{ id: r.id }} fw={700}>
          {fullName(r)}
        </AnchorLink>
        <Text size="sm" c="dimmed">
          {t("merge.createdOn", { date: ltr(formatDate(r.createdAt, locale)) })}
        </Text>
      </Stack>
    </Paper>
  );
}

function United({ label, items }: { label: string; items: string[] }) {
  const { t } = useTranslation();
  return (
    <List.Item>
      <Text span size="sm" fw={700}>
        {label}:{" "}
      </Text>
      <Text span size="sm">
        {items.length > 0 ? items.join(", ") : t("merge.nothing")}
      </Text>
    </List.Item>
  );
}

function FieldChoice({
  field,
  s,
  o,
  idNumbersMatch,
  value,
  onChange,
  display,
  onReveal,
  isRevealed,
}: {
  field: MergeableField;
  s: MergeSide;
  o: MergeSide;
  idNumbersMatch: boolean | null;
  value: Side;
  onChange: (side: Side) => void;
  display: (side: Side) => string;
  onReveal?: ((side: Side) => void) | undefined;
  isRevealed: (side: Side) => boolean;
}) {
  const { t } = useTranslation();
  const label = t(`merge.fields.${field}`);
  if (sameValue(s, o, field, idNumbersMatch)) {
    return (
      <Group gap="xs" wrap="wrap" data-testid={`merge-field-${field}`}>
        <Text size="sm" fw={700}>
          {label}:
        </Text>
        <Text size="sm">{hasValue(s, field) ? display("survivor") : t("merge.emptyBoth")}</Text>
        {hasValue(s, field) ? (
          <Text size="xs" c="dimmed">
            ({t("merge.sameBoth")})
          </Text>
        ) : null}
      </Group>
    );
  }
  return (
    <Radio.Group
      label={label}
      value={value}
      onChange={(v) => onChange(v === "merged" ? "merged" : "survivor")}
      data-testid={`merge-field-${field}`}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt={6}>
        {(["survivor", "merged"] as const).map((side) => (
          <Paper key={side} withBorder radius="sm" p="xs">
            <Stack gap={4}>
              <Radio
                value={side}
                label={display(side)}
                description={side === "survivor" ? t("merge.fromKept") : t("merge.fromOther")}
              />
              {onReveal && hasValue(side === "survivor" ? s : o, field) && !isRevealed(side) ? (
                <Button
                  variant="subtle"
                  size="compact-xs"
                  w="fit-content"
                  onClick={() => onReveal(side)}
                >
                  {t("merge.reveal")}
                  <VisuallyHidden>
                    {" "}
                    {t("merge.revealFor", {
                      field: label,
                      name: fullName(side === "survivor" ? s : o),
                    })}
                  </VisuallyHidden>
                </Button>
              ) : null}
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}

type T = ReturnType<typeof useTranslation>["t"];

/** Text as people wrote it keeps its own direction inside a sentence (FSI … PDI). */
const isolate = (text: string) => `\u2068${text}\u2069`;

/** The value of a field as the merge screen shows it (sensitive ones only when revealed). */
function displayValue(
  t: T,
  field: MergeableField,
  r: MergeSide,
  revealed: RevealResponse | undefined,
): string {
  if (!hasValue(r, field)) return t("merge.empty");
  switch (field) {
    case "phone":
      return r.phone ? ltr(formatPhone(r.phone)) : t("merge.empty");
    case "birthYear":
      return String(r.birthYear);
    case "gender":
      return r.gender ? t(`residents.genders.${r.gender}`) : t("merge.empty");
    case "address": {
      const line = addressLine(t, r.address);
      return [line, r.address.note].filter(Boolean).join(" · ") || t("merge.empty");
    }
    case "location":
      return r.location
        ? ltr(`${r.location.lat.toFixed(5)}, ${r.location.lon.toFixed(5)}`)
        : t("merge.empty");
    case "householdId": {
      const role = r.householdRole ? t(`residents.householdRoles.${r.householdRole}`) : null;
      const name = r.household?.label ? isolate(r.household.label) : t("merge.household");
      return role ? `${name} (${role})` : name;
    }
    case "healthNotes":
    case "idNumber": {
      const value = revealed?.[field];
      return typeof value === "string" ? isolate(value) : t("merge.hasValue");
    }
    case "notes":
      return isolate(r.notes.length > 140 ? `${r.notes.slice(0, 140)}…` : r.notes);
    default:
      // Names and e-mail as people wrote them, in their own direction.
      return isolate(String(r[field] ?? ""));
  }
}
