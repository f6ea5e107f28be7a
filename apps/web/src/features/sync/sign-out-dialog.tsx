import { useState } from "react";
import { Button, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { AppModal } from "../../components/app-modal.tsx";
import { flushBeforeSignOut, wipeOnSignOut } from "./sync-runtime.ts";
import { unsentCount } from "./sync-store.ts";

/**
 * Sign-out with field work in mind: first sends what waits (a few seconds at most), asks
 * before deleting changes that could not be sent, then deletes the device's sync data
 * and runs `finish` (the server sign-out and navigation). Returns the menu's handler and
 * the dialog to render beside the menu.
 */
export function useSyncedSignOut(finish: () => Promise<void>) {
  const { t } = useTranslation();
  const [unsent, setUnsent] = useState(0);
  const [busy, setBusy] = useState(false);

  const proceed = async () => {
    setBusy(true);
    try {
      // The wipe goes on in the background if a sync still holds the database: signing
      // out must not wait on it (it finishes in this tab; the next sign-in purges too).
      await Promise.race([
        wipeOnSignOut().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
      setUnsent(0);
      await finish();
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    setBusy(true);
    let left = 0;
    try {
      // Never longer than a few seconds, whatever the engine is busy with.
      left = await Promise.race([
        flushBeforeSignOut(),
        new Promise<number>((resolve) => setTimeout(() => resolve(unsentCount()), 5000)),
      ]);
    } finally {
      setBusy(false);
    }
    if (left > 0) setUnsent(left);
    else await proceed();
  };

  const dialog = (
    <AppModal opened={unsent > 0} onClose={() => setUnsent(0)} title={t("sync.signOut.title")}>
      <Stack gap="md">
        <Text size="sm">{t("sync.signOut.unsent", { n: unsent })}</Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => setUnsent(0)} disabled={busy}>
            {t("sync.signOut.stay")}
          </Button>
          <Button
            color="red"
            onClick={() => void proceed()}
            loading={busy}
            data-testid="sign-out-anyway"
          >
            {t("sync.signOut.confirm")}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );

  return { start: () => void start(), busy, dialog };
}
