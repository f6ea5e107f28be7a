import { useEffect, useMemo, useRef, useState } from "react";
import {
  Alert,
  Button,
  Chip,
  Fieldset,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ZodError } from "zod";
import {
  DEFAULT_NEED_CATEGORIES,
  NEED_LIMITS,
  NEED_URGENCIES,
  type NeedUrgency,
} from "@kaveret/contracts";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ButtonLink } from "../../components/links.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { EmptyState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage, toFieldErrors, type FieldErrors } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { CategoryLabel, StatusBadge, UrgencyBadge } from "../needs/need-badges.tsx";
import { UrgencyIcon } from "../needs/need-icons.tsx";
import { categoryName, excerpt } from "../needs/need-labels.ts";
import { needCategoriesQuery } from "../needs/needs.api.ts";
import { targetKindLabel } from "../forms/assignment-labels.ts";
import type { SyncEngine } from "./sync-engine.ts";
import type { CachedCategory, FormRow, NeedRow } from "./sync-db.ts";
import { newRecordId } from "./sync-ids.ts";
import { useSyncState } from "./sync-store.ts";
import { useLiveQuery, useSyncEngine } from "./use-sync-data.ts";

/*
 * /field — field work, offline first: the open forms to fill in door to door (first: on a
 * phone they are what a surveyor came for); a short form for a need heard face to face,
 * made on the device (its id too) and sent when there is a connection; the needs this
 * device holds (the worker's reach, as pulled, a page at a time) with what still waits.
 */

/** Needs listed at first, and added by each "show more". */
const NEEDS_PAGE = 20;

export function FieldPage() {
  const { t } = useTranslation();
  const state = useSyncEngine();
  return (
    <Stack gap="md" maw={860}>
      <PageTitle>{t("sync.field.title")}</PageTitle>
      <Text size="sm" c="dimmed" mt={-8}>
        {t("sync.field.intro")}
      </Text>
      {state.status === "loading" ? <PageLoader /> : null}
      {state.status === "off" ? (
        <Alert color="yellow" role="status">
          {t("sync.field.off")}
        </Alert>
      ) : null}
      {state.status === "ready" ? <FieldWork engine={state.engine} /> : null}
    </Stack>
  );
}

function FieldWork({ engine }: { engine: SyncEngine }) {
  const categories = useCategories(engine);
  return (
    <Stack gap="xl">
      <MyAssignments engine={engine} />
      <OpenForms engine={engine} />
      <NeedCapture engine={engine} categories={categories} />
      <LocalNeeds engine={engine} categories={categories} />
    </Stack>
  );
}

/** The department's categories: from the server when online (kept on the device), else kept ones. */
function useCategories(engine: SyncEngine): CachedCategory[] {
  const { online } = useSyncState();
  const remote = useQuery({ ...needCategoriesQuery, enabled: online });
  const kept = useLiveQuery(() => engine.categories(), [engine]);
  const fresh = remote.data?.items;
  useEffect(() => {
    if (!fresh) return;
    void engine.saveCategories(
      fresh.map((c) => ({
        code: c.code,
        labels: c.labels,
        active: c.active,
        sortOrder: c.sortOrder,
      })),
    );
  }, [engine, fresh]);
  return useMemo(() => {
    const items = fresh ?? kept;
    if (items && items.length > 0) return items;
    // Never synced yet: the taxonomy every department starts with (names are translated).
    return DEFAULT_NEED_CATEGORIES.map((code, i) => ({
      code,
      labels: { he: "", ar: "", en: "", ru: "", am: "" },
      active: true,
      sortOrder: i,
    }));
  }, [fresh, kept]);
}

interface Point {
  lat: number;
  lon: number;
  accuracy: number | null;
}
type LocateStatus = "idle" | "locating" | "denied" | "unavailable" | "done";

interface CaptureValues {
  id: string;
  description: string;
  category: string;
  urgency: NeedUrgency;
  addressText: string;
  location: Point | null;
}

const emptyCapture = (): CaptureValues => ({
  id: newRecordId(),
  description: "",
  category: "",
  urgency: "normal",
  addressText: "",
  location: null,
});

/** Field errors of the command's args (`args.description` → `description`). */
function captureErrors(t: TFunction, err: ZodError): FieldErrors {
  return toFieldErrors(
    t,
    err.issues.map((i) => ({ ...i, path: i.path[0] === "args" ? i.path.slice(1) : i.path })),
  );
}

function NeedCapture({ engine, categories }: { engine: SyncEngine; categories: CachedCategory[] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const { online } = useSyncState();
  const [values, setValues] = useState<CaptureValues>(emptyCapture);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [locate, setLocate] = useState<LocateStatus>("idle");
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const set = <K extends keyof CaptureValues>(key: K, value: CaptureValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const findMe = () => {
    if (typeof navigator === "undefined" || !("geolocation" in navigator)) {
      setLocate("unavailable");
      return;
    }
    setLocate("locating");
    // GPS works without a network: the point is kept with the need.
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        set("location", {
          lat: Math.round(pos.coords.latitude * 1e6) / 1e6,
          lon: Math.round(pos.coords.longitude * 1e6) / 1e6,
          accuracy: Number.isFinite(pos.coords.accuracy) ? Math.round(pos.coords.accuracy) : null,
        });
        setLocate("done");
      },
      (err) => setLocate(err.code === err.PERMISSION_DENIED ? "denied" : "unavailable"),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await engine.enqueue({
        name: "need.create",
        args: {
          id: values.id,
          channel: "face_to_face",
          category: values.category || null,
          urgency: values.urgency,
          description: values.description.trim(),
          location: values.location ? { lat: values.location.lat, lon: values.location.lon } : null,
          addressText: values.addressText.trim(),
          communityId: null,
          residentId: null,
          assigneeId: null,
          language: locale,
          contactName: "",
          contactPhone: null,
          contactConsent: false,
        },
      });
      setErrors({});
      setValues(emptyCapture());
      setLocate("idle");
      notify(t(online ? "sync.field.savedOnline" : "sync.field.savedOffline"));
      descriptionRef.current?.focus();
    } catch (err) {
      if (err instanceof ZodError) {
        setErrors(captureErrors(t, err));
        descriptionRef.current?.focus();
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const categoryData = [
    { value: "", label: t("sync.field.categoryLater") },
    ...categories
      .filter((c) => c.active)
      .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))
      .map((c) => ({ value: c.code, label: categoryName(t, c.code, categories, locale) })),
  ];

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <Fieldset legend={t("sync.field.formLegend")} radius="md">
        <Stack gap="sm">
          <Textarea
            ref={descriptionRef}
            label={t("sync.field.description")}
            description={t("sync.field.descriptionHint")}
            required
            autosize
            minRows={3}
            maxLength={NEED_LIMITS.description}
            value={values.description}
            error={errors.description}
            onChange={(e) => set("description", e.currentTarget.value)}
            data-testid="field-description"
          />
          <NativeSelect
            label={t("sync.field.category")}
            data={categoryData}
            value={values.category}
            error={errors.category}
            onChange={(e) => set("category", e.currentTarget.value)}
          />
          <Stack gap={6}>
            <Text size="sm" fw={500} id="field-urgency-label">
              {t("sync.field.urgency")}
            </Text>
            {/* Chips wrap at 360 px, where four segments in a row cut the last word. */}
            <Chip.Group
              multiple={false}
              value={values.urgency}
              onChange={(v) => {
                const u = NEED_URGENCIES.find((x) => x === v);
                if (u) set("urgency", u);
              }}
            >
              <Group gap="xs" wrap="wrap" role="radiogroup" aria-labelledby="field-urgency-label">
                {NEED_URGENCIES.map((u) => (
                  <Chip key={u} value={u} type="radio" variant="outline">
                    <Group gap={4} wrap="nowrap" component="span">
                      <UrgencyIcon urgency={u} size={13} />
                      <span>{t(`needs.urgency.${u}`)}</span>
                    </Group>
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
          </Stack>
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              {t("sync.field.location")}
            </Text>
            <Group gap="sm" wrap="wrap">
              <Button
                variant="light"
                onClick={findMe}
                loading={locate === "locating"}
                data-testid="field-locate"
              >
                {t("sync.field.useLocation")}
              </Button>
              {values.location ? (
                <Button
                  variant="subtle"
                  size="compact-sm"
                  onClick={() => {
                    set("location", null);
                    setLocate("idle");
                  }}
                >
                  {t("sync.field.clearLocation")}
                </Button>
              ) : null}
            </Group>
            <Text size="sm" role="status" aria-live="polite">
              {locate === "locating"
                ? t("sync.field.locating")
                : locate === "denied"
                  ? t("sync.field.locationDenied")
                  : locate === "unavailable"
                    ? t("sync.field.locationUnavailable")
                    : values.location
                      ? values.location.accuracy !== null
                        ? t("sync.field.located", { m: values.location.accuracy })
                        : t("sync.field.locatedNoAccuracy")
                      : ""}
            </Text>
          </Stack>
          <TextInput
            label={t("sync.field.address")}
            maxLength={200}
            value={values.addressText}
            error={errors.addressText}
            onChange={(e) => set("addressText", e.currentTarget.value)}
          />
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group>
            <Button type="submit" loading={busy} data-testid="field-submit">
              {t("sync.field.submit")}
            </Button>
          </Group>
        </Stack>
      </Fieldset>
    </form>
  );
}

const ALL = "";

function LocalNeeds({ engine, categories }: { engine: SyncEngine; categories: CachedCategory[] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const [community, setCommunity] = useState(ALL);
  const [limit, setLimit] = useState(NEEDS_PAGE);
  const rows = useLiveQuery(
    () => engine.db.needs.orderBy("updatedAt").reverse().toArray(),
    [engine],
  );
  const communities = useMemo(() => {
    const byId = new Map<string, string>();
    for (const r of rows ?? []) if (r.community) byId.set(r.community.id, r.community.name);
    return [...byId].sort((a, b) => a[1].localeCompare(b[1]));
  }, [rows]);
  const shown = (rows ?? []).filter((r) => community === ALL || r.communityId === community);

  return (
    <Stack gap="sm" component="section" aria-labelledby="field-needs-title">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Title order={2} size="h3" id="field-needs-title">
          {t("sync.field.needsTitle")}
        </Title>
        {communities.length > 1 ? (
          <NativeSelect
            aria-label={t("sync.field.communityFilter")}
            value={community}
            onChange={(e) => {
              setCommunity(e.currentTarget.value);
              setLimit(NEEDS_PAGE);
            }}
            data={[
              { value: ALL, label: t("sync.field.allCommunities") },
              ...communities.map(([id, name]) => ({ value: id, label: name })),
            ]}
          />
        ) : null}
      </Group>
      {!rows ? <PageLoader /> : null}
      {rows && shown.length === 0 ? (
        <EmptyState title={t("sync.field.needsEmpty")} hint={t("sync.field.needsEmptyHint")} />
      ) : null}
      <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {shown.slice(0, limit).map((n) => (
          <li key={n.id}>
            <NeedItem
              need={n}
              name={categoryName(t, n.category, categories, locale)}
              engine={engine}
            />
          </li>
        ))}
      </Stack>
      {shown.length > limit ? (
        <Group gap="sm" wrap="wrap">
          <Button
            variant="default"
            onClick={() => setLimit((l) => l + NEEDS_PAGE)}
            data-testid="field-needs-more"
          >
            {t("sync.field.showMore", { n: Math.min(NEEDS_PAGE, shown.length - limit) })}
          </Button>
          <Text size="sm" c="dimmed">
            {t("sync.field.shownOf", { shown: limit, total: shown.length })}
          </Text>
        </Group>
      ) : null}
    </Stack>
  );
}

function NeedItem({ need, name, engine }: { need: NeedRow; name: string; engine: SyncEngine }) {
  const { t } = useTranslation();
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | undefined>();
  const saveNote = async () => {
    try {
      await engine.enqueue({ name: "need.comment", args: { needId: need.id, text: note } });
      setNote("");
      setNoting(false);
      setNoteError(undefined);
      notify(t("sync.field.noteSaved"));
    } catch (err) {
      setNoteError(err instanceof ZodError ? t("validation.required") : errorMessage(t, err));
    }
  };
  return (
    <Paper withBorder radius="md" p="sm" data-testid={`field-need-${need.id}`}>
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap" justify="space-between">
          <Text size="sm" fw={700} dir="ltr">
            {need.reference ??
              (need.version === null ? t("sync.field.notSentYet") : t("sync.field.sent"))}
          </Text>
          <Group gap={4} wrap="wrap">
            {need.pending > 0 ? (
              <SoftBadge color="yellow" tt="none" data-testid="pending-marker">
                {t("sync.field.pending")}
              </SoftBadge>
            ) : null}
            {need.problem === "conflict" ? (
              <SoftBadge color="orange" tt="none">
                {t("sync.field.conflict")}
              </SoftBadge>
            ) : null}
            {need.problem === "rejected" ? (
              <SoftBadge color="red" tt="none">
                {t("sync.field.rejected")}
              </SoftBadge>
            ) : null}
          </Group>
        </Group>
        <Text size="sm" dir="auto" style={{ overflowWrap: "anywhere" }}>
          {excerpt(need.description, 160)}
        </Text>
        <Group gap="xs" wrap="wrap">
          <CategoryLabel code={need.category} name={name} />
          <UrgencyBadge urgency={need.urgency} size="sm" />
          <StatusBadge status={need.status} size="sm" />
          <Text size="xs" c="dimmed">
            {need.community?.name ?? t("sync.field.noCommunity")}
          </Text>
        </Group>
        {need.notes.map((n) => (
          <Text key={n.id} size="xs" c="dimmed" dir="auto" style={{ whiteSpace: "pre-wrap" }}>
            {t("sync.field.noteWaiting", { text: excerpt(n.text, 120) })}
          </Text>
        ))}
        {noting ? (
          <Stack gap={6}>
            <Textarea
              label={t("sync.field.noteLabel")}
              autosize
              minRows={2}
              maxLength={NEED_LIMITS.comment}
              value={note}
              error={noteError}
              onChange={(e) => setNote(e.currentTarget.value)}
              data-autofocus
            />
            <Group gap="xs">
              <Button size="compact-md" onClick={() => void saveNote()}>
                {t("sync.field.noteSave")}
              </Button>
              <Button size="compact-md" variant="default" onClick={() => setNoting(false)}>
                {t("app.cancel")}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Group>
            <Button size="compact-sm" variant="subtle" onClick={() => setNoting(true)}>
              {t("sync.field.addNote")}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The streets and buildings given to this surveyor (pulled with the sync, so offline
 * too): per assignment, the answers the server has and those still on this device.
 */
function MyAssignments({ engine }: { engine: SyncEngine }) {
  const { t } = useTranslation();
  const data = useLiveQuery(async () => {
    const [assignments, forms, answers] = await Promise.all([
      engine.db.assignments.toArray(),
      engine.db.forms.toArray(),
      engine.db.outbox.where("status").anyOf(["pending", "sending"]).toArray(),
    ]);
    const waiting = new Map<string, number>();
    for (const a of answers) {
      if (a.name !== "form.response" || !a.args.assignmentId) continue;
      waiting.set(a.args.assignmentId, (waiting.get(a.args.assignmentId) ?? 0) + 1);
    }
    const open = new Set(forms.filter((f) => f.status === "open").map((f) => f.id));
    return {
      items: assignments
        .filter((a) => open.has(a.formId))
        .sort(
          (a, b) =>
            a.formTitle.localeCompare(b.formTitle) || a.target.name.localeCompare(b.target.name),
        ),
      waiting,
    };
  }, [engine]);
  if (!data || data.items.length === 0) return null;
  return (
    <Stack gap="sm" component="section" aria-labelledby="field-assignments-title">
      <Title order={2} size="h3" id="field-assignments-title">
        {t("sync.field.assignmentsTitle")}
      </Title>
      <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {data.items.map((a) => {
          const waiting = data.waiting.get(a.id) ?? 0;
          return (
            <li key={a.id}>
              <Paper withBorder radius="md" p="sm" data-testid="field-assignment">
                <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
                  <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                    <Group gap="xs" wrap="wrap">
                      <Text fw={700} dir="auto">
                        {a.target.name}
                      </Text>
                      <SoftBadge color="blue" tt="none">
                        {targetKindLabel(t, a.target)}
                      </SoftBadge>
                    </Group>
                    <Text size="sm" dir="auto">
                      {a.formTitle}
                    </Text>
                    {a.note ? (
                      <Text size="sm" c="dimmed" dir="auto">
                        {a.note}
                      </Text>
                    ) : null}
                    <Text size="sm" data-testid="field-assignment-count">
                      {t("sync.field.assignmentAnswers", { n: a.answers })}
                      {waiting > 0 ? ` · ${t("sync.field.answersWaiting", { n: waiting })}` : ""}
                    </Text>
                  </Stack>
                  <ButtonLink
                    to="/field/forms/$id"
                    params={{ id: a.formId }}
                    search={{ assignment: a.id }}
                    variant="light"
                    size="compact-md"
                    aria-label={t("sync.field.fillInAssignment", { target: a.target.name })}
                  >
                    {t("sync.field.fillIn")}
                  </ButtonLink>
                </Group>
              </Paper>
            </li>
          );
        })}
      </Stack>
    </Stack>
  );
}

function OpenForms({ engine }: { engine: SyncEngine }) {
  const { t } = useTranslation();
  const data = useLiveQuery(async () => {
    const forms = await engine.db.forms.toArray();
    const answers = await engine.db.outbox
      .where("recordId")
      .anyOf(forms.map((f) => f.id))
      .toArray();
    const waiting = new Map<string, number>();
    for (const a of answers) {
      if (a.name === "form.response" && (a.status === "pending" || a.status === "sending")) {
        waiting.set(a.recordId, (waiting.get(a.recordId) ?? 0) + 1);
      }
    }
    return {
      forms: forms
        .filter((f: FormRow) => f.status === "open")
        .sort((a, b) => a.title.localeCompare(b.title)),
      waiting,
    };
  }, [engine]);
  return (
    <Stack gap="sm" component="section" aria-labelledby="field-forms-title">
      <Title order={2} size="h3" id="field-forms-title">
        {t("sync.field.formsTitle")}
      </Title>
      {!data ? <PageLoader /> : null}
      {data && data.forms.length === 0 ? (
        <EmptyState title={t("sync.field.formsEmpty")} hint={t("sync.field.formsEmptyHint")} />
      ) : null}
      <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {data?.forms.map((f) => (
          <li key={f.id}>
            <Paper withBorder radius="md" p="sm">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Stack gap={2}>
                  <Text fw={600} dir="auto">
                    {f.title}
                  </Text>
                  {data.waiting.get(f.id) ? (
                    <Text size="xs" c="dimmed">
                      {t("sync.field.answersWaiting", { n: data.waiting.get(f.id) })}
                    </Text>
                  ) : null}
                </Stack>
                <ButtonLink
                  to="/field/forms/$id"
                  params={{ id: f.id }}
                  variant="light"
                  size="compact-md"
                >
                  {t("sync.field.fillIn")}
                </ButtonLink>
              </Group>
            </Paper>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}
