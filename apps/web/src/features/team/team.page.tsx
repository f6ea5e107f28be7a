import { useState } from "react";
import {
  Alert,
  Button,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { notify } from "../../lib/notify.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { Pager } from "../../components/pager.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ROLES, type StaffUser } from "@kaveret/contracts";
import { apiGet, apiPost } from "../../api/client.ts";
import { PageTitle } from "../../components/page-title.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { formatDate } from "../../lib/format.ts";
import { isManager } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { DepartmentNamesSection } from "./department-names.tsx";
import { DepartmentSettingsSection } from "./department-settings.tsx";
import { InviteModal } from "./invite-modal.tsx";
import { RolesModal } from "./roles-modal.tsx";
import { USERS_PAGE_SIZE, type Invitation, type UserPage } from "./team.api.ts";

export function TeamPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  if (!isManager(roles)) {
    return (
      <Stack>
        <PageTitle>{t("team.title")}</PageTitle>
        <Alert color="yellow">{t("errors.forbidden")}</Alert>
      </Stack>
    );
  }
  return <Team />;
}

function Team() {
  const { t } = useTranslation();
  const [inviting, setInviting] = useState(false);
  return (
    <Stack gap="lg">
      <PageTitle actions={<Button onClick={() => setInviting(true)}>{t("team.invite")}</Button>}>
        {t("team.title")}
      </PageTitle>
      <UsersSection />
      <InvitationsSection />
      <DepartmentNamesSection />
      <DepartmentSettingsSection />
      <InviteModal opened={inviting} onClose={() => setInviting(false)} />
    </Stack>
  );
}

function UsersSection() {
  const { t } = useTranslation();
  const { scope } = useSession();
  const queryClient = useQueryClient();
  const [q, setQ] = useState("");
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [role, setRole] = useState("");
  const [status, setStatus] = useState<"active" | "inactive" | "all">("active");
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<StaffUser | null>(null);
  const [toggling, setToggling] = useState<StaffUser | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const params = { q: debouncedQ, role, status, page, pageSize: USERS_PAGE_SIZE };
  const users = useQuery({
    queryKey: ["users", scope?.id, params],
    queryFn: ({ signal }) => apiGet<UserPage>("/api/users", params, signal),
    placeholderData: (prev) => prev,
  });
  const totalPages = users.data ? Math.max(1, Math.ceil(users.data.total / USERS_PAGE_SIZE)) : 1;

  const toggleActive = async () => {
    if (!toggling) return;
    setBusy(true);
    setError(null);
    try {
      await apiPost(
        `/api/users/${toggling.id}/${toggling.active ? "deactivate" : "reactivate"}`,
        {},
      );
      notify(
        t(toggling.active ? "team.deactivated" : "team.reactivated", {
          name: toggling.name,
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ["users"] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setToggling(null);
    }
  };

  return (
    <section aria-labelledby="users-title">
      <Title order={2} size="h3" id="users-title" mb="sm">
        {t("team.users")}
      </Title>
      <Paper withBorder p="sm" radius="md" mb="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            type="search"
            label={t("team.search")}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setPage(1);
            }}
          />
          <NativeSelect
            label={t("team.role")}
            value={role}
            data={[
              { value: "", label: t("team.anyRole") },
              ...ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) })),
            ]}
            onChange={(e) => {
              setRole(e.currentTarget.value);
              setPage(1);
            }}
          />
          <NativeSelect
            label={t("team.status")}
            value={status}
            data={[
              { value: "active", label: t("team.statusActive") },
              { value: "inactive", label: t("team.statusInactive") },
              { value: "all", label: t("team.statusAll") },
            ]}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setStatus(v === "inactive" || v === "all" ? v : "active");
              setPage(1);
            }}
          />
        </SimpleGrid>
      </Paper>
      {error ? (
        <Alert color="red" role="alert" mb="sm">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
      {users.isPending ? <PageLoader /> : null}
      {users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : null}
      {users.isSuccess ? (
        <Stack gap="xs">
          <Text size="sm" role="status" aria-live="polite">
            {t("team.count", { count: users.data.total })}
          </Text>
          {users.data.items.length === 0 ? (
            <EmptyState title={t("team.noUsers")} />
          ) : (
            <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {users.data.items.map((u) => (
                <Paper
                  key={u.id}
                  component="li"
                  withBorder
                  p="sm"
                  radius="md"
                  data-testid="user-row"
                >
                  <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
                    <Stack gap={4}>
                      <Text fw={700}>{u.name}</Text>
                      <Text size="sm" className="ltr-text">
                        {u.email}
                      </Text>
                      <Group gap={4}>
                        {u.roles.map((r) => (
                          <SoftBadge key={r}>{t(`roles.${r}`)}</SoftBadge>
                        ))}
                        {!u.active ? (
                          <SoftBadge color="gray">{t("team.statusInactive")}</SoftBadge>
                        ) : null}
                        {u.twoFactorEnabled ? (
                          <SoftBadge color="green">{t("team.twoFactorOn")}</SoftBadge>
                        ) : null}
                      </Group>
                    </Stack>
                    <Group gap="xs">
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`${t("team.editRoles")}: ${u.name}`}
                        onClick={() => setEditing(u)}
                      >
                        {t("team.editRoles")}
                      </Button>
                      <Button
                        size="xs"
                        variant="outline"
                        color={u.active ? "red" : "honey"}
                        aria-label={`${u.active ? t("team.deactivate") : t("team.reactivate")}: ${u.name}`}
                        onClick={() => setToggling(u)}
                      >
                        {u.active ? t("team.deactivate") : t("team.reactivate")}
                      </Button>
                    </Group>
                  </Group>
                </Paper>
              ))}
            </Stack>
          )}
          <Pager total={totalPages} value={page} onChange={setPage} />
        </Stack>
      ) : null}
      {editing ? <RolesModal user={editing} onClose={() => setEditing(null)} /> : null}
      <AppModal
        opened={toggling !== null}
        onClose={() => setToggling(null)}
        title={
          toggling
            ? t(toggling.active ? "team.deactivateTitle" : "team.reactivateTitle", {
                name: toggling.name,
              })
            : ""
        }
      >
        <Stack gap="md">
          <Text>{toggling?.active ? t("team.deactivateText") : t("team.reactivateText")}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setToggling(null)}>
              {t("app.cancel")}
            </Button>
            <Button
              color={toggling?.active ? "red" : "honey"}
              loading={busy}
              onClick={() => void toggleActive()}
            >
              {toggling?.active ? t("team.deactivate") : t("team.reactivate")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </section>
  );
}

function InvitationsSection() {
  const { t } = useTranslation();
  const { scope } = useSession();
  const queryClient = useQueryClient();
  const locale = currentLocale();
  const [error, setError] = useState<unknown>(null);
  const invitations = useQuery({
    queryKey: ["invitations", scope?.id],
    queryFn: ({ signal }) => apiGet<{ items: Invitation[] }>("/api/invitations", undefined, signal),
  });

  const revoke = async (inv: Invitation) => {
    setError(null);
    try {
      await apiPost(`/api/invitations/${inv.id}/revoke`, {});
      notify(t("team.revoked", { email: inv.email }));
      await queryClient.invalidateQueries({ queryKey: ["invitations"] });
    } catch (err) {
      setError(err);
    }
  };

  const pending = invitations.data?.items.filter((i) => i.status === "pending") ?? [];

  return (
    <section aria-labelledby="invitations-title">
      <Title order={2} size="h3" id="invitations-title" mb="sm">
        {t("team.invitations")}
      </Title>
      {error ? (
        <Alert color="red" role="alert" mb="sm">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
      {invitations.isPending ? <PageLoader /> : null}
      {invitations.isError ? (
        <ErrorState error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : null}
      {invitations.isSuccess && pending.length === 0 ? (
        <EmptyState title={t("team.noInvitations")} />
      ) : null}
      {pending.length > 0 ? (
        <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {pending.map((inv) => (
            <Paper
              key={inv.id}
              component="li"
              withBorder
              p="sm"
              radius="md"
              data-testid="invitation-row"
            >
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Stack gap={2}>
                  <Text fw={700}>{inv.name}</Text>
                  <Text size="sm" className="ltr-text">
                    {inv.email}
                  </Text>
                  <Group gap="xs">
                    <SoftBadge>{t(`roles.${inv.role}`)}</SoftBadge>
                    <Text size="sm" c="dimmed">
                      {t("team.expires", { date: formatDate(inv.expiresAt, locale) })}
                    </Text>
                  </Group>
                </Stack>
                <Button
                  size="xs"
                  variant="outline"
                  color="red"
                  aria-label={`${t("team.revoke")}: ${inv.email}`}
                  onClick={() => void revoke(inv)}
                >
                  {t("team.revoke")}
                </Button>
              </Group>
            </Paper>
          ))}
        </Stack>
      ) : null}
    </section>
  );
}
