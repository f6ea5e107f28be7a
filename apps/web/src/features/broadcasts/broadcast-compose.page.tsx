import { useMemo, useState } from "react";
import {
  Alert,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import {
  BROADCAST_CHANNELS,
  BROADCAST_LANGUAGES,
  BROADCAST_LIMITS,
  CONSENT_PURPOSES,
  RESIDENT_LANGUAGES,
  STATUS_LINK_PLACEHOLDER,
  VULNERABILITY_FLAGS,
  type Broadcast,
  type BroadcastChannel,
  type BroadcastDryRun,
  type BroadcastLanguage,
  type BroadcastMessages,
  type CreateBroadcastBody,
  type EmergencyModeResponse,
} from "@kaveret/contracts";
import { PageTitle } from "../../components/page-title.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { modeQuery } from "../emergency/emergency.api.ts";
import { dirOf } from "./broadcast-labels.ts";
import { broadcastQuery, createBroadcast, dryRun, updateBroadcast } from "./broadcasts.api.ts";

export type Draft = {
  title: string;
  communityIds: string[];
  languages: string[];
  flags: string[];
  consents: string[];
  channels: BroadcastChannel[];
  channelMode: "all" | "first";
  messages: Record<BroadcastLanguage, { title: string; body: string }>;
  /** The open emergency this broadcast belongs to (its residents get their status link). */
  emergencyId: string | null;
  /** Goes out during quiet hours (emergency only; audited). */
  urgent: boolean;
};

const emptyMessages = () =>
  Object.fromEntries(
    BROADCAST_LANGUAGES.map((l) => [l, { title: "", body: "" }]),
  ) as Draft["messages"];

export function draftOf(b?: Broadcast): Draft {
  if (!b) {
    return {
      title: "",
      communityIds: [],
      languages: [],
      flags: [],
      consents: ["contact_for_activities"],
      channels: ["web_push", "sms"],
      channelMode: "first",
      messages: emptyMessages(),
      emergencyId: null,
      urgent: false,
    };
  }
  const messages = emptyMessages();
  for (const l of BROADCAST_LANGUAGES) {
    const m = b.messages[l];
    if (m) messages[l] = { title: m.title, body: m.body };
  }
  return {
    title: b.title,
    communityIds: b.audience.communityIds,
    languages: b.audience.languages,
    flags: b.audience.flags,
    consents: b.audience.consents,
    channels: b.channels,
    channelMode: b.channelMode,
    messages,
    emergencyId: b.emergencyId,
    urgent: b.urgent,
  };
}

/** Only the languages with a text. */
function writtenMessages(d: Draft): BroadcastMessages {
  const out: BroadcastMessages = {};
  for (const l of BROADCAST_LANGUAGES) {
    const m = d.messages[l];
    if (m.body.trim()) out[l] = { title: m.title.trim(), body: m.body.trim() };
  }
  return out;
}

export function bodyOf(d: Draft): CreateBroadcastBody {
  return {
    title: d.title.trim(),
    audience: {
      communityIds: d.communityIds,
      languages: d.languages as CreateBroadcastBody["audience"]["languages"],
      flags: d.flags as CreateBroadcastBody["audience"]["flags"],
      consents: d.consents as CreateBroadcastBody["audience"]["consents"],
    },
    channels: d.channels,
    channelMode: d.channelMode,
    messages: writtenMessages(d),
    emergencyId: d.emergencyId,
    urgent: d.emergencyId !== null && d.urgent,
  };
}

type OpenEmergency = NonNullable<EmergencyModeResponse["emergency"]>;

/** Ties the draft to the open emergency: its communities and the emergency-contact consent. */
export function linkEmergency(d: Draft, e: OpenEmergency, urgent: boolean): Draft {
  return {
    ...d,
    emergencyId: e.id,
    urgent,
    communityIds: d.communityIds.length ? d.communityIds : e.communities.map((c) => c.id),
    consents: d.consents.includes("emergency_contact")
      ? d.consents
      : [...d.consents.filter((c) => c !== "contact_for_activities"), "emergency_contact"],
    title: d.title || e.title,
  };
}

export function NewBroadcastPage() {
  const search = useSearch({ from: "/app/broadcasts/new" });
  return <ComposeForm forEmergency={search.emergency === true} />;
}

export function EditBroadcastPage() {
  const { id } = useParams({ from: "/app/broadcasts/$id/edit" });
  const q = useQuery(broadcastQuery(id));
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return <ComposeForm existing={q.data} />;
}

function ComposeForm({
  existing,
  forEmergency = false,
}: {
  existing?: Broadcast;
  forEmergency?: boolean;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(existing));
  const [saving, setSaving] = useState(false);
  const [tab, setTab] = useState<BroadcastLanguage>("he");
  const communities = useQuery(parentOptionsQuery);
  const mode = useQuery(modeQuery);
  const emergency = mode.data?.emergency ?? null;
  // Opened from the situation board: the emergency's communities, its consent, urgent.
  const [prefilled, setPrefilled] = useState(false);
  if (forEmergency && emergency && !existing && !prefilled) {
    setPrefilled(true);
    setDraft((d) => linkEmergency(d, emergency, true));
  }
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setMessage = (l: BroadcastLanguage, patch: Partial<{ title: string; body: string }>) =>
    setDraft((d) => ({ ...d, messages: { ...d.messages, [l]: { ...d.messages[l], ...patch } } }));

  // The dry run follows the form (debounced): counts by channel and language, previews.
  const request = useMemo(() => {
    const b = bodyOf(draft);
    return {
      audience: b.audience,
      channels: b.channels,
      channelMode: b.channelMode,
      messages: b.messages,
      // Only an emergency's broadcast reaches phones subscribed to area alerts.
      emergencyId: b.emergencyId ?? null,
    };
  }, [draft]);
  const [debounced] = useDebouncedValue(request, 500);
  const runnable = debounced.channels.length > 0 && debounced.audience.consents.length > 0;
  const dry = useQuery({
    queryKey: ["broadcasts", "dry-run", debounced] as const,
    queryFn: () => dryRun(debounced),
    enabled: runnable,
    placeholderData: (prev) => prev,
  });

  const written = Object.keys(request.messages).length;
  const problems = [
    !draft.title.trim() ? t("broadcasts.compose.needTitle") : null,
    draft.channels.length === 0 ? t("broadcasts.compose.needChannel") : null,
    draft.consents.length === 0 ? t("broadcasts.compose.needConsent") : null,
    written === 0 ? t("broadcasts.compose.needText") : null,
  ].filter((x): x is string => x !== null);

  const save = async () => {
    if (problems.length) return;
    setSaving(true);
    try {
      const body = bodyOf(draft);
      const saved = existing
        ? await updateBroadcast(existing.id, body)
        : await createBroadcast(body);
      await queryClient.invalidateQueries({ queryKey: ["broadcasts"] });
      notify(t("broadcasts.compose.saved"));
      void navigate({ to: "/broadcasts/$id", params: { id: saved.id } });
    } catch (err) {
      notify(errorMessage(t, err), "red");
    } finally {
      setSaving(false);
    }
  };

  const communityOptions = (communities.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.name,
  }));

  return (
    <Stack gap="md" maw={1100}>
      <PageTitle>
        {existing ? t("broadcasts.compose.editTitle") : t("broadcasts.compose.newTitle")}
      </PageTitle>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" style={{ alignItems: "start" }}>
        <Stack gap="md">
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-about">
            <Stack gap="sm">
              <Title order={2} size="h4" id="bc-about">
                {t("broadcasts.compose.about")}
              </Title>
              <TextInput
                label={t("broadcasts.compose.title")}
                description={t("broadcasts.compose.titleHint")}
                required
                maxLength={BROADCAST_LIMITS.title}
                value={draft.title}
                onChange={(e) => set({ title: e.currentTarget.value })}
              />
            </Stack>
          </Paper>

          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-audience">
            <Stack gap="sm">
              <Title order={2} size="h4" id="bc-audience">
                {t("broadcasts.compose.audience")}
              </Title>
              <MultiSelect
                label={t("broadcasts.compose.communities")}
                description={t("broadcasts.compose.communitiesHint")}
                placeholder={
                  draft.communityIds.length ? undefined : t("broadcasts.compose.wholeDepartment")
                }
                data={communityOptions}
                value={draft.communityIds}
                onChange={(v) => set({ communityIds: v })}
                searchable
                clearable
                nothingFoundMessage={t("broadcasts.compose.noCommunity")}
              />
              <MultiSelect
                label={t("broadcasts.compose.languages")}
                placeholder={
                  draft.languages.length ? undefined : t("broadcasts.compose.anyLanguage")
                }
                data={RESIDENT_LANGUAGES.map((l) => ({
                  value: l,
                  label: t(`residents.languages.${l}`),
                }))}
                value={draft.languages}
                onChange={(v) => set({ languages: v })}
                clearable
              />
              <MultiSelect
                label={t("broadcasts.compose.flags")}
                description={t("broadcasts.compose.flagsHint")}
                placeholder={draft.flags.length ? undefined : t("broadcasts.compose.anyFlag")}
                data={VULNERABILITY_FLAGS.map((f) => ({
                  value: f,
                  label: t(`residents.flags.${f}`),
                }))}
                value={draft.flags}
                onChange={(v) => set({ flags: v })}
                clearable
              />
              <Checkbox.Group
                label={t("broadcasts.compose.consents")}
                description={t("broadcasts.compose.consentsHint")}
                value={draft.consents}
                onChange={(v) => set({ consents: v })}
                required
              >
                <Stack gap={6} mt={6}>
                  {CONSENT_PURPOSES.map((p) => (
                    <Checkbox key={p} value={p} label={t(`residents.purposes.${p}`)} />
                  ))}
                </Stack>
              </Checkbox.Group>
            </Stack>
          </Paper>

          {emergency || draft.emergencyId ? (
            <Paper
              withBorder
              p="md"
              radius="md"
              component="section"
              aria-labelledby="bc-emergency"
              data-testid="broadcast-emergency"
            >
              <Stack gap="sm">
                <Title order={2} size="h4" id="bc-emergency">
                  {t("broadcasts.compose.emergency.title")}
                </Title>
                {emergency ? (
                  <Checkbox
                    checked={draft.emergencyId === emergency.id}
                    onChange={(ev) =>
                      setDraft((d) =>
                        ev.currentTarget.checked
                          ? linkEmergency(d, emergency, d.urgent)
                          : { ...d, emergencyId: null, urgent: false },
                      )
                    }
                    label={t("broadcasts.compose.emergency.link", { title: emergency.title })}
                    description={
                      emergency.drill
                        ? t("broadcasts.compose.emergency.drill")
                        : t("broadcasts.compose.emergency.linkHint")
                    }
                  />
                ) : null}
                <Switch
                  checked={draft.emergencyId !== null && draft.urgent}
                  disabled={draft.emergencyId === null}
                  onChange={(ev) => set({ urgent: ev.currentTarget.checked })}
                  label={t("broadcasts.compose.emergency.urgent")}
                  description={t("broadcasts.compose.emergency.urgentHint")}
                />
              </Stack>
            </Paper>
          ) : null}

          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-channels">
            <Stack gap="sm">
              <Title order={2} size="h4" id="bc-channels">
                {t("broadcasts.compose.channels")}
              </Title>
              <Checkbox.Group
                label={t("broadcasts.compose.channelsLabel")}
                description={t("broadcasts.compose.channelsHint")}
                value={draft.channels}
                onChange={(v) => set({ channels: BROADCAST_CHANNELS.filter((c) => v.includes(c)) })}
                required
              >
                <Stack gap={6} mt={6}>
                  {BROADCAST_CHANNELS.map((c) => (
                    <Checkbox key={c} value={c} label={t(`broadcasts.channel.${c}`)} />
                  ))}
                </Stack>
              </Checkbox.Group>
              <Radio.Group
                label={t("broadcasts.compose.mode")}
                description={t(`broadcasts.mode.${draft.channelMode}Hint`)}
                value={draft.channelMode}
                onChange={(v) => set({ channelMode: v === "all" ? "all" : "first" })}
              >
                <Stack gap={6} mt={6}>
                  <Radio value="first" label={t("broadcasts.mode.first")} />
                  <Radio value="all" label={t("broadcasts.mode.all")} />
                </Stack>
              </Radio.Group>
            </Stack>
          </Paper>

          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="bc-texts">
            <Stack gap="sm">
              <Title order={2} size="h4" id="bc-texts">
                {t("broadcasts.compose.texts")}
              </Title>
              <Text size="sm" c="dimmed">
                {t("broadcasts.compose.textsHint", { placeholder: STATUS_LINK_PLACEHOLDER })}
              </Text>
              <Tabs
                value={tab}
                onChange={(v) => v && setTab(v as BroadcastLanguage)}
                keepMounted={false}
              >
                <Tabs.List>
                  {BROADCAST_LANGUAGES.map((l) => (
                    <Tabs.Tab key={l} value={l}>
                      {t(`residents.languages.${l}`)}
                      {draft.messages[l].body.trim() ? " ✓" : ""}
                    </Tabs.Tab>
                  ))}
                </Tabs.List>
                {BROADCAST_LANGUAGES.map((l) => (
                  <Tabs.Panel key={l} value={l} pt="sm">
                    <Stack gap="sm">
                      <TextInput
                        label={t("broadcasts.compose.pushTitle")}
                        dir={dirOf(l)}
                        lang={l}
                        maxLength={BROADCAST_LIMITS.pushTitle}
                        value={draft.messages[l].title}
                        onChange={(e) => setMessage(l, { title: e.currentTarget.value })}
                      />
                      <Textarea
                        label={t("broadcasts.compose.body")}
                        dir={dirOf(l)}
                        lang={l}
                        autosize
                        minRows={3}
                        maxLength={BROADCAST_LIMITS.body}
                        value={draft.messages[l].body}
                        onChange={(e) => setMessage(l, { body: e.currentTarget.value })}
                        description={t("broadcasts.compose.length", {
                          n: formatNumber([...draft.messages[l].body].length, locale),
                          max: formatNumber(BROADCAST_LIMITS.body, locale),
                        })}
                      />
                      <Group>
                        <Button
                          variant="default"
                          size="xs"
                          onClick={() =>
                            setMessage(l, {
                              body: `${draft.messages[l].body.trimEnd()} ${STATUS_LINK_PLACEHOLDER}`.trim(),
                            })
                          }
                        >
                          {t("broadcasts.compose.addLink")}
                        </Button>
                      </Group>
                    </Stack>
                  </Tabs.Panel>
                ))}
              </Tabs>
            </Stack>
          </Paper>
        </Stack>

        <Stack gap="md" style={{ position: "sticky", top: 70 }}>
          <DryRunPanel
            dry={dry.data}
            channels={draft.channels}
            loading={dry.isFetching}
            error={dry.error}
            runnable={runnable}
            bypassesQuietHours={
              draft.urgent && draft.emergencyId !== null && draft.emergencyId === emergency?.id
            }
          />
          {problems.length ? (
            <Alert color="yellow" title={t("broadcasts.compose.missing")}>
              <Stack gap={2} component="ul" style={{ margin: 0, paddingInlineStart: 18 }}>
                {problems.map((p) => (
                  <Text key={p} component="li" size="sm">
                    {p}
                  </Text>
                ))}
              </Stack>
            </Alert>
          ) : null}
          <Group>
            <Button onClick={() => void save()} loading={saving} disabled={problems.length > 0}>
              {t("broadcasts.compose.save")}
            </Button>
            <Button
              variant="default"
              onClick={() =>
                existing
                  ? void navigate({ to: "/broadcasts/$id", params: { id: existing.id } })
                  : void navigate({ to: "/broadcasts" })
              }
            >
              {t("broadcasts.compose.cancel")}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t("broadcasts.compose.saveHint")}
          </Text>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

export function DryRunPanel({
  dry,
  channels,
  loading,
  error,
  runnable,
  bypassesQuietHours = false,
}: {
  dry: BroadcastDryRun | undefined;
  /** The chosen channels, in order (only these are counted). */
  channels: BroadcastChannel[];
  loading: boolean;
  error: unknown;
  runnable: boolean;
  /** Urgent and of the open emergency: quiet hours do not hold it (the server decides the same). */
  bypassesQuietHours?: boolean;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const n = (x: number) => formatNumber(x, locale);
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="section"
      aria-labelledby="bc-dry"
      aria-busy={loading}
    >
      <Stack gap="sm">
        <Title order={2} size="h4" id="bc-dry">
          {t("broadcasts.dry.title")}
        </Title>
        {!runnable ? <Text size="sm">{t("broadcasts.dry.incomplete")}</Text> : null}
        {error ? (
          <Text size="sm" c="red.8">
            {errorMessage(t, error)}
          </Text>
        ) : null}
        {dry ? (
          <>
            <Text size="sm" role="status" aria-live="polite">
              {t("broadcasts.dry.summary", {
                residents: n(dry.residents),
                reachable: n(dry.reachable),
              })}
            </Text>
            <SimpleGrid cols={2} spacing="xs">
              {channels.map((c) => (
                <Paper key={c} withBorder p="xs" radius="sm">
                  <Text size="xs" c="dimmed">
                    {t(`broadcasts.channel.${c}`)}
                  </Text>
                  <Text fw={700}>{n(dry.byChannel[c])}</Text>
                </Paper>
              ))}
            </SimpleGrid>
            {dry.areaSubscribers.total > 0 ? (
              <Text size="sm" data-testid="dry-area">
                {t("broadcasts.dry.area", { count: dry.areaSubscribers.total })}{" "}
                {BROADCAST_LANGUAGES.filter((l) => dry.areaSubscribers.byLanguage[l])
                  .map(
                    (l) =>
                      `${t(`residents.languages.${l}`)} ${n(dry.areaSubscribers.byLanguage[l] ?? 0)}`,
                  )
                  .join(" · ")}
              </Text>
            ) : null}
            {Object.keys(dry.byLanguage).length ? (
              <Text size="sm">
                {t("broadcasts.dry.byLanguage")}{" "}
                {BROADCAST_LANGUAGES.filter((l) => dry.byLanguage[l])
                  .map((l) => `${t(`residents.languages.${l}`)} ${n(dry.byLanguage[l] ?? 0)}`)
                  .join(" · ")}
              </Text>
            ) : null}
            {dry.missingLanguages.length ? (
              <Alert color="yellow" p="xs">
                {t("broadcasts.dry.missing", {
                  languages: dry.missingLanguages
                    .map((l) => t(`residents.languages.${l}`))
                    .join(", "),
                })}
              </Alert>
            ) : null}
            {dry.quietHoursNow ? (
              <Alert color="blue" p="xs">
                {bypassesQuietHours
                  ? t("broadcasts.dry.quietHoursBypassed")
                  : t("broadcasts.dry.quietHours")}
              </Alert>
            ) : null}
            <Previews previews={dry.previews} />
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}

function Previews({ previews }: { previews: BroadcastDryRun["previews"] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  if (previews.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-label={t("broadcasts.dry.previews")}>
      <Text size="sm" fw={600}>
        {t("broadcasts.dry.previews")}
      </Text>
      {previews.map((p) => (
        <Paper key={p.language} withBorder radius="md" p="sm" bg="gray.0">
          <Text size="xs" c="dimmed" mb={4}>
            {t(`residents.languages.${p.language}`)} ·{" "}
            {t("broadcasts.dry.recipients", { n: formatNumber(p.recipients, locale) })} ·{" "}
            {t("broadcasts.dry.smsParts", { count: p.smsParts })}
          </Text>
          <div dir={dirOf(p.language)} lang={p.language}>
            {p.title ? (
              <Text fw={700} size="sm">
                {p.title}
              </Text>
            ) : null}
            <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {p.body}
            </Text>
          </div>
        </Paper>
      ))}
    </Stack>
  );
}
