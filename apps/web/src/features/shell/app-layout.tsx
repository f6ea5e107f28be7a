import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { AppShell, Burger, Group, NavLink, ScrollArea, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useLocation, useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { SoftBadge } from "../../components/soft-badge.tsx";
import type { Me } from "@kaveret/contracts";
import { ApiError, apiGet, apiPatch, readScope, writeScope } from "../../api/client.ts";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { LanguageSwitch } from "../../components/language-switch.tsx";
import { changeLocale, readStoredLocale } from "../../i18n/index.ts";
import { isUiLocale, type UiLocale } from "../../i18n/locales.ts";
import { navFor } from "./nav.ts";
import { ScopeSwitch } from "./scope-switch.tsx";
import { SessionContext, meQuery, pickScope, type Session } from "./session.tsx";
import { UserMenu } from "./user-menu.tsx";
import { readOfflineSession, saveOfflineSession } from "../sync/sync-session.ts";
import { SyncStatus } from "../sync/sync-status.tsx";
import { EmergencyBanner, useEmergencyMode } from "../emergency/emergency-banner.tsx";

export function AppLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useQuery(meQuery);
  // Offline (field work): the last session this device saw keeps the app usable.
  const unreachable =
    (me.isPending && me.fetchStatus === "paused") ||
    (me.isError && me.error instanceof ApiError && me.error.status === 0);
  const remembered = unreachable ? readOfflineSession() : null;
  if (remembered) return <SignedIn me={remembered} />;

  if (me.isPending) {
    return (
      <main id="main">
        <PageLoader />
      </main>
    );
  }
  if (me.isError) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return <GoOnce to="/signin" redirect={location.href} />;
    }
    return (
      <main id="main" style={{ padding: 16 }}>
        <h1 style={{ fontSize: "1.5rem" }}>{t("app.name")}</h1>
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </main>
    );
  }
  return <SignedIn me={me.data} />;
}

/**
 * Navigates once, when it mounts. (The router's <Navigate> navigates again on every render
 * of its parent; while a sign-out's own navigation was pending, the layout re-rendering
 * and each navigation cancelling the other could spin the page's main thread for good.)
 */
function GoOnce({ to, redirect }: { to: "/signin" | "/security/two-factor"; redirect?: string }) {
  const navigate = useNavigate();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (to === "/signin") {
      // Never send someone back to the sign-in page after signing in.
      const back = redirect && !redirect.startsWith("/signin") ? redirect : undefined;
      void navigate({ to, search: back ? { redirect: back } : {}, replace: true });
    } else {
      void navigate({ to, replace: true });
    }
  }, [navigate, to, redirect]);
  return (
    <main id="main">
      <PageLoader />
    </main>
  );
}

function SignedIn({ me }: { me: Me }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const [scopeId, setScopeId] = useState<string | null>(() => readScope());

  const scope = pickScope(me, scopeId);
  const isResident = me.user.kind === "resident";
  useEffect(() => {
    if (!isResident) saveOfflineSession(me);
  }, [me, isResident]);

  // Keep the header the server sees in step with the scope shown.
  useEffect(() => {
    if (scope && readScope() !== scope.id) writeScope(scope.id);
  }, [scope]);

  // Language: this device's choice wins and is saved to the profile; else the profile's.
  const syncedLocale = useRef(false);
  useEffect(() => {
    if (syncedLocale.current) return;
    syncedLocale.current = true;
    const local = readStoredLocale();
    if (local && local !== me.user.locale) {
      void apiPatch("/api/me", { locale: local }).catch(() => undefined);
    } else if (!local && isUiLocale(me.user.locale)) {
      void changeLocale(me.user.locale);
    }
  }, [me.user.locale]);

  const setScope = useCallback(
    (id: string) => {
      writeScope(id);
      setScopeId(id);
      void queryClient.invalidateQueries();
    },
    [queryClient],
  );

  const session: Session = useMemo(
    () => ({ me, scope, roles: scope?.roles ?? [], isResident, setScope }),
    [me, scope, isResident, setScope],
  );

  const emergencyMode = useEmergencyMode();

  const outbox = useQuery({
    queryKey: ["dev-outbox-probe"],
    queryFn: ({ signal }) => apiGet<unknown>("/api/dev/outbox", { pageSize: 1 }, signal),
    retry: false,
    staleTime: Infinity,
    enabled: !isResident,
  });

  if (me.twoFactorRequired && location.pathname !== "/security/two-factor") {
    return <GoOnce to="/security/two-factor" />;
  }

  const items = me.twoFactorRequired
    ? []
    : navFor(isResident ? ["resident"] : session.roles, { outbox: outbox.isSuccess });
  const mode = emergencyMode.data?.mode ?? "routine";

  const onLocaleChange = (l: UiLocale) => {
    void apiPatch("/api/me", { locale: l }).catch(() => undefined);
  };

  return (
    <SessionContext value={session}>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={opened ? t("nav.close") : t("nav.open")}
                aria-expanded={opened}
                aria-controls="main-nav"
              />
              <Text
                component={Link}
                to="/"
                fw={700}
                size="lg"
                c="honey.9"
                style={{ textDecoration: "none" }}
              >
                {t("app.name")}
              </Text>
              <SoftBadge
                color={mode === "emergency" ? "red" : mode === "drill" ? "yellow" : "green"}
                data-testid="mode-badge"
                visibleFrom="sm"
              >
                {t(`mode.${mode}`)}
              </SoftBadge>
            </Group>
            <Group gap="xs" wrap="nowrap">
              {!isResident ? <SyncStatus /> : null}
              <LanguageSwitch all={isResident} onChange={onLocaleChange} />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" id="main-nav" aria-label={t("nav.label")}>
          <ScrollArea type="auto">
            <Stack gap="md">
              <ScopeSwitch />
              {scope && me.scopes.length < 2 ? (
                <Text size="sm" c="dimmed">
                  {scope.name}
                </Text>
              ) : null}
              <Stack gap={2}>
                {items.map((item) => (
                  <NavLink
                    key={item.key}
                    component={Link}
                    to={item.to}
                    label={t(`nav.${item.key}`)}
                    active={
                      item.to === "/"
                        ? location.pathname === "/"
                        : location.pathname.startsWith(item.to)
                    }
                    onClick={close}
                  />
                ))}
              </Stack>
            </Stack>
          </ScrollArea>
        </AppShell.Navbar>
        <AppShell.Main id="main">
          {!isResident ? <EmergencyBanner /> : null}
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </SessionContext>
  );
}
