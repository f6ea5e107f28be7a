import { useMemo, useState } from "react";
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { notify } from "../../lib/notify.ts";
import { ButtonLink } from "../../components/links.tsx";
import {
  COMMUNITY_LEVELS,
  LEVEL_RANK,
  createCommunityBodySchema,
  updateCommunityBodySchema,
  type Community,
} from "@kaveret/contracts";
import { ApiError, apiPatch, apiPost } from "../../api/client.ts";
import { PageTitle } from "../../components/page-title.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import {
  errorMessage,
  serverFieldErrors,
  toFieldErrors,
  type FieldErrors,
} from "../../lib/errors.ts";
import { LANGUAGE_CODES, communityQuery, parentOptionsQuery } from "./communities.api.ts";
import { childLevel } from "./community-labels.ts";
import { KeyContactsEditor } from "./key-contacts-editor.tsx";
import { LazyBoundaryEditor } from "../map/lazy-map.tsx";
import {
  emptyValues,
  formFieldOf,
  toCreateBody,
  toUpdateBody,
  valuesFromCommunity,
  type CommunityFormValues,
} from "./community-form.ts";

export function NewCommunityPage() {
  const { parentId } = useSearch({ from: "/app/communities/new" });
  const parent = useQuery({ ...communityQuery(parentId ?? ""), enabled: Boolean(parentId) });
  if (parentId && parent.isPending) return <PageLoader />;
  const initial = emptyValues();
  if (parentId && parent.data) {
    initial.parentId = parent.data.id;
    if (parent.data.kind === "geographic") {
      const next = childLevel(parent.data.level);
      if (next) initial.level = next;
      else {
        initial.kind = "functional";
        initial.level = null;
      }
    } else {
      initial.kind = "functional";
      initial.level = null;
    }
  }
  return <CommunityForm initial={initial} />;
}

export function EditCommunityPage() {
  const { id } = useParams({ from: "/app/communities/$id/edit" });
  const community = useQuery(communityQuery(id));
  if (community.isPending) return <PageLoader />;
  if (community.isError) {
    return <ErrorState error={community.error} onRetry={() => void community.refetch()} />;
  }
  return (
    <CommunityForm
      key={community.data.id}
      community={community.data}
      initial={valuesFromCommunity(community.data)}
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

function CommunityForm({
  community,
  initial,
}: {
  community?: Community;
  initial: CommunityFormValues;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<CommunityFormValues>(initial);
  const [version, setVersion] = useState(community?.version ?? 1);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Community | null>(null);
  const [busy, setBusy] = useState(false);
  const parents = useQuery(parentOptionsQuery);
  const editing = Boolean(community);

  const set = <K extends keyof CommunityFormValues>(key: K, value: CommunityFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const parentData = useMemo(() => {
    const items = parents.data?.items ?? [];
    return items
      .filter((c) => c.id !== community?.id)
      .filter((c) => {
        // A geographic level sits only under a strictly higher geographic level.
        if (values.kind !== "geographic" || !values.level) return true;
        if (c.kind !== "geographic" || !c.level) return false;
        return LEVEL_RANK[c.level] < LEVEL_RANK[values.level];
      })
      .map((c) => ({ value: c.id, label: c.name }));
  }, [parents.data, community?.id, values.kind, values.level]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = community
      ? updateCommunityBodySchema.safeParse(toUpdateBody(values, version))
      : createCommunityBodySchema.safeParse(toCreateBody(values));
    if (!parsed.success) {
      setErrors(mapErrors(toFieldErrors(t, parsed.error.issues)));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = community
        ? await apiPatch<Community>(`/api/communities/${community.id}`, parsed.data)
        : await apiPost<Community>("/api/communities", parsed.data);
      await queryClient.invalidateQueries({ queryKey: ["communities"] });
      queryClient.setQueryData(communityQuery(saved.id).queryKey, saved);
      notify(t(community ? "communityForm.saved" : "communityForm.created"));
      await navigate({ to: "/communities/$id", params: { id: saved.id } });
    } catch (err) {
      if (err instanceof ApiError && err.code === "version_conflict") {
        const current = (err.details as { current?: Community } | undefined)?.current ?? null;
        setConflict(current);
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
      setValues(valuesFromCommunity(conflict));
      setVersion(conflict.version);
      setConflict(null);
    } else {
      void queryClient.invalidateQueries({ queryKey: ["communities", "one", community?.id] });
    }
  };

  const title = community
    ? t("communityForm.titleEdit", { name: community.name })
    : t("communityForm.titleNew");

  return (
    <Stack gap="md" maw={860}>
      <PageTitle>{title}</PageTitle>
      {conflict ? (
        <Alert color="orange" role="alert" title={t("communityForm.conflictTitle")}>
          <Stack gap="sm">
            <Text size="sm">{t("communityForm.conflict")}</Text>
            <Group gap="xs">
              <Button size="xs" onClick={loadTheirs} variant="default">
                {t("communityForm.loadTheirs")}
              </Button>
              <Button size="xs" onClick={keepMine}>
                {t("communityForm.keepMine")}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : null}
      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          {editing ? (
            <Text>
              {t("communityForm.kindFixed", {
                kind: t(`communities.kinds.${values.kind}`),
              })}
              {values.level ? ` · ${t(`communities.levels.${values.level}`)}` : ""}
            </Text>
          ) : (
            <>
              <Radio.Group
                label={t("communities.kind")}
                value={values.kind}
                onChange={(v) => {
                  const kind = v === "functional" ? "functional" : "geographic";
                  setValues((prev) => ({
                    ...prev,
                    kind,
                    level: kind === "functional" ? null : (prev.level ?? "neighbourhood"),
                  }));
                }}
                required
              >
                <Group gap="lg" mt={4}>
                  <Radio value="geographic" label={t("communities.kinds.geographic")} />
                  <Radio value="functional" label={t("communities.kinds.functional")} />
                </Group>
              </Radio.Group>
              {values.kind === "geographic" ? (
                <NativeSelect
                  label={t("communities.level")}
                  required
                  value={values.level ?? ""}
                  error={errors.level}
                  data={COMMUNITY_LEVELS.map((l) => ({
                    value: l,
                    label: t(`communities.levels.${l}`),
                  }))}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    set("level", COMMUNITY_LEVELS.find((l) => l === v) ?? null);
                  }}
                />
              ) : null}
            </>
          )}
          <Select
            label={t("communityForm.parent")}
            placeholder={t("communityForm.parentNone")}
            searchable
            clearable
            nothingFoundMessage={t("communityForm.parentNothing")}
            data={parentData}
            value={values.parentId}
            error={
              errors.parentId ?? (parents.isError ? errorMessage(t, parents.error) : undefined)
            }
            onChange={(v) => set("parentId", v)}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label={t("communityForm.name")}
            required
            value={values.name}
            error={errors.name}
            onChange={(e) => set("name", e.currentTarget.value)}
          />
          <Fieldset legend={t("communityForm.altNames")}>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput
                label={t("communityForm.altHe")}
                lang="he"
                dir="rtl"
                value={values.altHe}
                error={errors.altHe}
                onChange={(e) => set("altHe", e.currentTarget.value)}
              />
              <TextInput
                label={t("communityForm.altAr")}
                lang="ar"
                dir="rtl"
                value={values.altAr}
                error={errors.altAr}
                onChange={(e) => set("altAr", e.currentTarget.value)}
              />
              <TextInput
                label={t("communityForm.altEn")}
                lang="en"
                dir="ltr"
                value={values.altEn}
                error={errors.altEn}
                onChange={(e) => set("altEn", e.currentTarget.value)}
              />
            </SimpleGrid>
          </Fieldset>
          <Textarea
            label={t("communityForm.description")}
            dir="auto"
            autosize
            minRows={3}
            maxRows={10}
            value={values.description}
            error={errors.description}
            onChange={(e) => set("description", e.currentTarget.value)}
          />
          {values.kind === "functional" ? (
            <Textarea
              label={t("communityForm.criteria")}
              dir="auto"
              description={t("communityForm.criteriaHint")}
              autosize
              minRows={2}
              maxRows={8}
              value={values.membershipCriteria}
              error={errors.membershipCriteria}
              onChange={(e) => set("membershipCriteria", e.currentTarget.value)}
            />
          ) : null}
          <NumberInput
            label={t("communityForm.population")}
            min={0}
            max={10_000_000}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            value={values.population}
            error={errors.population}
            onChange={(v) => set("population", v)}
            maw={240}
          />
          <Checkbox.Group
            label={t("communityForm.languages")}
            value={values.languages}
            error={errors.languages}
            onChange={(v) => set("languages", v)}
          >
            <Group gap="md" mt={6}>
              {LANGUAGE_CODES.map((l) => (
                <Checkbox key={l} value={l} label={t(`languages.${l}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          {values.kind === "geographic" ? (
            <Stack gap={4}>
              <LazyBoundaryEditor
                label={t("communityForm.boundary")}
                value={values.boundary}
                onChange={(b) => set("boundary", b)}
                contextCommunityId={values.parentId}
              />
              {errors.boundary ? (
                <Text size="sm" c="red.8" role="alert">
                  {errors.boundary}
                </Text>
              ) : null}
            </Stack>
          ) : null}
          <TextInput
            label={t("communityForm.statAreaCode")}
            description={t("communityForm.statAreaCodeHint")}
            value={values.statAreaCode}
            error={errors.statAreaCode}
            onChange={(e) => set("statAreaCode", e.currentTarget.value)}
            inputMode="numeric"
            dir="ltr"
            maw={240}
          />
          <Textarea
            label={t("communityForm.notes")}
            description={t("communityForm.notesHint")}
            dir="auto"
            autosize
            minRows={3}
            maxRows={12}
            value={values.notes}
            error={errors.notes}
            onChange={(e) => set("notes", e.currentTarget.value)}
          />
          <KeyContactsEditor
            value={values.keyContacts}
            onChange={(v) => set("keyContacts", v)}
            errors={errors}
          />
          <Group gap="sm">
            <Button type="submit" loading={busy}>
              {community ? t("app.save") : t("communityForm.create")}
            </Button>
            {community ? (
              <ButtonLink variant="default" to="/communities/$id" params={{ id: community.id }}>
                {t("app.cancel")}
              </ButtonLink>
            ) : (
              <ButtonLink variant="default" to="/communities">
                {t("app.cancel")}
              </ButtonLink>
            )}
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
