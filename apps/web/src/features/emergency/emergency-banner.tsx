import { useCallback } from "react";
import { Anchor, Box, Group, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { EmergencyModeResponse } from "@kaveret/contracts";
import { retrySync } from "../sync/sync-runtime.ts";
import { modeQuery } from "./emergency.api.ts";
import { emergencyLinks, modeLine } from "./emergency-labels.ts";
import { useEmergencyLive } from "./emergency-live.ts";

/*
 * Emergency mode on every screen: a strip above each page while an emergency or a drill is
 * open — red for an emergency, yellow and dashed, marked "drill", for a drill — with the
 * links the reader's roles open. Fed by GET /api/emergency/mode and kept current by the
 * live line (emergency-live.ts), which this shell part opens for the whole tab.
 */

/** The department's mode (null: routine, or a user without a department role). */
export function useEmergencyMode() {
  return useQuery(modeQuery);
}

const STYLES = {
  emergency: { background: "#9b1c1c", color: "#ffffff", border: "2px solid #7a1212" },
  drill: {
    background: "repeating-linear-gradient(135deg, #fff3bf 0 14px, #ffe8a1 14px 28px)",
    color: "#3d2c00",
    border: "2px dashed #6b4e00",
  },
} as const;

/** The banner itself, from the mode (renders nothing in routine). */
export function EmergencyBannerView({ mode }: { mode: EmergencyModeResponse | null | undefined }) {
  const { t } = useTranslation();
  const e = mode?.emergency;
  if (!mode || !e) return null;
  const links = emergencyLinks(mode);
  const style = e.drill ? STYLES.drill : STYLES.emergency;
  const linkColor = e.drill ? "#3d2c00" : "#ffffff";
  const communities = e.communities.map((c) => c.name).join(", ");
  return (
    <Box
      role="status"
      data-testid="emergency-banner"
      data-mode={mode.mode}
      mb="md"
      px="sm"
      py={8}
      style={{ ...style, borderRadius: 8 }}
    >
      <Group gap="xs" wrap="wrap" justify="space-between" align="center">
        <Box style={{ minWidth: 0, flex: "1 1 200px" }}>
          <Text fw={800} size="md" c={style.color} data-testid="emergency-banner-mode">
            {modeLine(t, e)}
          </Text>
          {e.drill ? (
            <Text size="sm" fw={700} c={style.color}>
              {t("emergency.banner.drillMark")}
            </Text>
          ) : null}
          <Text size="sm" c={style.color} dir="auto" style={{ overflowWrap: "anywhere" }}>
            {e.title}
            {communities ? ` — ${communities}` : ""}
          </Text>
        </Box>
        <Group gap="sm" wrap="wrap">
          {links.board ? (
            <Anchor
              component={Link}
              to="/emergency"
              c={linkColor}
              fw={700}
              size="sm"
              underline="always"
            >
              {t("emergency.banner.board")}
            </Anchor>
          ) : null}
          {links.calls ? (
            <Anchor
              component={Link}
              to="/emergency/calls"
              c={linkColor}
              fw={700}
              size="sm"
              underline="always"
            >
              {t("emergency.banner.calls")}
            </Anchor>
          ) : null}
          {links.help ? (
            <Anchor
              component={Link}
              to="/emergency/help"
              c={linkColor}
              fw={700}
              size="sm"
              underline="always"
            >
              {t("emergency.banner.help")}
            </Anchor>
          ) : null}
        </Group>
      </Group>
    </Box>
  );
}

/** For the app shell: reads the mode, keeps the live line open, shows the banner. */
export function EmergencyBanner() {
  const mode = useEmergencyMode();
  const callsChanged = useCallback(() => retrySync(), []);
  useEmergencyLive({ enabled: mode.isSuccess && mode.data !== null, onCalls: callsChanged });
  return <EmergencyBannerView mode={mode.data} />;
}
