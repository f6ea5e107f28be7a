/**
 * The shell's sync indicator rendered to HTML (server-side React, no browser): it is a
 * polite live region, says offline and what waits in the reader's language (ru and am
 * too), and stays out of the way for sessions without field work. Written with
 * createElement: the suite collects *.test.ts.
 */
import { createElement as h } from "react";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { MantineProvider } from "@mantine/core";
import { I18nextProvider } from "react-i18next";
import type { Me, Role } from "@kaveret/contracts";
import { theme } from "../../app/theme.ts";
import { i18n } from "../../i18n/index.ts";
import { initTestI18n } from "../../test/i18n.ts";
import { SessionContext, type Session } from "../shell/session.tsx";
import { SyncStatus } from "./sync-status.tsx";
import { INITIAL_SYNC_STATE, syncStore, type SyncState } from "./sync-store.ts";

const DEP = "d0000000-0000-4000-8000-000000000001";
const me: Me = {
  user: {
    id: "u1",
    name: "Samah",
    email: "samah@example.org",
    kind: "staff",
    locale: "he",
    twoFactorEnabled: false,
  },
  scopes: [],
  activeScopeId: "dep",
  twoFactorRequired: false,
};

beforeAll(async () => {
  await initTestI18n({
    languages: ["he", "en", "ru", "am"],
    lng: "he",
    fallbackLng: { ru: ["en", "he"], am: ["en", "he"], default: ["he"] },
  });
});

beforeEach(() => syncStore.set(INITIAL_SYNC_STATE));

async function render(
  state: Partial<SyncState>,
  lng: string,
  roles: Role[] = ["community_worker"],
) {
  await i18n.changeLanguage(lng);
  syncStore.set({ ...INITIAL_SYNC_STATE, ...state });
  const session: Session = {
    me,
    scope: {
      id: "dep",
      kind: "department",
      departmentId: DEP,
      districtId: null,
      name: "מחלקה",
      roles,
    },
    roles,
    isResident: false,
    setScope: () => {},
  };
  return renderToString(
    h(
      I18nextProvider,
      { i18n },
      h(MantineProvider, { theme }, h(SessionContext, { value: session }, h(SyncStatus))),
    ),
  );
}

describe("sync indicator", () => {
  it("is a polite live region saying offline and what waits", async () => {
    const html = await render({ enabled: true, online: false, pending: 3 }, "he");
    expect(html).toContain('role="status"');
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain('data-tone="offline"');
    expect(html).toContain("לא מקוון");
    expect(html).toContain("ממתינים לשליחה: 3");
  });

  it("points at decisions waiting and at errors", async () => {
    const html = await render(
      {
        enabled: true,
        online: true,
        conflicts: 1,
        rejected: 1,
        lastError: { code: "network_error", at: 1 },
      },
      "en",
    );
    expect(html).toContain('data-tone="failed"');
    expect(html).toContain("Changes waiting for a decision: 2");
  });

  it("speaks Russian and Amharic", async () => {
    expect(await render({ enabled: true, online: false }, "ru")).toContain("Нет сети");
    expect(await render({ enabled: true, online: true }, "am")).toContain("ተመሳስሏል");
  });

  it("shows nothing but an empty live region when there is nothing to sync and the line is up", async () => {
    const html = await render({ enabled: false, online: true }, "he", ["volunteer"]);
    expect(html).toContain('role="status"');
    expect(html).not.toContain('data-testid="sync-status"');
    const offline = await render({ enabled: false, online: false }, "he", ["volunteer"]);
    expect(offline).toContain('data-tone="offline"');
  });
});
