import { useState } from "react";
import {
  Alert,
  Button,
  Collapse,
  Group,
  NativeSelect,
  Paper,
  Radio,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  CONSENT_PURPOSES,
  consentInputSchema,
  type ConsentPurpose,
  type Resident,
} from "@kaveret/contracts";
import { apiPost } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage, toFieldErrors, type FieldErrors } from "../../lib/errors.ts";
import { formatDateTime } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { ltr } from "./resident-labels.ts";
import { consentHistoryQuery } from "./residents.api.ts";

/** Methods a staff member records by hand ("import" and "online by the resident" come from elsewhere). */
export const STAFF_CONSENT_METHODS = ["in_person", "phone", "written_form"] as const;

type ConsentState = Resident["consentStates"][number];

function stateOf(r: Resident, purpose: ConsentPurpose): ConsentState {
  return (
    r.consentStates.find((s) => s.purpose === purpose) ?? {
      purpose,
      granted: false,
      method: null,
      recordedAt: null,
      recordedByName: null,
    }
  );
}

/** Consent per purpose: the current state with who, when and how; change it; the full history. */
export function ConsentsSection({ resident, editable }: { resident: Resident; editable: boolean }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const [changing, setChanging] = useState<ConsentState | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const history = useQuery({ ...consentHistoryQuery(resident.id), enabled: historyOpen });

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="consents-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="consents-title">
          {t("resident.consents.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("resident.consents.intro")}
        </Text>
        <Stack component="ul" gap="sm" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {CONSENT_PURPOSES.map((purpose) => {
            const s = stateOf(resident, purpose);
            return (
              <Paper
                key={purpose}
                component="li"
                withBorder
                p="sm"
                radius="md"
                data-testid={`consent-${purpose}`}
              >
                <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
                  <Stack gap={4} style={{ flex: "1 1 220px" }}>
                    <Group gap="xs" wrap="wrap">
                      <Text fw={700}>{t(`residents.purposes.${purpose}`)}</Text>
                      <SoftBadge
                        color={s.granted ? "green" : s.recordedAt ? "red" : "gray"}
                        tt="none"
                      >
                        {s.granted
                          ? t("resident.consents.granted")
                          : s.recordedAt
                            ? t("resident.consents.withdrawn")
                            : t("resident.consents.never")}
                      </SoftBadge>
                    </Group>
                    <Text size="sm" c="dimmed">
                      {t(`residents.purposeHints.${purpose}`)}
                    </Text>
                    {s.recordedAt ? (
                      <Text size="sm">
                        {t("resident.consents.recorded", {
                          who: s.recordedByName ?? t("resident.consents.someone"),
                          when: ltr(formatDateTime(s.recordedAt, locale)),
                          how: s.method ? t(`residents.methods.${s.method}`) : "",
                        })}
                      </Text>
                    ) : null}
                  </Stack>
                  {editable ? (
                    <Button
                      size="xs"
                      variant={s.granted ? "default" : "light"}
                      onClick={() => setChanging(s)}
                      aria-label={t(
                        s.granted ? "resident.consents.withdrawFor" : "resident.consents.grantFor",
                        { purpose: t(`residents.purposes.${purpose}`) },
                      )}
                    >
                      {s.granted ? t("resident.consents.withdraw") : t("resident.consents.grant")}
                    </Button>
                  ) : null}
                </Group>
              </Paper>
            );
          })}
        </Stack>
        <Group>
          <Button
            variant="subtle"
            size="compact-sm"
            aria-expanded={historyOpen}
            aria-controls="consent-history"
            onClick={() => setHistoryOpen((o) => !o)}
          >
            {historyOpen ? t("resident.consents.hideHistory") : t("resident.consents.showHistory")}
          </Button>
        </Group>
        <Collapse expanded={historyOpen} id="consent-history">
          {history.isPending && historyOpen ? <PageLoader /> : null}
          {history.isError ? (
            <ErrorState error={history.error} onRetry={() => void history.refetch()} />
          ) : null}
          {history.isSuccess && history.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("resident.consents.noHistory")}
            </Text>
          ) : null}
          {history.isSuccess && history.data.items.length > 0 ? (
            <Stack
              component="ol"
              gap="xs"
              style={{ listStyle: "none", padding: 0, margin: 0 }}
              aria-label={t("resident.consents.historyTitle")}
            >
              {history.data.items.map((e) => (
                <li key={e.id}>
                  <Text size="sm">
                    <bdi dir="ltr">{formatDateTime(e.recordedAt, locale)}</bdi>
                    {" · "}
                    <strong>{t(`residents.purposes.${e.purpose}`)}</strong>
                    {" · "}
                    {e.granted ? t("resident.consents.granted") : t("resident.consents.withdrawn")}
                    {" · "}
                    {t(`residents.methods.${e.method}`)}
                    {" · "}
                    {e.recordedByName ?? t("resident.consents.someone")}
                  </Text>
                  {e.note ? (
                    <Text size="sm" c="dimmed" style={{ whiteSpace: "pre-wrap" }}>
                      {e.note}
                    </Text>
                  ) : null}
                </li>
              ))}
            </Stack>
          ) : null}
        </Collapse>
      </Stack>
      {changing ? (
        <ConsentDialog
          residentId={resident.id}
          state={changing}
          onClose={() => setChanging(null)}
        />
      ) : null}
    </Paper>
  );
}

function ConsentDialog({
  residentId,
  state,
  onClose,
}: {
  residentId: string;
  state: ConsentState;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [granted, setGranted] = useState(!state.granted);
  const [method, setMethod] = useState<string>("in_person");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const purposeLabel = t(`residents.purposes.${state.purpose}`);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = consentInputSchema.safeParse({ purpose: state.purpose, granted, method, note });
    if (!parsed.success) {
      setErrors(toFieldErrors(t, parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    setError(null);
    try {
      await apiPost(`/api/residents/${encodeURIComponent(residentId)}/consents`, parsed.data);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["residents", "one", residentId] }),
        queryClient.invalidateQueries({ queryKey: ["residents", "consents", residentId] }),
        queryClient.invalidateQueries({ queryKey: ["residents", "history", residentId] }),
        queryClient.invalidateQueries({ queryKey: ["residents", "list"] }),
      ]);
      notify(
        t(granted ? "resident.consents.grantedDone" : "resident.consents.withdrawnDone", {
          purpose: purposeLabel,
        }),
      );
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal
      opened
      onClose={onClose}
      title={t("resident.consents.dialogTitle", { purpose: purposeLabel })}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <Radio.Group
            label={t("resident.consents.decision")}
            value={granted ? "grant" : "withdraw"}
            onChange={(v) => setGranted(v === "grant")}
          >
            <Stack gap="xs" mt={6}>
              <Radio value="grant" label={t("resident.consents.decisionGrant")} />
              <Radio value="withdraw" label={t("resident.consents.decisionWithdraw")} />
            </Stack>
          </Radio.Group>
          {!granted ? <Alert color="orange">{t("resident.consents.withdrawEffect")}</Alert> : null}
          <NativeSelect
            label={t("resident.consents.method")}
            value={method}
            error={errors.method}
            data={STAFF_CONSENT_METHODS.map((m) => ({
              value: m,
              label: t(`residents.methods.${m}`),
            }))}
            onChange={(e) => setMethod(e.currentTarget.value)}
          />
          <Textarea
            label={t("resident.consents.note")}
            description={t("resident.consents.noteHint")}
            autosize
            minRows={2}
            maxRows={6}
            maxLength={500}
            value={note}
            error={errors.note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={busy} color={granted ? undefined : "red"}>
              {granted ? t("resident.consents.saveGrant") : t("resident.consents.saveWithdraw")}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
