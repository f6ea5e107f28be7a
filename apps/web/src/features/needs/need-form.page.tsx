import { useEffect, useRef, useState } from "react";
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from "@mantine/core";
import { useDebouncedValue, useMediaQuery } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import {
  NEED_LIMITS,
  NEED_URGENCIES,
  createNeedBodySchema,
  type Need,
  type NeedUrgency,
} from "@kaveret/contracts";
import { ApiError, apiPost } from "../../api/client.ts";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { ErrorState } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { UI_LOCALES } from "../../i18n/locales.ts";
import {
  errorMessage,
  serverFieldErrors,
  toFieldErrors,
  type FieldErrors,
} from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { LANGUAGE_NAMES } from "../../components/language-switch.tsx";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { LazyPointPicker } from "../map/lazy-map.tsx";
import { canSeeCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { UrgencyIcon } from "./need-icons.tsx";
import { activeCategories, categoryName } from "./need-labels.ts";
import {
  emptyNeedForm,
  newNeedId,
  formFieldOf,
  needsConsent,
  toCreateBody,
  type NeedFormValues,
} from "./need-form.ts";
import { canWorkNeeds } from "./needs-access.ts";
import {
  needAssigneesQuery,
  needCategoriesQuery,
  needQuery,
  needSuggestQuery,
} from "./needs.api.ts";
import { ResidentPicker } from "./resident-picker.tsx";
import { SuggestionHint } from "./suggestion-hint.tsx";

function mapErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    const f = formFieldOf(k);
    if (!(f in out)) out[f] = v;
  }
  return out;
}

const CODE_FIELDS: Record<string, string> = {
  "need.category_unknown": "category",
  "need.community_not_found": "communityId",
  "need.resident_not_found": "resident",
  "need.assignee_not_allowed": "assigneeId",
};

export function NewNeedPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  if (!canWorkNeeds(roles)) {
    return <ErrorState error={new ApiError(403, "forbidden", t("errors.forbidden"))} />;
  }
  return <NeedForm />;
}

function NeedForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { roles } = useSession();
  const locale = currentLocale();
  const narrow = useMediaQuery("(max-width: 40em)") ?? false;
  const [values, setValues] = useState<NeedFormValues>(() => emptyNeedForm(newNeedId(), locale));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [locationMode, setLocationMode] = useState<"none" | "map">("none");
  const formRef = useRef<HTMLFormElement>(null);
  const categories = useQuery(needCategoriesQuery);
  const assignees = useQuery(needAssigneesQuery);
  const communities = useQuery({ ...parentOptionsQuery, enabled: canSeeCommunities(roles) });
  const [debouncedText] = useDebouncedValue(values.description.trim(), 500);
  const suggestion = useQuery(needSuggestQuery(debouncedText));
  const nameOf = (code: string | null) => categoryName(t, code, categories.data?.items, locale);

  const set = <K extends keyof NeedFormValues>(key: K, value: NeedFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = createNeedBodySchema.safeParse(toCreateBody(values));
    const errs: FieldErrors = parsed.success
      ? {}
      : mapErrors(toFieldErrors(t, parsed.error.issues));
    if (!parsed.success && parsed.error.issues.some((i) => i.path[0] === "contactPhone")) {
      errs.contactPhone = t("needs.form.phoneInvalid");
    }
    if (needsConsent(values)) errs.contactConsent = t("needs.form.consentRequired");
    if (!parsed.success || Object.keys(errs).length > 0) {
      setErrors(errs);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = await apiPost<Need>("/api/needs", parsed.data);
      queryClient.setQueryData(needQuery(saved.id).queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: ["needs", "list"] });
      notify(t("needs.form.created", { ref: saved.reference }));
      await navigate({ to: "/needs/$id", params: { id: saved.id } });
    } catch (err) {
      if (err instanceof ApiError && CODE_FIELDS[err.code]) {
        setErrors({ [CODE_FIELDS[err.code] ?? "_form"]: errorMessage(t, err) });
      } else {
        setErrors(mapErrors(serverFieldErrors(t, err)));
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const categoryData = [
    { value: "", label: t("needs.form.categoryLater") },
    ...activeCategories(categories.data?.items).map((c) => ({
      value: c.code,
      label: nameOf(c.code),
    })),
  ];
  const communityData = communities.isSuccess
    ? [
        { value: "", label: t("needs.triage.noCommunity") },
        ...communities.data.items.map((c) => ({
          value: c.id,
          label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
        })),
      ]
    : null;

  return (
    <Stack gap="md" maw={860}>
      <PageTitle>{t("needs.form.title")}</PageTitle>
      <Text size="sm" c="dimmed" mt={-8}>
        {t("needs.form.intro")}
      </Text>
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="lg">
          <Fieldset legend={t("needs.form.what")}>
            <Stack gap="sm">
              <Stack gap={6}>
                <Text size="sm" fw={500} id="channel-label">
                  {t("needs.form.channel")}
                </Text>
                <div role="radiogroup" aria-labelledby="channel-label">
                  <SegmentedControl
                    value={values.channel}
                    onChange={(v) =>
                      set("channel", v === "face_to_face" ? "face_to_face" : "phone")
                    }
                    data={[
                      { value: "phone", label: t("needs.channel.phone") },
                      { value: "face_to_face", label: t("needs.channel.face_to_face") },
                    ]}
                  />
                </div>
              </Stack>
              <Textarea
                label={t("needs.form.description")}
                description={t("needs.form.descriptionHint")}
                required
                autosize
                minRows={4}
                maxLength={NEED_LIMITS.description}
                value={values.description}
                error={errors.description}
                onChange={(e) => set("description", e.currentTarget.value)}
                data-testid="need-form-description"
              />
              {suggestion.data && values.description.trim().length >= 3 ? (
                <SuggestionHint
                  suggestion={suggestion.data}
                  text={values.description}
                  category={values.category || null}
                  urgency={values.urgency}
                  categoryName={nameOf}
                  onAcceptCategory={(code) => set("category", code)}
                  onAcceptUrgency={(u) => set("urgency", u)}
                />
              ) : null}
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <NativeSelect
                  label={t("needs.field.category")}
                  data={categoryData}
                  value={values.category}
                  error={errors.category}
                  onChange={(e) => set("category", e.currentTarget.value)}
                />
                <NativeSelect
                  label={t("needs.form.language")}
                  description={t("needs.form.languageHint")}
                  data={UI_LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
                  value={values.language}
                  onChange={(e) => {
                    const l = UI_LOCALES.find((x) => x === e.currentTarget.value);
                    if (l) set("language", l);
                  }}
                />
              </SimpleGrid>
              <Stack gap={6}>
                <Text size="sm" fw={500} id="form-urgency-label">
                  {t("needs.field.urgency")}
                </Text>
                <div role="radiogroup" aria-labelledby="form-urgency-label">
                  <SegmentedControl
                    fullWidth
                    orientation={narrow ? "vertical" : "horizontal"}
                    value={values.urgency}
                    onChange={(v) => {
                      const u = NEED_URGENCIES.find((x) => x === v);
                      if (u) set("urgency", u);
                    }}
                    data={NEED_URGENCIES.map((u: NeedUrgency) => ({
                      value: u,
                      label: (
                        <Group gap={4} wrap="nowrap" justify="center">
                          <UrgencyIcon urgency={u} size={13} />
                          <span>{t(`needs.urgency.${u}`)}</span>
                        </Group>
                      ),
                    }))}
                  />
                </div>
              </Stack>
            </Stack>
          </Fieldset>

          <Fieldset legend={t("needs.form.where")}>
            <Stack gap="sm">
              <TextInput
                label={t("needs.form.address")}
                description={t("needs.form.addressHint")}
                maxLength={200}
                value={values.addressText}
                error={errors.addressText}
                onChange={(e) => set("addressText", e.currentTarget.value)}
              />
              {locationMode === "map" || values.location ? (
                <LazyPointPicker
                  label={t("needs.form.point")}
                  value={values.location}
                  onChange={(p) => set("location", p)}
                  height={260}
                />
              ) : (
                <Group>
                  <Button
                    variant="default"
                    size="compact-md"
                    onClick={() => setLocationMode("map")}
                  >
                    {t("needs.form.pickOnMap")}
                  </Button>
                </Group>
              )}
              {errors.location ? (
                <Text size="sm" c="var(--mantine-color-error)" role="alert">
                  {errors.location}
                </Text>
              ) : null}
              {communityData ? (
                <NativeSelect
                  label={t("needs.field.community")}
                  data={communityData}
                  value={values.communityId}
                  error={errors.communityId}
                  onChange={(e) => set("communityId", e.currentTarget.value)}
                />
              ) : null}
            </Stack>
          </Fieldset>

          <Fieldset legend={t("needs.form.who")}>
            <Stack gap="sm">
              <ResidentPicker
                label={t("needs.field.resident")}
                description={t("needs.triage.residentHint")}
                value={values.resident}
                onChange={(r) => set("resident", r)}
              />
              {errors.resident ? (
                <Text size="sm" c="var(--mantine-color-error)" role="alert">
                  {errors.resident}
                </Text>
              ) : null}
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t("needs.form.contactName")}
                  maxLength={80}
                  value={values.contactName}
                  error={errors.contactName}
                  onChange={(e) => set("contactName", e.currentTarget.value)}
                />
                <TextInput
                  label={t("needs.form.contactPhone")}
                  description={t("needs.form.contactPhoneHint")}
                  type="tel"
                  inputMode="tel"
                  dir="ltr"
                  maxLength={30}
                  value={values.contactPhone}
                  error={errors.contactPhone}
                  onChange={(e) => set("contactPhone", e.currentTarget.value)}
                />
              </SimpleGrid>
              <Checkbox
                label={t("needs.form.consent")}
                description={t("needs.form.consentHint")}
                checked={values.contactConsent}
                error={errors.contactConsent}
                onChange={(e) => set("contactConsent", e.currentTarget.checked)}
              />
            </Stack>
          </Fieldset>

          <Fieldset legend={t("needs.form.handling")}>
            <NativeSelect
              label={t("needs.field.assignee")}
              data={[
                { value: "", label: t("needs.triage.nobody") },
                ...(assignees.data?.items ?? []).map((a) => ({ value: a.id, label: a.name })),
              ]}
              value={values.assigneeId}
              error={errors.assigneeId}
              onChange={(e) => set("assigneeId", e.currentTarget.value)}
            />
          </Fieldset>

          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group gap="sm">
            <Button type="submit" loading={busy} data-testid="need-form-submit">
              {t("needs.form.submit")}
            </Button>
            <ButtonLink to="/needs" variant="default">
              {t("app.cancel")}
            </ButtonLink>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
