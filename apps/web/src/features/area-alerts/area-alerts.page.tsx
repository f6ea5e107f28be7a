import { useEffect, useMemo, useState } from "react";
import {
  Alert,
  Button,
  Group,
  List,
  Loader,
  NativeSelect,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { nameIn, type BroadcastLanguage } from "@kaveret/contracts";
import { ApiError } from "../../api/client.ts";
import { LANGUAGE_NAMES } from "../../components/language-switch.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { isolate } from "../../lib/format.ts";
import { UI_LOCALES } from "../../i18n/locales.ts";
import {
  LanguageButtons,
  PublicPageFrame,
  useInitialLanguage,
} from "../public-report/public-page.tsx";
import {
  alertsErrorKey,
  alertsSupport,
  browserTraits,
  communityOptions,
  needsRenewal,
  readChoice,
  subscribedChoice,
  type AlertsSupport,
  type StoredChoice,
} from "./area-alerts.ts";
import {
  currentEndpoint,
  fetchAlertsInfo,
  renewAlerts,
  subscribeAlerts,
  unsubscribeAlerts,
} from "./area-alerts.api.ts";

const CHOOSE_FIRST = "areaAlerts.chooseFirst";

/* Its own query client, as the public report page: a 401 must never send anyone to sign-in. */
const alertsQueryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5 * 60_000 },
  },
});

/** /alerts/$departmentId — emergency alerts on this phone, without an account. */
export function AreaAlertsPage() {
  return (
    <QueryClientProvider client={alertsQueryClient}>
      <AlertsScreen />
    </QueryClientProvider>
  );
}

type DeviceState =
  | { kind: "checking" }
  | { kind: "unsupported"; why: Exclude<AlertsSupport, "supported"> }
  | { kind: "denied" }
  | { kind: "off" }
  | { kind: "on"; choice: StoredChoice };

function AlertsScreen() {
  const { t } = useTranslation();
  const params = useParams({ strict: false }) as { departmentId?: string };
  const departmentId = params.departmentId ?? "";
  useInitialLanguage();
  const locale = currentLocale();
  const info = useQuery({
    queryKey: ["public", "alerts", departmentId] as const,
    queryFn: ({ signal }) => fetchAlertsInfo(departmentId, signal),
    enabled: departmentId.length > 0,
  });
  const [device, setDevice] = useState<DeviceState>({ kind: "checking" });
  const [communityId, setCommunityId] = useState("");
  const [language, setLanguage] = useState<BroadcastLanguage | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The department's name in the page's language, else its Hebrew name.
  const departmentName = info.data ? nameIn(info.data.department, locale) : null;

  useEffect(() => {
    document.title = departmentName
      ? `${t("areaAlerts.title")} · ${isolate(departmentName)}`
      : t("areaAlerts.title");
  }, [t, departmentName]);

  useEffect(() => {
    let live = true;
    const support = alertsSupport(browserTraits());
    if (support !== "supported") {
      setDevice({ kind: "unsupported", why: support });
      return;
    }
    if (Notification.permission === "denied") {
      setDevice({ kind: "denied" });
      return;
    }
    void currentEndpoint()
      .catch(() => null)
      .then(async (endpoint) => {
        const stored = readChoice(departmentId);
        // The browser renewed its subscription since the choice was made: keep the choice.
        const renewed = needsRenewal(stored, endpoint, Notification.permission)
          ? await renewAlerts(departmentId, stored!).catch(() => null)
          : null;
        if (!live) return;
        const choice = renewed ?? subscribedChoice(stored, endpoint);
        setDevice(choice ? { kind: "on", choice } : { kind: "off" });
      });
    return () => {
      live = false;
    };
  }, [departmentId]);

  const options = useMemo(
    () =>
      info.data
        ? communityOptions(info.data.communities, locale, (name) =>
            t("areaAlerts.wholeTown", { name: isolate(name) }),
          )
        : [],
    [info.data, locale, t],
  );
  const alertLanguage = language ?? locale;

  const turnOn = async () => {
    if (!info.data) return;
    if (!communityId) {
      setError(CHOOSE_FIRST);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const outcome = await subscribeAlerts(
        departmentId,
        info.data.publicKey,
        communityId,
        alertLanguage,
      );
      setDevice(
        outcome.kind === "denied" ? { kind: "denied" } : { kind: "on", choice: outcome.choice },
      );
    } catch (e) {
      setError(alertsErrorKey(e instanceof ApiError ? e.code : "generic"));
    } finally {
      setBusy(false);
    }
  };

  const turnOff = async () => {
    setBusy(true);
    setError(null);
    try {
      await unsubscribeAlerts(departmentId);
      setDevice({ kind: "off" });
    } catch (e) {
      setError(alertsErrorKey(e instanceof ApiError ? e.code : "generic"));
    } finally {
      setBusy(false);
    }
  };

  const placeName = (id: string) => options.find((o) => o.value === id)?.label ?? "";

  let body: React.ReactNode;
  if (info.isPending || device.kind === "checking") {
    body = (
      <Group justify="center" py="xl" role="status">
        <Loader size="sm" aria-hidden />
        <Text>{t("areaAlerts.loading")}</Text>
      </Group>
    );
  } else if (info.isError) {
    body = (
      <Alert color="red" role="alert" title={t("areaAlerts.unavailableTitle")}>
        <Stack gap="sm" align="flex-start">
          <Text size="sm">
            {t(alertsErrorKey(info.error instanceof ApiError ? info.error.code : "generic"))}
          </Text>
          <Button size="md" variant="default" onClick={() => void info.refetch()}>
            {t("areaAlerts.retry")}
          </Button>
        </Stack>
      </Alert>
    );
  } else if (device.kind === "unsupported") {
    body =
      device.why === "ios_home_screen" ? (
        <Alert color="yellow" title={t("areaAlerts.ios.title")} data-testid="alerts-ios">
          <Stack gap="xs">
            <Text size="sm">{t("areaAlerts.ios.intro")}</Text>
            <List type="ordered" size="sm" spacing={4}>
              <List.Item>{t("areaAlerts.ios.step1")}</List.Item>
              <List.Item>{t("areaAlerts.ios.step2")}</List.Item>
              <List.Item>{t("areaAlerts.ios.step3")}</List.Item>
            </List>
          </Stack>
        </Alert>
      ) : (
        <Alert
          color="yellow"
          title={t("areaAlerts.unsupported.title")}
          data-testid="alerts-unsupported"
        >
          <Text size="sm">{t("areaAlerts.unsupported.body")}</Text>
        </Alert>
      );
  } else if (device.kind === "denied") {
    body = (
      <Alert color="yellow" title={t("areaAlerts.denied.title")} data-testid="alerts-denied">
        <Text size="sm">{t("areaAlerts.denied.body")}</Text>
      </Alert>
    );
  } else if (device.kind === "on") {
    body = (
      <Stack gap="md">
        <Alert color="green" title={t("areaAlerts.on.title")} data-testid="alerts-on">
          <Text size="sm">
            {t("areaAlerts.on.body", {
              place: placeName(device.choice.communityId),
              language: LANGUAGE_NAMES[device.choice.language],
            })}
          </Text>
        </Alert>
        <Button
          size="md"
          variant="default"
          color="red"
          loading={busy}
          onClick={() => void turnOff()}
          data-testid="alerts-stop"
        >
          {t("areaAlerts.stop")}
        </Button>
      </Stack>
    );
  } else {
    body = (
      <Stack gap="md">
        <NativeSelect
          size="md"
          label={t("areaAlerts.community")}
          description={t("areaAlerts.communityHint")}
          value={communityId}
          onChange={(e) => {
            setCommunityId(e.currentTarget.value);
            if (error === CHOOSE_FIRST) setError(null);
          }}
          error={error === CHOOSE_FIRST ? t(CHOOSE_FIRST) : undefined}
          data={[{ value: "", label: t("areaAlerts.choose") }, ...options]}
          required
          data-testid="alerts-community"
        />
        <NativeSelect
          size="md"
          label={t("areaAlerts.language")}
          value={alertLanguage}
          onChange={(e) => setLanguage(e.currentTarget.value as BroadcastLanguage)}
          data={UI_LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          data-testid="alerts-language"
        />
        <Button
          size="lg"
          loading={busy}
          onClick={() => void turnOn()}
          data-testid="alerts-on-button"
        >
          {t("areaAlerts.turnOn")}
        </Button>
        <Text size="sm" c="dimmed">
          {t("areaAlerts.permissionNote")}
        </Text>
      </Stack>
    );
  }

  return (
    <PublicPageFrame
      departmentName={departmentName ?? t("areaAlerts.municipality")}
      languages={<LanguageButtons label={t("areaAlerts.uiLanguage")} testIdPrefix="alerts-lang" />}
      footer={
        <Text size="sm" c="dimmed" ta="center">
          {t("areaAlerts.footer")}
        </Text>
      }
    >
      <Title order={1} size="h2">
        {t("areaAlerts.title")}
      </Title>
      <Text>{t("areaAlerts.intro")}</Text>
      <Text size="sm" c="dimmed">
        {t("areaAlerts.privacy")}
      </Text>
      {error && error !== CHOOSE_FIRST ? (
        <Alert color="red" role="alert" data-testid="alerts-error">
          {t(error)}
        </Alert>
      ) : null}
      {body}
      <Text size="sm" fw={500}>
        {t("areaAlerts.emergencyNumbers")}
      </Text>
    </PublicPageFrame>
  );
}
