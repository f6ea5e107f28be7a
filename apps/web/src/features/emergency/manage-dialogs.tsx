import { useMemo, useState } from "react";
import {
  Alert,
  Button,
  Checkbox,
  Group,
  List,
  MultiSelect,
  NativeSelect,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import {
  EMERGENCY_LEVELS,
  EMERGENCY_LIMITS,
  EMERGENCY_TYPES,
  RESIDENT_LANGUAGES,
  type Emergency,
  type EmergencyLevel,
  type EmergencyType,
  type Role,
} from "@kaveret/contracts";
import { ApiError, apiGet } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDate } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { ScrollTable } from "../forms/scroll-table.tsx";
import type { UserPage } from "../team/team.api.ts";
import {
  assignCalls,
  closeEmergency,
  declareEmergency,
  emergencyKeys,
  updateEmergency,
  type AssignResult,
} from "./emergency.api.ts";
import { isolate, languageName } from "./emergency-labels.ts";

/* Declaring, changing, closing an emergency and handing out its calls (the manager). */

function useCommunityOptions() {
  const communities = useQuery(parentOptionsQuery);
  return useMemo(
    () =>
      (communities.data?.items ?? []).map((c) => ({
        value: c.id,
        label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
      })),
    [communities.data],
  );
}

function levelData(t: (k: string) => string) {
  return EMERGENCY_LEVELS.map((l) => ({ value: String(l), label: t(`emergency.levels.${l}`) }));
}

const asLevel = (v: string): EmergencyLevel =>
  (EMERGENCY_LEVELS as readonly number[]).includes(Number(v)) ? (Number(v) as EmergencyLevel) : 1;

/** One step: what, how severe, where, drill or real — then a confirmation. */
export function DeclareDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const locale = currentLocale();
  const options = useCommunityOptions();
  const [type, setType] = useState<EmergencyType>("rocket_fire");
  const [level, setLevel] = useState<EmergencyLevel>(2);
  const [title, setTitle] = useState("");
  const [titleTouched, setTitleTouched] = useState(false);
  const [communityIds, setCommunityIds] = useState<string[]>([]);
  const [drill, setDrill] = useState(false);
  const [note, setNote] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const autoTitle = `${t(`emergency.types.${type}`)} — ${formatDate(new Date().toISOString(), locale)}`;
  const shownTitle = titleTouched ? title : autoTitle;
  const names = options.filter((o) => communityIds.includes(o.value)).map((o) => o.label);

  const reset = () => {
    setConfirming(false);
    setProblems({});
    setError(null);
  };
  const close = () => {
    reset();
    onClose();
  };

  const next = () => {
    const p: Record<string, string> = {};
    if (shownTitle.trim().length < 2) p.title = t("validation.required");
    if (communityIds.length === 0) p.communities = t("emergency.declare.chooseCommunities");
    setProblems(p);
    if (Object.keys(p).length === 0) setConfirming(true);
  };

  const declare = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await declareEmergency({
        type,
        level,
        title: shownTitle.trim(),
        communityIds,
        drill,
        note: note.trim(),
        generateCalls: true,
      });
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.all });
      notify(
        t(result.drill ? "emergency.declare.doneDrill" : "emergency.declare.done", {
          calls: result.callsAdded,
          links: result.linksSent,
        }),
      );
      setTitle("");
      setTitleTouched(false);
      setCommunityIds([]);
      setNote("");
      close();
    } catch (err) {
      setError(err);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal
      opened={opened}
      onClose={close}
      title={confirming ? t("emergency.declare.confirmTitle") : t("emergency.declare.title")}
      size="lg"
    >
      {!confirming ? (
        <Stack gap="md">
          <NativeSelect
            label={t("emergency.declare.type")}
            value={type}
            data={EMERGENCY_TYPES.map((x) => ({ value: x, label: t(`emergency.types.${x}`) }))}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if ((EMERGENCY_TYPES as readonly string[]).includes(v)) setType(v as EmergencyType);
            }}
          />
          <NativeSelect
            label={t("emergency.declare.level")}
            value={String(level)}
            data={levelData(t)}
            onChange={(e) => setLevel(asLevel(e.currentTarget.value))}
          />
          <TextInput
            label={t("emergency.declare.titleField")}
            value={shownTitle}
            maxLength={EMERGENCY_LIMITS.title}
            error={problems.title}
            onChange={(e) => {
              setTitleTouched(true);
              setTitle(e.currentTarget.value);
            }}
          />
          <MultiSelect
            label={t("emergency.declare.communities")}
            description={t("emergency.declare.communitiesHint")}
            data={options}
            value={communityIds}
            onChange={setCommunityIds}
            searchable
            clearable
            hidePickedOptions
            nothingFoundMessage={t("emergency.declare.noCommunity")}
            error={problems.communities}
            data-testid="declare-communities"
            comboboxProps={{ withinPortal: true }}
          />
          <Paper withBorder p="sm" radius="md" bg={drill ? "#fff9db" : undefined}>
            <Switch
              checked={drill}
              onChange={(e) => setDrill(e.currentTarget.checked)}
              label={t("emergency.declare.drill")}
              description={t("emergency.declare.drillHint")}
              data-testid="declare-drill"
            />
          </Paper>
          <Textarea
            label={t("emergency.declare.note")}
            autosize
            minRows={2}
            maxLength={EMERGENCY_LIMITS.note}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t("app.cancel")}
            </Button>
            <Button onClick={next} data-testid="declare-next">
              {t("emergency.declare.next")}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Alert
            color={drill ? "yellow" : "red"}
            role="alert"
            title={drill ? t("emergency.declare.confirmDrill") : t("emergency.declare.confirmReal")}
          >
            <List size="sm" spacing={4}>
              <List.Item>
                {t("emergency.declare.summaryType", {
                  type: t(`emergency.types.${type}`),
                  level: t(`emergency.levels.${level}`),
                })}
              </List.Item>
              <List.Item>
                {t("emergency.declare.summaryCommunities", { names: names.join(", ") })}
              </List.Item>
              <List.Item>{t("emergency.declare.summaryCalls")}</List.Item>
              <List.Item>
                {drill
                  ? t("emergency.declare.summaryNoMessages")
                  : t("emergency.declare.summaryMessages")}
              </List.Item>
            </List>
          </Alert>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirming(false)} disabled={busy}>
              {t("emergency.declare.back")}
            </Button>
            <Button
              color={drill ? "#6b4e00" : "#9b1c1c"}
              onClick={() => void declare()}
              loading={busy}
              data-testid="declare-confirm"
            >
              {drill ? t("emergency.declare.startDrill") : t("emergency.declare.declare")}
            </Button>
          </Group>
        </Stack>
      )}
    </AppModal>
  );
}

/** Level, title, note and communities of the open emergency. */
export function EditDialog({
  emergency,
  opened,
  onClose,
}: {
  emergency: Emergency;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const options = useCommunityOptions();
  const [level, setLevel] = useState<EmergencyLevel>(emergency.level);
  const [title, setTitle] = useState(emergency.title);
  const [communityIds, setCommunityIds] = useState(emergency.communities.map((c) => c.id));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Communities already in scope stay in the list even if archived since.
  const data = useMemo(() => {
    const known = new Set(options.map((o) => o.value));
    return [
      ...options,
      ...emergency.communities
        .filter((c) => !known.has(c.id))
        .map((c) => ({ value: c.id, label: c.name })),
    ];
  }, [options, emergency.communities]);

  const save = async () => {
    if (communityIds.length === 0 || title.trim().length < 2) {
      setError(new ApiError(400, "validation_failed", ""));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await updateEmergency(emergency.id, {
        version: emergency.version,
        level,
        title: title.trim(),
        communityIds,
      });
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.all });
      notify(t("emergency.edit.saved"));
      onClose();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === "version_conflict") {
        void queryClient.invalidateQueries({ queryKey: emergencyKeys.event(emergency.id) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal opened={opened} onClose={onClose} title={t("emergency.edit.title")} size="lg">
      <Stack gap="md">
        <NativeSelect
          label={t("emergency.declare.level")}
          value={String(level)}
          data={levelData(t)}
          onChange={(e) => setLevel(asLevel(e.currentTarget.value))}
        />
        <TextInput
          label={t("emergency.declare.titleField")}
          value={title}
          maxLength={EMERGENCY_LIMITS.title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <MultiSelect
          label={t("emergency.declare.communities")}
          description={t("emergency.edit.communitiesHint")}
          data={data}
          value={communityIds}
          onChange={setCommunityIds}
          searchable
          hidePickedOptions
          comboboxProps={{ withinPortal: true }}
        />
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t("app.cancel")}
          </Button>
          <Button onClick={() => void save()} loading={busy}>
            {t("app.save")}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}

/** Back to routine, after a confirmation: open requests become needs; the summary follows. */
export function CloseDialog({
  emergency,
  opened,
  onClose,
}: {
  emergency: Emergency;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [note, setNote] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const open = emergency.counts.helpOpen + emergency.counts.helpClaimed;

  const close = async () => {
    setBusy(true);
    setError(null);
    try {
      const summary = await closeEmergency(emergency.id, {
        version: emergency.version,
        note: note.trim(),
      });
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.all });
      notify(
        emergency.drill
          ? t("emergency.close.doneDrill")
          : t("emergency.close.done", { needs: summary.needsCreated.length }),
      );
      onClose();
      void navigate({ to: "/emergency/$id", params: { id: emergency.id } });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === "version_conflict") {
        void queryClient.invalidateQueries({ queryKey: emergencyKeys.event(emergency.id) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal
      opened={opened}
      onClose={onClose}
      title={emergency.drill ? t("emergency.close.titleDrill") : t("emergency.close.title")}
    >
      <Stack gap="md">
        <Alert color="orange" role="alert">
          <List size="sm" spacing={4}>
            <List.Item>
              {emergency.drill ? t("emergency.close.drillEnds") : t("emergency.close.routine")}
            </List.Item>
            <List.Item>
              {emergency.drill
                ? t("emergency.close.drillNeeds")
                : t("emergency.close.needs", { n: open })}
            </List.Item>
            <List.Item>{t("emergency.close.calls")}</List.Item>
            <List.Item>{t("emergency.close.summary")}</List.Item>
          </List>
        </Alert>
        <Textarea
          label={t("emergency.close.note")}
          autosize
          minRows={2}
          maxLength={EMERGENCY_LIMITS.note}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t("app.cancel")}
          </Button>
          <Button
            color="#9b1c1c"
            onClick={() => void close()}
            loading={busy}
            data-testid="close-confirm"
          >
            {emergency.drill ? t("emergency.close.confirmDrill") : t("emergency.close.confirm")}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}

const CALLER_ROLES: readonly Role[] = ["manager", "community_worker", "social_worker", "volunteer"];

interface CallerChoice {
  on: boolean;
  languages: string[];
}

/** Hand the open calls out among workers and volunteers (by building, street and language). */
export function AssignDialog({
  emergency,
  opened,
  onClose,
}: {
  emergency: Emergency;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const users = useQuery({
    queryKey: ["emergency", "callers"],
    queryFn: ({ signal }) =>
      apiGet<UserPage>("/api/users", { pageSize: 100, status: "active" }, signal),
    enabled: opened,
    staleTime: 60_000,
  });
  const [choices, setChoices] = useState<Record<string, CallerChoice>>({});
  const [reassignAll, setReassignAll] = useState(false);
  const [result, setResult] = useState<AssignResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const callers = (users.data?.items ?? []).filter((u) =>
    u.roles.some((r) => CALLER_ROLES.includes(r)),
  );
  const languageData = RESIDENT_LANGUAGES.map((l) => ({ value: l, label: languageName(t, l) }));
  const choiceOf = (id: string): CallerChoice => choices[id] ?? { on: false, languages: ["he"] };
  const chosen = callers.filter((u) => choiceOf(u.id).on);

  const assign = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await assignCalls(emergency.id, {
        callers: chosen.map((u) => ({
          userId: u.id,
          languages: choiceOf(u.id).languages.length ? choiceOf(u.id).languages : ["he"],
        })),
        reassignAll,
      });
      setResult(r);
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.event(emergency.id) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setResult(null);
    setError(null);
    onClose();
  };

  return (
    <AppModal opened={opened} onClose={close} title={t("emergency.assign.title")} size="lg">
      {result ? (
        <Stack gap="md">
          <Alert color={result.unassigned > 0 ? "yellow" : "green"} role="status">
            {t("emergency.assign.result", {
              assigned: result.assigned,
              unassigned: result.unassigned,
            })}
          </Alert>
          <ScrollTable minWidth={320} label={t("emergency.assign.perCaller")}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("emergency.assign.caller")}</Table.Th>
                  <Table.Th>{t("emergency.assign.calls")}</Table.Th>
                  <Table.Th>{t("emergency.assign.streets")}</Table.Th>
                  <Table.Th>{t("emergency.assign.buildings")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.perCaller.map((c) => (
                  <Table.Tr key={c.userId}>
                    <Table.Td>{c.name}</Table.Td>
                    <Table.Td>{c.calls}</Table.Td>
                    <Table.Td>{c.streets}</Table.Td>
                    <Table.Td>{c.buildings}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          <Group justify="flex-end">
            <Button onClick={close}>{t("app.close")}</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm">{t("emergency.assign.intro")}</Text>
          {users.isError ? (
            <Alert color="red" role="alert">
              {errorMessage(t, users.error)}
            </Alert>
          ) : null}
          <Stack gap="xs">
            {callers.map((u) => {
              const c = choiceOf(u.id);
              return (
                <Paper key={u.id} withBorder p="xs" radius="md">
                  <Stack gap={6}>
                    <Checkbox
                      checked={c.on}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setChoices((all) => ({ ...all, [u.id]: { ...c, on } }));
                      }}
                      label={`${u.name} · ${u.roles.map((r) => t(`roles.${r}`)).join(", ")}`}
                      data-testid={`caller-${u.id}`}
                    />
                    {c.on ? (
                      <MultiSelect
                        size="xs"
                        label={t("emergency.assign.languages", { name: isolate(u.name) })}
                        data={languageData}
                        value={c.languages}
                        onChange={(languages) =>
                          setChoices((all) => ({ ...all, [u.id]: { ...c, languages } }))
                        }
                        comboboxProps={{ withinPortal: true }}
                      />
                    ) : null}
                  </Stack>
                </Paper>
              );
            })}
          </Stack>
          <Switch
            checked={reassignAll}
            onChange={(e) => setReassignAll(e.currentTarget.checked)}
            label={t("emergency.assign.reassignAll")}
            description={t("emergency.assign.reassignAllHint")}
          />
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close} disabled={busy}>
              {t("app.cancel")}
            </Button>
            <Button
              onClick={() => void assign()}
              loading={busy}
              disabled={chosen.length === 0}
              data-testid="assign-confirm"
            >
              {t("emergency.assign.confirm", { n: chosen.length })}
            </Button>
          </Group>
        </Stack>
      )}
    </AppModal>
  );
}
