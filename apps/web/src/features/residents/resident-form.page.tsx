import { useEffect, useMemo, useRef, useState } from "react";
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import {
  COMMUNITY_ROLES,
  CONSENT_PURPOSES,
  GENDERS,
  RESIDENT_LANGUAGES,
  VULNERABILITY_FLAGS,
  createResidentBodySchema,
  isPlausiblePhone,
  normalizePhone,
  updateResidentBodySchema,
  type Resident,
} from "@kaveret/contracts";
import { ApiError, apiPatch, apiPost } from "../../api/client.ts";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import {
  errorMessage,
  serverFieldErrors,
  toFieldErrors,
  type FieldErrors,
} from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { LazyPointPicker } from "../map/lazy-map.tsx";
import { isManager } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { CaseworkerPicker } from "./caseworker-picker.tsx";
import { STAFF_CONSENT_METHODS } from "./consents-section.tsx";
import { DuplicateCandidatesList } from "./duplicate-candidates.tsx";
import { HouseholdPicker } from "./household-picker.tsx";
import {
  CODE_FIELDS,
  duplicateCheckOf,
  emptyValues,
  formFieldOf,
  toCreateBody,
  toUpdateBody,
  valuesFromResident,
  type ResidentFormValues,
} from "./resident-form.ts";
import { fullName, keepsRegistry } from "./resident-labels.ts";
import { residentQuery, type DuplicateCandidates } from "./residents.api.ts";
import { RevealDialog, type RevealField } from "./reveal-dialog.tsx";
import { StreetSelect } from "./street-select.tsx";

export function NewResidentPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  // Managers and community workers keep the registry (the server checks each record anyway).
  if (!keepsRegistry(roles)) {
    return <ErrorState error={new ApiError(403, "forbidden", t("errors.forbidden"))} />;
  }
  return <ResidentForm initial={emptyValues()} />;
}

export function EditResidentPage() {
  const { id } = useParams({ from: "/app/residents/$id/edit" });
  const resident = useQuery(residentQuery(id));
  const { t } = useTranslation();
  if (resident.isPending) return <PageLoader />;
  if (resident.isError) {
    return <ErrorState error={resident.error} onRetry={() => void resident.refetch()} />;
  }
  if (resident.data.access !== "full") {
    return <ErrorState error={new ApiError(403, "forbidden", t("errors.forbidden"))} />;
  }
  return (
    <ResidentForm
      key={resident.data.id}
      resident={resident.data}
      initial={valuesFromResident(resident.data)}
    />
  );
}

function mapErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    const f = formFieldOf(k);
    if (!(f in out)) out[f] = v;
  }
  return out;
}

function ResidentForm({ resident, initial }: { resident?: Resident; initial: ResidentFormValues }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { roles } = useSession();
  const [values, setValues] = useState<ResidentFormValues>(initial);
  const [version, setVersion] = useState(resident?.version ?? 1);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Resident | null>(null);
  const [busy, setBusy] = useState(false);
  const [revealing, setRevealing] = useState<RevealField[] | null>(null);
  const [dupes, setDupes] = useState<DuplicateCandidates["items"]>([]);
  const lastCheck = useRef("");
  const communities = useQuery(parentOptionsQuery);
  const formRef = useRef<HTMLFormElement>(null);

  const set = <K extends keyof ResidentFormValues>(key: K, value: ResidentFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const patch = (p: Partial<ResidentFormValues>) => setValues((v) => ({ ...v, ...p }));

  const allCommunities = useMemo(() => communities.data?.items ?? [], [communities.data]);
  const towns = allCommunities.filter((c) => c.kind === "geographic" && c.level === "town");
  const onlyTown = towns.length === 1 ? (towns[0]?.id ?? null) : null;
  const townId = values.townId ?? onlyTown;
  const communityOptions = allCommunities.map((c) => ({
    value: c.id,
    label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
  }));
  const homeOptions = allCommunities
    .filter((c) => c.kind === "geographic")
    .map((c) => ({ value: c.id, label: c.parentName ? `${c.name} (${c.parentName})` : c.name }));
  // Keep chosen communities the list does not hold (beyond its first 100) choosable.
  for (const id of [values.homeCommunityId, ...values.communityIds]) {
    if (!id || communityOptions.some((o) => o.value === id)) continue;
    const known = resident?.communities.find((c) => c.id === id);
    communityOptions.push({ value: id, label: known?.name ?? id });
    if (id === values.homeCommunityId) homeOptions.push({ value: id, label: known?.name ?? id });
  }

  // Focus the first field that needs attention after a failed save.
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    const el = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  }, [errors]);

  const checkDuplicates = async () => {
    const body = duplicateCheckOf({
      firstName: values.firstName,
      lastName: values.lastName,
      phone: values.phone,
      idNumber: values.idNumber,
      streetId: values.streetId,
      houseNumber: values.houseNumber,
      excludeId: resident?.id,
    });
    if (!body) return;
    const signature = JSON.stringify(body);
    if (signature === lastCheck.current) return;
    lastCheck.current = signature;
    try {
      const res = await apiPost<DuplicateCandidates>("/api/residents/check-duplicates", body);
      setDupes(res.items);
    } catch {
      // A warning only: when the check fails the form works as before.
      lastCheck.current = "";
    }
  };

  const phoneBlur = () => {
    const raw = values.phone.trim();
    if (raw) {
      const e164 = normalizePhone(raw);
      setErrors((prev) => {
        const next = { ...prev };
        if (isPlausiblePhone(e164)) delete next.phone;
        else next.phone = t("errors.resident.invalid_phone");
        return next;
      });
    }
    void checkDuplicates();
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = resident
      ? updateResidentBodySchema.safeParse(toUpdateBody(values, version))
      : createResidentBodySchema.safeParse(toCreateBody(values));
    if (!parsed.success) {
      const errs = mapErrors(toFieldErrors(t, parsed.error.issues));
      // The contract's own checks on these two have a sentence of their own.
      for (const issue of parsed.error.issues) {
        const field = formFieldOf(issue.path.map(String).join("."));
        if (issue.code !== "custom") continue;
        if (field === "idNumber") errs.idNumber = t("errors.resident.invalid_id_number");
        if (field === "phone") errs.phone = t("errors.resident.invalid_phone");
      }
      setErrors(errs);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = resident
        ? await apiPatch<Resident>(`/api/residents/${resident.id}`, parsed.data)
        : await apiPost<Resident>("/api/residents", parsed.data);
      await queryClient.invalidateQueries({ queryKey: ["residents"] });
      await queryClient.invalidateQueries({ queryKey: ["households"] });
      notify(t(resident ? "residentForm.saved" : "residentForm.created"));
      await navigate({ to: "/residents/$id", params: { id: saved.id } });
    } catch (err) {
      if (err instanceof ApiError && err.code === "version_conflict" && resident) {
        const current = await queryClient
          .fetchQuery({ ...residentQuery(resident.id), staleTime: 0 })
          .then((r) => (r.access === "full" ? r : null))
          .catch(() => null);
        setConflict(current);
        if (!current) setError(err);
      } else if (err instanceof ApiError && CODE_FIELDS[err.code]) {
        setErrors({ [CODE_FIELDS[err.code] ?? "_form"]: errorMessage(t, err) });
        setError(err);
      } else {
        setErrors(mapErrors(serverFieldErrors(t, err)));
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const keepMine = () => {
    if (conflict) setVersion(conflict.version);
    setConflict(null);
  };
  const loadTheirs = () => {
    if (conflict) {
      setValues(valuesFromResident(conflict));
      setVersion(conflict.version);
      setConflict(null);
    }
  };

  const title = resident
    ? t("residentForm.titleEdit", { name: fullName(resident) })
    : t("residentForm.titleNew");

  return (
    <Stack gap="md" maw={820}>
      <PageTitle>{title}</PageTitle>
      {conflict ? (
        <Alert color="orange" role="alert" title={t("residentForm.conflictTitle")}>
          <Stack gap="sm">
            <Text size="sm">{t("residentForm.conflict")}</Text>
            <Group gap="xs">
              <Button size="xs" onClick={loadTheirs} variant="default">
                {t("residentForm.loadTheirs")}
              </Button>
              <Button size="xs" onClick={keepMine}>
                {t("residentForm.keepMine")}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : null}
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="lg">
          <Fieldset legend={t("residentForm.names")}>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t("residentForm.firstName")}
                  required
                  maxLength={80}
                  autoComplete="off"
                  value={values.firstName}
                  error={errors.firstName}
                  onChange={(e) => set("firstName", e.currentTarget.value)}
                  onBlur={() => void checkDuplicates()}
                />
                <TextInput
                  label={t("residentForm.lastName")}
                  required
                  maxLength={80}
                  autoComplete="off"
                  value={values.lastName}
                  error={errors.lastName}
                  onChange={(e) => set("lastName", e.currentTarget.value)}
                  onBlur={() => void checkDuplicates()}
                />
              </SimpleGrid>
              <TextInput
                label={t("residentForm.otherNames")}
                description={t("residentForm.otherNamesHint")}
                maxLength={200}
                autoComplete="off"
                value={values.otherNames}
                error={errors.otherNames}
                onChange={(e) => set("otherNames", e.currentTarget.value)}
              />
            </Stack>
          </Fieldset>

          {dupes.length > 0 ? (
            <DuplicateCandidatesList
              candidates={dupes}
              residentId={resident?.id}
              title={t("residentForm.dupTitle", { count: dupes.length })}
              hint={t(resident ? "residentForm.dupHintEdit" : "residentForm.dupHint")}
            />
          ) : null}

          <Fieldset legend={t("residentForm.contact")}>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t("residentForm.phone")}
                  description={t("residentForm.phoneHint")}
                  type="tel"
                  inputMode="tel"
                  autoComplete="off"
                  dir="ltr"
                  maxLength={30}
                  value={values.phone}
                  error={errors.phone}
                  onChange={(e) => set("phone", e.currentTarget.value)}
                  onBlur={phoneBlur}
                />
                <TextInput
                  label={t("residentForm.email")}
                  type="email"
                  autoComplete="off"
                  dir="ltr"
                  maxLength={200}
                  value={values.email}
                  error={errors.email}
                  onChange={(e) => set("email", e.currentTarget.value)}
                />
                <NumberInput
                  label={t("residentForm.birthYear")}
                  min={1900}
                  max={2100}
                  allowDecimal={false}
                  allowNegative={false}
                  hideControls
                  inputMode="numeric"
                  value={values.birthYear}
                  error={errors.birthYear}
                  onChange={(v) => set("birthYear", v)}
                />
                <NativeSelect
                  label={t("residentForm.gender")}
                  value={values.gender}
                  error={errors.gender}
                  data={[
                    { value: "", label: t("residentForm.genderUnknown") },
                    ...GENDERS.map((g) => ({ value: g, label: t(`residents.genders.${g}`) })),
                  ]}
                  onChange={(e) => set("gender", e.currentTarget.value)}
                />
              </SimpleGrid>
              <Checkbox.Group
                label={t("residentForm.languages")}
                value={values.languages}
                error={errors.languages}
                onChange={(v) => set("languages", v)}
              >
                <Group gap="md" mt={6}>
                  {RESIDENT_LANGUAGES.map((l) => (
                    <Checkbox key={l} value={l} label={t(`residents.languages.${l}`)} />
                  ))}
                </Group>
              </Checkbox.Group>
            </Stack>
          </Fieldset>

          <Fieldset legend={t("residentForm.address")}>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                {towns.length > 1 ? (
                  <NativeSelect
                    label={t("residentForm.town")}
                    value={values.townId ?? ""}
                    data={[
                      { value: "", label: t("residentForm.townAny") },
                      ...towns.map((c) => ({ value: c.id, label: c.name })),
                    ]}
                    onChange={(e) => set("townId", e.currentTarget.value || null)}
                  />
                ) : null}
                <StreetSelect
                  townId={townId}
                  value={values.streetId}
                  valueName={values.streetName}
                  error={errors.streetId}
                  canAdd={keepsRegistry(roles)}
                  onChange={(s) =>
                    patch({
                      streetId: s?.id ?? null,
                      streetName: s?.name ?? null,
                      ...(s && !values.townId && towns.length > 1 ? { townId: s.townId } : {}),
                    })
                  }
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
                <TextInput
                  label={t("residentForm.houseNumber")}
                  maxLength={10}
                  value={values.houseNumber}
                  error={errors.houseNumber}
                  onChange={(e) => set("houseNumber", e.currentTarget.value)}
                  onBlur={() => void checkDuplicates()}
                />
                <TextInput
                  label={t("residentForm.apartment")}
                  maxLength={10}
                  value={values.apartment}
                  error={errors.apartment}
                  onChange={(e) => set("apartment", e.currentTarget.value)}
                />
              </SimpleGrid>
              <TextInput
                label={t("residentForm.addressNote")}
                description={t("residentForm.addressNoteHint")}
                maxLength={300}
                value={values.addressNote}
                error={errors.addressNote}
                onChange={(e) => set("addressNote", e.currentTarget.value)}
              />
              <LazyPointPicker
                label={t("residentForm.point")}
                value={values.location}
                onChange={(v) => set("location", v)}
              />
              {errors.location ? (
                <Text size="sm" c="red.8" role="alert">
                  {errors.location}
                </Text>
              ) : null}
            </Stack>
          </Fieldset>

          <Fieldset legend={t("residentForm.communities")}>
            <Stack gap="sm">
              <Select
                label={t("residentForm.homeCommunity")}
                description={t(
                  resident
                    ? "residentForm.homeCommunityHintEdit"
                    : "residentForm.homeCommunityHint",
                )}
                placeholder={t("residentForm.homeCommunityAuto")}
                searchable
                clearable
                nothingFoundMessage={t("residents.filter.noCommunity")}
                data={homeOptions}
                value={values.homeCommunityId}
                error={
                  errors.homeCommunityId ??
                  (communities.isError ? errorMessage(t, communities.error) : undefined)
                }
                onChange={(v) => patch({ homeCommunityId: v, homeCommunityTouched: true })}
                comboboxProps={{ withinPortal: true }}
              />
              <MultiSelect
                label={t("residentForm.moreCommunities")}
                description={t("residentForm.moreCommunitiesHint")}
                searchable
                clearable
                nothingFoundMessage={t("residents.filter.noCommunity")}
                data={communityOptions.filter((o) => o.value !== values.homeCommunityId)}
                value={values.communityIds}
                error={errors.communityIds}
                onChange={(v) => set("communityIds", v)}
                comboboxProps={{ withinPortal: true }}
              />
            </Stack>
          </Fieldset>

          <HouseholdPicker
            values={values}
            errors={errors}
            excludeId={resident?.id}
            onChange={patch}
          />

          <Fieldset legend={t("residentForm.involvement")}>
            <Stack gap="sm">
              <Checkbox.Group
                label={t("residentForm.roles")}
                value={values.communityRoles}
                error={errors.communityRoles}
                onChange={(v) => set("communityRoles", v)}
              >
                <Group gap="md" mt={6}>
                  {COMMUNITY_ROLES.map((r) => (
                    <Checkbox key={r} value={r} label={t(`residents.roles.${r}`)} />
                  ))}
                </Group>
              </Checkbox.Group>
              <TagsInput
                label={t("residentForm.skills")}
                description={t("residentForm.skillsHint")}
                maxTags={20}
                clearable
                value={values.skills}
                error={errors.skills}
                onChange={(v) =>
                  set(
                    "skills",
                    v.map((s) => s.slice(0, 40)),
                  )
                }
              />
            </Stack>
          </Fieldset>

          <Fieldset legend={t("residentForm.vulnerability")}>
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                {t("residentForm.vulnerabilityHint")}
              </Text>
              <Checkbox.Group
                label={t("residentForm.flags")}
                value={values.flags}
                error={errors.flags}
                onChange={(v) => set("flags", v)}
              >
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt={6}>
                  {VULNERABILITY_FLAGS.map((f) => (
                    <Checkbox
                      key={f}
                      value={f}
                      label={t(`residents.flags.${f}`)}
                      description={t(`residents.flagHints.${f}`)}
                    />
                  ))}
                </SimpleGrid>
              </Checkbox.Group>
              <SensitiveInput
                kind="healthNotes"
                held={Boolean(resident?.hasHealthNotes)}
                touched={values.healthNotesTouched || !resident}
                value={values.healthNotes}
                error={errors.healthNotes}
                onChange={(v) => patch({ healthNotes: v, healthNotesTouched: true })}
                onReveal={() => setRevealing(["healthNotes"])}
                onReplace={() => patch({ healthNotes: "", healthNotesTouched: true })}
              />
              <SensitiveInput
                kind="idNumber"
                held={Boolean(resident?.hasIdNumber)}
                touched={values.idNumberTouched || !resident}
                value={values.idNumber}
                error={errors.idNumber}
                onChange={(v) => patch({ idNumber: v, idNumberTouched: true })}
                onBlur={() => void checkDuplicates()}
                onReveal={() => setRevealing(["idNumber"])}
                onReplace={() => patch({ idNumber: "", idNumberTouched: true })}
              />
            </Stack>
          </Fieldset>

          {isManager(roles) ? (
            <CaseworkerPicker
              value={values.caseworkerIds}
              known={resident?.caseworkers ?? []}
              error={errors.caseworkerIds}
              onChange={(ids) => patch({ caseworkerIds: ids, caseworkersTouched: true })}
            />
          ) : null}

          <Textarea
            label={t("residentForm.notes")}
            description={t("residentForm.notesHint")}
            autosize
            minRows={3}
            maxRows={10}
            maxLength={4000}
            value={values.notes}
            error={errors.notes}
            onChange={(e) => set("notes", e.currentTarget.value)}
          />

          {!resident ? (
            <Fieldset legend={t("residentForm.consents")}>
              <Stack gap="sm">
                <Text size="sm" c="dimmed">
                  {t("residentForm.consentsHint")}
                </Text>
                {CONSENT_PURPOSES.map((p) => (
                  <Group key={p} gap="sm" align="flex-end" wrap="wrap">
                    <Checkbox
                      style={{ flex: "1 1 220px" }}
                      label={t(`residents.purposes.${p}`)}
                      description={t(`residents.purposeHints.${p}`)}
                      checked={values.consents[p].granted}
                      onChange={(e) => {
                        const granted = e.currentTarget.checked;
                        setValues((v) => ({
                          ...v,
                          consents: { ...v.consents, [p]: { ...v.consents[p], granted } },
                        }));
                      }}
                    />
                    {values.consents[p].granted ? (
                      <NativeSelect
                        label={t("residentForm.consentMethod", {
                          purpose: t(`residents.purposes.${p}`),
                        })}
                        w={200}
                        value={values.consents[p].method}
                        data={STAFF_CONSENT_METHODS.map((m) => ({
                          value: m,
                          label: t(`residents.methods.${m}`),
                        }))}
                        onChange={(e) => {
                          const method = e.currentTarget.value;
                          setValues((v) => ({
                            ...v,
                            consents: { ...v.consents, [p]: { ...v.consents[p], method } },
                          }));
                        }}
                      />
                    ) : null}
                  </Group>
                ))}
                {errors.consents ? (
                  <Text size="sm" c="red.8" role="alert">
                    {errors.consents}
                  </Text>
                ) : null}
              </Stack>
            </Fieldset>
          ) : null}

          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group gap="sm">
            <Button type="submit" loading={busy}>
              {resident ? t("app.save") : t("residentForm.create")}
            </Button>
            {resident ? (
              <ButtonLink variant="default" to="/residents/$id" params={{ id: resident.id }}>
                {t("app.cancel")}
              </ButtonLink>
            ) : (
              <ButtonLink variant="default" to="/residents">
                {t("app.cancel")}
              </ButtonLink>
            )}
          </Group>
        </Stack>
      </form>
      {revealing && resident ? (
        <RevealDialog
          residentId={resident.id}
          fields={revealing}
          onClose={() => setRevealing(null)}
          onRevealed={(v) => {
            if (revealing.includes("healthNotes")) {
              patch({ healthNotes: v.healthNotes ?? "", healthNotesTouched: true });
            }
            if (revealing.includes("idNumber")) {
              patch({ idNumber: v.idNumber ?? "", idNumberTouched: true });
            }
            setRevealing(null);
          }}
        />
      ) : null}
    </Stack>
  );
}

/**
 * Health notes or the ID number. On a new record, a plain field. On an existing one whose
 * value is held, the value stays hidden until the worker shows it (recorded) or replaces it.
 */
function SensitiveInput({
  kind,
  held,
  touched,
  value,
  error,
  onChange,
  onBlur,
  onReveal,
  onReplace,
}: {
  kind: RevealField;
  held: boolean;
  touched: boolean;
  value: string;
  error?: string | undefined;
  onChange: (v: string) => void;
  onBlur?: () => void;
  onReveal: () => void;
  onReplace: () => void;
}) {
  const { t } = useTranslation();
  const label = t(`resident.sensitive.${kind}`);
  const what = t(`resident.sensitive.what.${kind}`);
  if (held && !touched) {
    return (
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm" c="dimmed">
          {t("residentForm.sensitiveHeld")}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="light" onClick={onReveal}>
            {t("residentForm.sensitiveShow", { what })}
          </Button>
          <Button size="xs" variant="default" onClick={onReplace}>
            {t("residentForm.sensitiveReplace", { what })}
          </Button>
        </Group>
        {error ? (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        ) : null}
      </Stack>
    );
  }
  const description = held ? t("residentForm.sensitiveEmptyDeletes") : undefined;
  return kind === "healthNotes" ? (
    <Textarea
      label={label}
      description={description ?? t("residentForm.healthNotesHint")}
      autosize
      minRows={2}
      maxRows={8}
      maxLength={4000}
      value={value}
      error={error}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  ) : (
    <TextInput
      label={label}
      description={description ?? t("residentForm.idNumberHint")}
      inputMode="numeric"
      autoComplete="off"
      dir="ltr"
      maxLength={12}
      w={{ base: "100%", sm: 260 }}
      value={value}
      error={error}
      onChange={(e) => onChange(e.currentTarget.value)}
      onBlur={onBlur}
    />
  );
}
