import { useEffect, useState } from "react";
import { Button, Group, Popover, Stack, Text, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { AnchorLink } from "../../components/links.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { relativeTime, syncErrorText, toneOf, type SyncTone } from "./sync-format.ts";
import { connectSync, retrySync } from "./sync-runtime.ts";
import { useSyncState } from "./sync-store.ts";
import { targetKey, useSyncTarget } from "./use-sync-target.ts";
import { useSession } from "../shell/session.tsx";
import { canWorkNeeds } from "../needs/needs-access.ts";

/*
 * The shell's sync indicator: online/offline, what waits to be sent, the last sync, and
 * errors with "retry". Small on purpose (no Dexie): the engine loads after first paint.
 */

const TONE_COLOR: Record<SyncTone, string> = {
  offline: "#5c636a",
  syncing: "#174a84",
  failed: "#9b1c1c",
  attention: "#8a3a00",
  pending: "#6b4e00",
  synced: "#1d5a2a",
};

const CLOUD = "M7 18h10a4 4 0 0 0 .7-7.94A6 6 0 0 0 6.1 9.1 4.5 4.5 0 0 0 7 18z";
const SLASH = "M3 3l18 18";
const ARROWS = "M9 13l3-3 3 3M12 10v6";

function SyncIcon({ tone }: { tone: SyncTone }) {
  return (
    <svg
      width={20}
      height={20}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      style={{ flex: "none" }}
    >
      <path
        d={CLOUD}
        fill="none"
        stroke={TONE_COLOR[tone]}
        strokeWidth={2}
        strokeLinejoin="round"
      />
      {tone === "offline" ? (
        <path d={SLASH} stroke={TONE_COLOR[tone]} strokeWidth={2} strokeLinecap="round" />
      ) : null}
      {tone === "syncing" || tone === "pending" ? (
        <path
          d={ARROWS}
          fill="none"
          stroke={TONE_COLOR[tone]}
          strokeWidth={2}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      ) : null}
      {tone === "failed" || tone === "attention" ? (
        <path
          d="M12 10v3M12 15.5v.01"
          stroke={TONE_COLOR[tone]}
          strokeWidth={2.2}
          strokeLinecap="round"
        />
      ) : null}
    </svg>
  );
}

/** Re-renders every `ms` (the relative "last synced" text). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** Starts sync for the session and shows its state; for the shell header. */
export function SyncStatus() {
  const { t } = useTranslation();
  const target = useSyncTarget();
  const { roles } = useSession();
  // Volunteers sync their emergency calls only: their field work is the call list.
  const fieldWork = canWorkNeeds(roles);
  const key = targetKey(target);
  const s = useSyncState();
  const now = useNow(15_000);
  const [opened, setOpened] = useState(false);
  const locale = currentLocale();

  useEffect(() => {
    void connectSync(target);
    // The key names the target; the object is rebuilt on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const tone = toneOf(s);
  const stateText = t(`sync.status.${tone}`);
  const waiting = s.pending > 0 ? t("sync.status.waiting", { n: s.pending }) : "";
  const decide =
    s.conflicts + s.rejected > 0 ? t("sync.status.decide", { n: s.conflicts + s.rejected }) : "";
  // What a screen reader hears: the state and counts, never the ticking time.
  const announced = [stateText, waiting, decide].filter(Boolean).join(". ");

  // Sessions without field work see the indicator only while offline (or when storage fails).
  const shown = s.enabled || !s.online || s.lastError !== null;
  const badge = s.pending + s.conflicts + s.rejected;
  return (
    <>
      {/* One live region, always present, so changes are announced (not its first content). */}
      <span role="status" aria-live="polite" data-testid="sync-announce">
        <VisuallyHidden>{shown ? announced : ""}</VisuallyHidden>
      </span>
      {shown ? (
        <Popover
          opened={opened}
          onChange={setOpened}
          position="bottom-end"
          withinPortal
          width="min(320px, calc(100vw - 24px))"
          shadow="md"
          // A dialog: focus goes in (so Escape closes it) and back to the indicator after.
          trapFocus
          returnFocus
        >
          <Popover.Target>
            <UnstyledButton
              onClick={() => setOpened((o) => !o)}
              aria-expanded={opened}
              aria-haspopup="dialog"
              aria-label={`${t("sync.status.label")}: ${announced}`}
              data-testid="sync-status"
              data-tone={tone}
              style={{
                display: "inline-flex",
                alignItems: "center",
                gap: 4,
                minHeight: 36,
                minWidth: 36,
                padding: "0 6px",
                borderRadius: 8,
                color: TONE_COLOR[tone],
              }}
            >
              <SyncIcon tone={tone} />
              <Text span size="sm" fw={600} visibleFrom="sm" c={TONE_COLOR[tone]} aria-hidden>
                {stateText}
              </Text>
              {badge > 0 ? (
                <Text span size="xs" fw={700} c={TONE_COLOR[tone]} aria-hidden>
                  {badge}
                </Text>
              ) : null}
            </UnstyledButton>
          </Popover.Target>
          <Popover.Dropdown role="dialog" aria-label={t("sync.status.label")}>
            <Stack gap="xs">
              <Group gap="xs" wrap="nowrap">
                <SyncIcon tone={tone} />
                <Text fw={700}>{stateText}</Text>
              </Group>
              {!s.enabled ? (
                <Text size="sm">{t("sync.status.offlineOnly")}</Text>
              ) : (
                <>
                  <Text size="sm">{waiting || t("sync.status.nothingWaiting")}</Text>
                  <Text size="sm" c="dimmed">
                    {s.lastSyncAt === null
                      ? t("sync.time.never")
                      : t("sync.status.lastSync", {
                          // `now` ticks every 15 s: a sync since then is "just now", not "in 3 s".
                          when: relativeTime(t, Math.min(s.lastSyncAt, now), now, locale),
                        })}
                  </Text>
                </>
              )}
              {s.lastError ? (
                <Text size="sm" c="#9b1c1c" data-testid="sync-error">
                  {t("sync.status.error", { reason: syncErrorText(t, s.lastError.code) })}
                  {s.retryAt && s.retryAt > now
                    ? ` ${t("sync.status.nextTry", { when: relativeTime(t, s.retryAt, now, locale) })}`
                    : ""}
                </Text>
              ) : null}
              {s.enabled ? (
                <Group gap="xs" wrap="wrap">
                  <Button
                    size="compact-md"
                    variant="light"
                    onClick={retrySync}
                    disabled={!s.online || s.syncing}
                    loading={s.syncing}
                    data-testid="sync-retry"
                  >
                    {t("sync.status.retry")}
                  </Button>
                  {decide ? (
                    <AnchorLink to="/field/sync" size="sm" onClick={() => setOpened(false)}>
                      {t("sync.status.review")}
                    </AnchorLink>
                  ) : null}
                  {fieldWork ? (
                    <AnchorLink to="/field" size="sm" onClick={() => setOpened(false)}>
                      {t("sync.status.fieldWork")}
                    </AnchorLink>
                  ) : (
                    <AnchorLink to="/emergency/calls" size="sm" onClick={() => setOpened(false)}>
                      {t("emergency.calls.title")}
                    </AnchorLink>
                  )}
                </Group>
              ) : null}
              {decide ? <Text size="sm">{decide}</Text> : null}
            </Stack>
          </Popover.Dropdown>
        </Popover>
      ) : null}
    </>
  );
}
