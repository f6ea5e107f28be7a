import { useEffect, useMemo, useRef, useState } from "react";
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Grid,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import {
  ASSET_LANGUAGES,
  ASSET_LIMITS,
  OCCUPANCY_ASSET_TYPES,
  ORGANIZATION_KINDS,
  WEEKDAYS,
  createAssetBodySchema,
  updateAssetBodySchema,
  type Asset,
  type OrganizationKind,
  type Weekday,
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
import { StreetSelect } from "../residents/street-select.tsx";
import { useSession } from "../shell/session.tsx";
import { canWriteAssets } from "./asset-access.ts";
import {
  CODE_FIELDS,
  normalizeTime,
  addRow,
  copyToWorkWeek,
  emptyValues,
  formFieldOf,
  toCreateBody,
  toUpdateBody,
  valuesFromAsset,
  type AssetFormValues,
  type HoursRow,
} from "./asset-form.ts";
import { AssetTypeIcon } from "./asset-type-icon.tsx";
import {
  ASSET_TYPES_BY_GROUP,
  assetTypeGroupLabel,
  assetTypeLabel,
  isAssetType,
} from "./asset-types.ts";
import { assetQuery, organizationOptionsQuery, serviceOptionsQuery } from "./assets.api.ts";

export function NewAssetPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  if (!canWriteAssets(roles)) {
    return <ErrorState error={new ApiError(403, "forbidden", t("errors.forbidden"))} />;
  }
  return <AssetForm initial={emptyValues()} />;
}

export function EditAssetPage() {
  const { id } = useParams({ from: "/app/assets/$id/edit" });
  const asset = useQuery(assetQuery(id));
  const { t } = useTranslation();
  if (asset.isPending) return <PageLoader />;
  if (asset.isError) {
    return <ErrorState error={asset.error} onRetry={() => void asset.refetch()} />;
  }
  if (!asset.data.canEdit) {
    return <ErrorState error={new ApiError(403, "forbidden", t("errors.forbidden"))} />;
  }
  return <AssetForm key={asset.data.id} asset={asset.data} initial={valuesFromAsset(asset.data)} />;
}

function mapErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    const f = formFieldOf(k.replace(/^body\./, ""));
    if (!(f in out)) out[f] = v;
  }
  return out;
}

const NEW_ORG = "__new__";

function AssetForm({ asset, initial }: { asset?: Asset; initial: AssetFormValues }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { roles } = useSession();
  const [values, setValues] = useState<AssetFormValues>(initial);
  const [version, setVersion] = useState(asset?.version ?? 1);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Asset | null>(null);
  const [busy, setBusy] = useState(false);
  const communities = useQuery(parentOptionsQuery);
  const formRef = useRef<HTMLFormElement>(null);

  const set = <K extends keyof AssetFormValues>(key: K, value: AssetFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const patch = (p: Partial<AssetFormValues>) => setValues((v) => ({ ...v, ...p }));

  const allCommunities = useMemo(() => communities.data?.items ?? [], [communities.data]);
  const towns = allCommunities.filter((c) => c.kind === "geographic" && c.level === "town");
  const onlyTown = towns.length === 1 ? (towns[0]?.id ?? null) : null;
  const townId = values.townId ?? onlyTown;
  const communityOptions = allCommunities.map((c) => ({
    value: c.id,
    label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
  }));
  if (values.communityId && !communityOptions.some((o) => o.value === values.communityId)) {
    communityOptions.push({
      value: values.communityId,
      label: asset?.community?.name ?? values.communityId,
    });
  }

  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    const el = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  }, [errors]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = asset
      ? updateAssetBodySchema.safeParse(toUpdateBody(values, version))
      : createAssetBodySchema.safeParse(toCreateBody(values));
    if (!parsed.success) {
      const errs = mapErrors(toFieldErrors(t, parsed.error.issues));
      for (const issue of parsed.error.issues) {
        const field = formFieldOf(issue.path.map(String).join("."));
        if (issue.code !== "custom") continue;
        if (field === "phone") errs.phone = t("asset.invalidPhone");
        if (/^openingHours\.\d+\.closes$/.test(field)) errs[field] = t("asset.closesAfterOpens");
        if (/^openingHours\.\d+\.opens$/.test(field)) errs[field] = t("asset.hoursOverlap");
      }
      setErrors(errs);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = asset
        ? await apiPatch<Asset>(`/api/assets/${asset.id}`, parsed.data)
        : await apiPost<Asset>("/api/assets", parsed.data);
      queryClient.setQueryData(assetQuery(saved.id).queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: ["assets", "list"] });
      await queryClient.invalidateQueries({ queryKey: ["assets", "organizations"] });
      notify(t(asset ? "assetForm.saved" : "assetForm.created"));
      await navigate({ to: "/assets/$id", params: { id: saved.id } });
    } catch (err) {
      if (err instanceof ApiError && err.code === "version_conflict" && asset) {
        const current = await queryClient
          .fetchQuery({ ...assetQuery(asset.id), staleTime: 0 })
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
      setValues(valuesFromAsset(conflict));
      setVersion(conflict.version);
      setConflict(null);
    }
  };

  const typeData = ASSET_TYPES_BY_GROUP.map(({ group, types }) => ({
    group: assetTypeGroupLabel(t, group),
    items: types.map((type) => ({ value: type, label: assetTypeLabel(t, type) })),
  }));
  const showsOccupancy =
    values.type !== "" && (OCCUPANCY_ASSET_TYPES as readonly string[]).includes(values.type);
  const title = asset ? t("assetForm.titleEdit", { name: asset.name }) : t("assetForm.titleNew");

  return (
    <Stack gap="md" maw={860}>
      <PageTitle>{title}</PageTitle>
      {conflict ? (
        <Alert color="orange" role="alert" title={t("assetForm.conflictTitle")}>
          <Stack gap="sm">
            <Text size="sm">{t("assetForm.conflict")}</Text>
            <Group gap="xs">
              <Button size="xs" onClick={loadTheirs} variant="default">
                {t("assetForm.loadTheirs")}
              </Button>
              <Button size="xs" onClick={keepMine}>
                {t("assetForm.keepMine")}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : null}
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="lg">
          <Fieldset legend={t("assetForm.what")}>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t("assetForm.name")}
                  required
                  maxLength={ASSET_LIMITS.name}
                  value={values.name}
                  error={errors.name}
                  onChange={(e) => set("name", e.currentTarget.value)}
                />
                <Select
                  label={t("assetForm.type")}
                  required
                  searchable
                  data={typeData}
                  value={values.type || null}
                  error={errors.type}
                  maxDropdownHeight={320}
                  leftSection={
                    values.type ? <AssetTypeIcon type={values.type} size={20} /> : undefined
                  }
                  renderOption={({ option }) =>
                    isAssetType(option.value) ? (
                      <Group gap="xs" wrap="nowrap">
                        <AssetTypeIcon type={option.value} size={22} />
                        <span>{option.label}</span>
                      </Group>
                    ) : (
                      option.label
                    )
                  }
                  onChange={(v) => set("type", v && isAssetType(v) ? v : "")}
                  comboboxProps={{ withinPortal: true }}
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                {(["he", "ar", "en"] as const).map((l) => (
                  <TextInput
                    key={l}
                    label={t(`assetForm.altName.${l}`)}
                    maxLength={ASSET_LIMITS.name}
                    dir={l === "en" ? "ltr" : "rtl"}
                    value={values.altNames[l]}
                    error={errors[`altNames.${l}`]}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setValues((prev) => ({ ...prev, altNames: { ...prev.altNames, [l]: v } }));
                    }}
                  />
                ))}
              </SimpleGrid>
              <Textarea
                label={t("assetForm.description")}
                autosize
                minRows={2}
                maxLength={ASSET_LIMITS.description}
                value={values.description}
                error={errors.description}
                onChange={(e) => set("description", e.currentTarget.value)}
              />
              <OrganizationField values={values} errors={errors} patch={patch} />
            </Stack>
          </Fieldset>

          <Fieldset legend={t("assetForm.where")}>
            <Stack gap="sm">
              <NativeSelect
                label={t("assetForm.community")}
                description={t("assetForm.communityHint")}
                value={values.communityId}
                error={errors.communityId}
                data={[{ value: "", label: t("asset.departmentWide") }, ...communityOptions]}
                onChange={(e) => set("communityId", e.currentTarget.value)}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                {towns.length > 1 ? (
                  <NativeSelect
                    label={t("assetForm.town")}
                    value={values.townId ?? ""}
                    data={[
                      { value: "", label: t("assetForm.townAny") },
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
                  canAdd={canWriteAssets(roles)}
                  onChange={(s) => patch({ streetId: s?.id ?? null, streetName: s?.name ?? null })}
                />
                <TextInput
                  label={t("assetForm.houseNumber")}
                  maxLength={10}
                  disabled={!values.streetId}
                  value={values.houseNumber}
                  error={errors.houseNumber}
                  onChange={(e) => set("houseNumber", e.currentTarget.value)}
                />
              </SimpleGrid>
              <TextInput
                label={t("assetForm.address")}
                description={t("assetForm.addressHint")}
                maxLength={ASSET_LIMITS.address}
                value={values.address}
                error={errors.address}
                onChange={(e) => set("address", e.currentTarget.value)}
              />
              <LazyPointPicker
                label={t("assetForm.location")}
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

          <Fieldset legend={t("assetForm.contact")}>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput
                label={t("asset.phone")}
                type="tel"
                inputMode="tel"
                dir="ltr"
                maxLength={30}
                value={values.phone}
                error={errors.phone}
                onChange={(e) => set("phone", e.currentTarget.value)}
              />
              <TextInput
                label={t("asset.email")}
                type="email"
                dir="ltr"
                maxLength={200}
                value={values.email}
                error={errors.email}
                onChange={(e) => set("email", e.currentTarget.value)}
              />
              <TextInput
                label={t("asset.website")}
                type="url"
                inputMode="url"
                dir="ltr"
                maxLength={300}
                value={values.website}
                error={errors.website}
                onChange={(e) => set("website", e.currentTarget.value)}
              />
            </SimpleGrid>
          </Fieldset>

          <Fieldset legend={t("assetForm.capacityAccess")}>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
                <NumberInput
                  label={t("assetForm.capacity")}
                  description={t("assetForm.capacityHint")}
                  min={0}
                  max={ASSET_LIMITS.capacity}
                  allowDecimal={false}
                  allowNegative={false}
                  hideControls
                  inputMode="numeric"
                  value={values.capacity}
                  error={errors.capacity}
                  onChange={(v) => set("capacity", typeof v === "number" ? v : "")}
                />
                {showsOccupancy || values.occupancy !== "" ? (
                  <NumberInput
                    label={t("assetForm.occupancy")}
                    description={t("assetForm.occupancyHint")}
                    min={0}
                    max={ASSET_LIMITS.capacity}
                    allowDecimal={false}
                    allowNegative={false}
                    hideControls
                    inputMode="numeric"
                    value={values.occupancy}
                    error={errors.occupancy}
                    onChange={(v) => set("occupancy", typeof v === "number" ? v : "")}
                  />
                ) : null}
              </SimpleGrid>
              <Textarea
                label={t("asset.accessibility")}
                description={t("assetForm.accessibilityHint")}
                autosize
                minRows={2}
                maxLength={ASSET_LIMITS.accessibility}
                value={values.accessibility}
                error={errors.accessibility}
                onChange={(e) => set("accessibility", e.currentTarget.value)}
              />
              <Checkbox.Group
                label={t("asset.languages")}
                value={values.languages}
                error={errors.languages}
                onChange={(v) => set("languages", v)}
              >
                <Group gap="md" mt={6}>
                  {ASSET_LANGUAGES.map((l) => (
                    <Checkbox key={l} value={l} label={t(`assets.languages.${l}`)} />
                  ))}
                </Group>
              </Checkbox.Group>
            </Stack>
          </Fieldset>

          <Fieldset legend={t("asset.hours")}>
            <OpeningHoursEditor
              rows={values.openingHours}
              errors={errors}
              onChange={(rows) => set("openingHours", rows)}
            />
          </Fieldset>

          <Fieldset legend={t("asset.services")}>
            <ServicesField values={values} errors={errors} patch={patch} />
          </Fieldset>

          {error && !Object.keys(errors).length ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          {Object.keys(errors).length ? (
            <Alert color="red" role="alert">
              {t("assetForm.fixErrors")}
            </Alert>
          ) : null}
          <Group gap="xs">
            <Button type="submit" loading={busy}>
              {asset ? t("app.save") : t("assetForm.create")}
            </Button>
            {asset ? (
              <ButtonLink to="/assets/$id" params={{ id: asset.id }} variant="default">
                {t("app.cancel")}
              </ButtonLink>
            ) : (
              <ButtonLink to="/assets" variant="default">
                {t("app.cancel")}
              </ButtonLink>
            )}
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

/** Organization: pick one (searched on the server), add a new one by name, or none. */
function OrganizationField({
  values,
  errors,
  patch,
}: {
  values: AssetFormValues;
  errors: FieldErrors;
  patch: (p: Partial<AssetFormValues>) => void;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState(values.organizationName ?? "");
  const [debounced] = useDebouncedValue(typed.trim(), 250);
  const q = debounced === (values.organizationName ?? "") ? "" : debounced;
  const options = useQuery(organizationOptionsQuery(q));
  const items = options.data?.items ?? [];
  const data = items.map((o) => ({ value: o.id, label: o.name }));
  if (values.organizationId && !items.some((o) => o.id === values.organizationId)) {
    data.unshift({ value: values.organizationId, label: values.organizationName ?? "" });
  }
  const typedName = typed.trim();
  if (typedName.length >= 2 && !items.some((o) => o.name === typedName)) {
    data.push({ value: NEW_ORG, label: t("assetForm.addOrganization", { name: typedName }) });
  }

  if (values.organizationMode === "new") {
    return (
      <Paper withBorder p="sm" radius="md">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t("assetForm.newOrganizationName")}
              required
              maxLength={ASSET_LIMITS.name}
              value={values.newOrganizationName}
              error={errors.newOrganizationName}
              onChange={(e) => patch({ newOrganizationName: e.currentTarget.value })}
            />
            <NativeSelect
              label={t("assetForm.organizationKind")}
              value={values.newOrganizationKind}
              error={errors.newOrganizationKind}
              data={ORGANIZATION_KINDS.map((k) => ({
                value: k,
                label: t(`assets.organizationKinds.${k}`),
              }))}
              onChange={(e) =>
                patch({ newOrganizationKind: e.currentTarget.value as OrganizationKind })
              }
            />
          </SimpleGrid>
          <Group>
            <Button
              size="xs"
              variant="subtle"
              onClick={() => patch({ organizationMode: "existing", newOrganizationName: "" })}
            >
              {t("assetForm.pickOrganization")}
            </Button>
          </Group>
        </Stack>
      </Paper>
    );
  }

  return (
    <Select
      label={t("asset.organization")}
      description={t("assetForm.organizationHint")}
      placeholder={t("assetForm.organizationPlaceholder")}
      searchable
      clearable
      data={data}
      value={values.organizationId}
      searchValue={typed}
      onSearchChange={setTyped}
      filter={({ options: o }) => o}
      nothingFoundMessage={options.isFetching ? t("states.loading") : t("assetForm.nothingFound")}
      error={errors.organizationId}
      onChange={(id) => {
        if (id === NEW_ORG) {
          patch({
            organizationMode: "new",
            newOrganizationName: typedName,
            organizationId: null,
            organizationName: null,
          });
          return;
        }
        const found = items.find((o) => o.id === id);
        patch({ organizationId: id, organizationName: found?.name ?? null });
      }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** Services offered here: searched on the server; chosen ones stay listed. */
function ServicesField({
  values,
  errors,
  patch,
}: {
  values: AssetFormValues;
  errors: FieldErrors;
  patch: (p: Partial<AssetFormValues>) => void;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const [debounced] = useDebouncedValue(typed.trim(), 250);
  const options = useQuery(serviceOptionsQuery(debounced));
  const items = options.data?.items ?? [];
  const data = items.map((s) => ({ value: s.id, label: s.name }));
  for (const id of values.serviceIds) {
    if (!data.some((d) => d.value === id)) {
      data.push({ value: id, label: values.serviceNames[id] ?? id });
    }
  }
  return (
    <MultiSelect
      label={t("assetForm.services")}
      description={t("assetForm.servicesHint")}
      searchable
      clearable
      clearButtonProps={{ "aria-label": t("assetForm.clearServices") }}
      data={data}
      value={values.serviceIds}
      searchValue={typed}
      onSearchChange={setTyped}
      filter={({ options: o }) => o}
      nothingFoundMessage={options.isFetching ? t("states.loading") : t("assetForm.nothingFound")}
      error={errors.serviceIds}
      onChange={(ids) => {
        const names = { ...values.serviceNames };
        for (const s of items) if (ids.includes(s.id)) names[s.id] = s.name;
        patch({ serviceIds: ids, serviceNames: names });
      }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** The weekly opening hours: a row per opening, with day, times and an optional note. */
function OpeningHoursEditor({
  rows,
  errors,
  onChange,
}: {
  rows: HoursRow[];
  errors: FieldErrors;
  onChange: (rows: HoursRow[]) => void;
}) {
  const { t } = useTranslation();
  const update = (key: string, p: Partial<HoursRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...p } : r)));
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t("assetForm.hoursHint")}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm">{t("asset.noHours")}</Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {rows.map((r, i) => (
            <Paper
              key={r.key}
              component="li"
              withBorder
              p="xs"
              radius="md"
              aria-label={t("assetForm.hoursRow", { n: i + 1 })}
            >
              <Group align="flex-start" gap="xs" wrap="nowrap">
                <Grid gap="xs" columns={24} style={{ flex: 1 }}>
                  <Grid.Col span={{ base: 24, sm: 6 }}>
                    <NativeSelect
                      label={t("asset.day")}
                      value={r.day}
                      error={errors[`openingHours.${i}.day`]}
                      data={WEEKDAYS.map((d) => ({ value: d, label: t(`assets.days.${d}`) }))}
                      onChange={(e) => update(r.key, { day: e.currentTarget.value as Weekday })}
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 4 }}>
                    <TimeField
                      label={t("assetForm.opens")}
                      value={r.opens}
                      error={errors[`openingHours.${i}.opens`]}
                      onChange={(v) => update(r.key, { opens: v })}
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, sm: 4 }}>
                    <TimeField
                      label={t("assetForm.closes")}
                      value={r.closes}
                      error={errors[`openingHours.${i}.closes`]}
                      onChange={(v) => update(r.key, { closes: v })}
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 24, sm: 10 }}>
                    <TextInput
                      label={t("assetForm.note")}
                      maxLength={120}
                      value={r.note}
                      error={errors[`openingHours.${i}.note`]}
                      onChange={(e) => update(r.key, { note: e.currentTarget.value })}
                    />
                  </Grid.Col>
                </Grid>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mt={26}
                  aria-label={t("assetForm.removeRow", {
                    day: t(`assets.days.${r.day}`),
                    n: i + 1,
                  })}
                  onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
                >
                  <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
                    <path
                      d="M6 6l12 12M18 6L6 18"
                      stroke="currentColor"
                      strokeWidth="2"
                      strokeLinecap="round"
                    />
                  </svg>
                </ActionIcon>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {errors.openingHours ? (
        <Text size="sm" c="red.8" role="alert">
          {errors.openingHours}
        </Text>
      ) : null}
      <Group gap="xs">
        <Button size="xs" variant="default" onClick={() => onChange(addRow(rows))}>
          {t("assetForm.addHours")}
        </Button>
        <Button
          size="xs"
          variant="default"
          disabled={rows.length === 0}
          onClick={() => onChange(copyToWorkWeek(rows))}
        >
          {rows[0]
            ? t("assetForm.copyToWeek", { day: t(`assets.days.${rows[0].day}`) })
            : t("assetForm.copyToWeekEmpty")}
        </Button>
      </Group>
    </Stack>
  );
}

/** A 24-hour time typed as digits ("830", "8:30", "0830" → "08:30"); the same on every device. */
function TimeField({
  label,
  value,
  error,
  onChange,
}: {
  label: string;
  value: string;
  error?: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={label}
      dir="ltr"
      inputMode="numeric"
      autoComplete="off"
      maxLength={5}
      placeholder={t("assetForm.timePlaceholder")}
      value={value}
      error={error}
      onChange={(e) => onChange(e.currentTarget.value)}
      onBlur={(e) => onChange(normalizeTime(e.currentTarget.value))}
    />
  );
}
