import { Avatar, Menu, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { apiPost } from "../../api/client.ts";
import { useSession } from "./session.tsx";
import { useSyncedSignOut } from "../sync/sign-out-dialog.tsx";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return parts
    .slice(0, 2)
    .map((p) => p[0] ?? "")
    .join("")
    .toUpperCase();
}

export function UserMenu() {
  const { t } = useTranslation();
  const { me, isResident } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const finishSignOut = async () => {
    try {
      await apiPost("/api/auth/sign-out", {});
    } catch {
      // Signing out locally is what matters; the cookie may already be gone.
    }
    // Leave the signed-in pages first, then forget their data: clearing first would make
    // the layout still on screen refetch "who am I" and start a navigation of its own.
    await navigate({ to: isResident ? "/resident/signin" : "/signin", replace: true });
    queryClient.clear();
  };
  // Unsent field work is flushed (or its loss confirmed) and the device wiped first.
  const synced = useSyncedSignOut(finishSignOut);

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <UnstyledButton data-testid="user-menu">
            <Avatar color="honey" radius="xl" size={34} aria-hidden>
              {initials(me.user.name)}
            </Avatar>
            <VisuallyHidden>{t("user.menu", { name: me.user.name })}</VisuallyHidden>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{me.user.name}</Menu.Label>
          {!isResident ? (
            <Menu.Item onClick={() => void navigate({ to: "/security/two-factor" })}>
              {t("user.security")}
            </Menu.Item>
          ) : null}
          <Menu.Item color="red" onClick={synced.start}>
            {t("user.signOut")}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {synced.dialog}
    </>
  );
}
