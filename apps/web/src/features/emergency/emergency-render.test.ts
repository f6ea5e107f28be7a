/**
 * The emergency screens rendered to HTML (server-side React, no browser) with
 * contract-shaped data: the banner on every screen (emergency and drill told apart, the
 * links a role may open), a caller's card, and the situation board in the reader's
 * language with what the role may do. Written with createElement: the suite collects *.test.ts.
 */
import { createElement as h, type ComponentType, type ReactNode } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import { renderToString } from "react-dom/server";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  Outlet,
  RouterProvider,
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
} from "@tanstack/react-router";
import { I18nextProvider } from "react-i18next";
import type { EmergencyBoard, EmergencyModeResponse, Me, Role } from "@kaveret/contracts";
import { theme } from "../../app/theme.ts";
import { i18n } from "../../i18n/index.ts";
import { initTestI18n } from "../../test/i18n.ts";
import { SessionContext, type Session } from "../shell/session.tsx";
import { CallCard } from "./call-card.tsx";
import type { ListedCall } from "./call-list.ts";
import { EmergencyBannerView } from "./emergency-banner.tsx";
import { EmergencyPage } from "./emergency.page.tsx";
import { boardQuery, logQuery, modeQuery } from "./emergency.api.ts";

const E = "5a3f6c1e-8a53-4c1e-9a61-0d2b6f1c2a10";
const HOOD = "53aff1cb-2d14-4a23-82b0-9505521fe788";
const CALL = "b4bbe636-f010-4d62-874c-c50bf64a0d31";

const allow = (p: Partial<EmergencyModeResponse["permissions"]>) => ({
  declare: false,
  manage: false,
  board: false,
  call: false,
  offerHelp: false,
  ...p,
});

const modeOf = (drill: boolean, permissions: EmergencyModeResponse["permissions"]) =>
  ({
    mode: drill ? "drill" : "emergency",
    emergency: {
      id: E,
      type: "rocket_fire",
      level: 3,
      title: "Northern front",
      drill,
      startedAt: "2026-11-25T08:00:00.000Z",
      communities: [{ id: HOOD, name: "Neve Shalom" }],
    },
    permissions,
  }) satisfies EmergencyModeResponse;

const counts = {
  calls: 116,
  pending: 100,
  retry: 3,
  escalated: 1,
  reachedOk: 9,
  reachedNeedsHelp: 2,
  notReached: 5,
  selfReported: 1,
  helpOpen: 2,
  helpClaimed: 1,
  helpCompleted: 0,
};

const board: EmergencyBoard = {
  emergency: {
    id: E,
    type: "rocket_fire",
    level: 3,
    title: "Northern front",
    drill: false,
    status: "active",
    note: "",
    communities: [{ id: HOOD, name: "Neve Shalom" }],
    startedAt: "2026-11-25T08:00:00.000Z",
    closedAt: null,
    declaredBy: { id: "m1", name: "Michal" },
    closedBy: null,
    counts,
    version: 2,
  },
  counts,
  byCommunity: [
    {
      community: { id: HOOD, name: "Neve Shalom" },
      calls: 116,
      reachedOk: 9,
      reachedNeedsHelp: 2,
      notReached: 5,
      pending: 100,
    },
  ],
  helpOpenByCategory: [{ category: "medicine", open: 2, claimed: 1 }],
  shelters: [
    {
      id: "15398bc1-c801-49b4-a672-a81e4318ca37",
      name: "Public shelter 15",
      type: "shelter",
      community: { id: HOOD, name: "Neve Shalom" },
      address: "Jerusalem St 80",
      location: null,
      capacity: 40,
      occupancy: 38,
      phone: null,
      version: 1,
      updatedAt: "2026-11-25T08:00:00.000Z",
    },
  ],
  callers: [{ user: { id: "v1", name: "Elena" }, assigned: 22, done: 3, due: 19 }],
  points: [
    { kind: "call", id: CALL, lat: 32.7, lon: 35.2, status: "reached_needs_help", label: null },
  ],
  pointsTruncated: false,
  generatedAt: "2026-11-25T09:00:00.000Z",
};

const me: Me = {
  user: {
    id: "u1",
    name: "Michal",
    email: "m@x.test",
    kind: "staff",
    locale: "en",
    twoFactorEnabled: false,
  },
  scopes: [],
  activeScopeId: null,
  twoFactorRequired: false,
};

beforeAll(async () => {
  await initTestI18n({ languages: ["he", "en"], lng: "en", fallbackLng: "he" });
});

async function render(
  node: () => ReactNode,
  lng: "he" | "en",
  o: { roles?: Role[]; mode?: EmergencyModeResponse | null; path?: string } = {},
) {
  await i18n.changeLanguage(lng);
  const qc = new QueryClient({
    defaultOptions: { queries: { staleTime: Infinity, retry: false } },
  });
  qc.setQueryData(modeQuery.queryKey, o.mode ?? null);
  qc.setQueryData(boardQuery(E).queryKey, board);
  qc.setQueryData(logQuery(E).queryKey, {
    items: [
      {
        id: CALL,
        kind: "decision",
        text: "Open shelter 15 all night",
        author: { id: "m1", name: "Michal" },
        system: false,
        code: null,
        params: null,
        at: "2026-11-25T08:30:00.000Z",
      },
      {
        id: "00000000-0000-4000-8000-0000000000f1",
        kind: "decision",
        text: "emergency declared: Rockets (level 3); 12 to call",
        author: null,
        system: true,
        code: "declared",
        params: { title: "ירי רקטות", level: 3, calls: 12 },
        at: "2026-11-25T08:00:00.000Z",
      },
    ],
  });
  const session: Session = {
    me,
    scope: null,
    roles: o.roles ?? ["manager"],
    isResident: false,
    setScope: () => {},
  };
  const page = (c: ComponentType) => () => h(c);
  const root = createRootRoute({ component: Outlet });
  const app = createRoute({
    getParentRoute: () => root,
    id: "app",
    component: () => h(SessionContext, { value: session }, h(Outlet)),
  });
  const tree = root.addChildren([
    app.addChildren([
      createRoute({
        getParentRoute: () => app,
        path: "/",
        component: () => h("div", null, node()),
      }),
      createRoute({
        getParentRoute: () => app,
        path: "/emergency",
        component: page(EmergencyPage),
      }),
    ]),
  ]);
  const router = createRouter({
    routeTree: tree,
    history: createMemoryHistory({ initialEntries: [o.path ?? "/"] }),
  });
  await router.load();
  const wrap = (child: ReactNode) =>
    h(
      I18nextProvider,
      { i18n },
      h(MantineProvider, { theme }, h(QueryClientProvider, { client: qc }, child)),
    );
  return renderToString(wrap(h(RouterProvider, { router })));
}

const text = (html: string) =>
  html
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe("the emergency banner", () => {
  it("is not there in routine", async () => {
    const html = await render(() => h(EmergencyBannerView, { mode: null }), "en");
    expect(html).not.toContain('data-testid="emergency-banner"');
    const routine = await render(
      () =>
        h(EmergencyBannerView, {
          mode: { mode: "routine", emergency: null, permissions: allow({ board: true }) },
        }),
      "en",
    );
    expect(routine).not.toContain('data-testid="emergency-banner"');
  });

  it("names an emergency, its level and communities, with the board for a manager", async () => {
    const html = await render(
      () => h(EmergencyBannerView, { mode: modeOf(false, allow({ board: true, call: true })) }),
      "en",
    );
    expect(html).toContain('data-mode="emergency"');
    expect(html).toContain('role="status"');
    const t = text(html);
    expect(t).toContain("Emergency · Rocket fire · level 3");
    expect(t).toContain("Northern front — Neve Shalom");
    expect(t).toContain("Situation board");
    expect(t).toContain("My calls");
    expect(t).not.toContain("drill");
  });

  it("tells a drill apart, in Hebrew, and gives a volunteer their calls, not the board", async () => {
    const html = await render(
      () => h(EmergencyBannerView, { mode: modeOf(true, allow({ call: true, offerHelp: true })) }),
      "he",
    );
    expect(html).toContain('data-mode="drill"');
    const t = text(html);
    expect(t).toContain("תרגיל · ירי רקטות · רמה 3");
    expect(t).toContain("זה תרגיל — לא אירוע אמת");
    expect(t).toContain("השיחות שלי");
    expect(t).toContain("בקשות עזרה");
    expect(t).not.toContain("לוח המצב");
  });
});

const listed = (over: Partial<ListedCall> = {}): ListedCall => ({
  id: CALL,
  emergencyId: E,
  drill: false,
  rank: 3,
  riskScore: 95,
  riskReasons: null,
  resident: {
    id: "2cc7e932-0a9a-4a16-b835-e39ab20187a7",
    name: "Polina Lebedeva",
    phone: "+972528376688",
    languages: ["ru"],
    address: "HaAliya St 47/12",
    streetId: null,
    houseNumber: "47",
    community: { id: HOOD, name: "Neve Shalom" },
    location: null,
  },
  consented: true,
  assignee: { id: "v1", name: "Elena" },
  status: "pending",
  outcome: null,
  lastSource: null,
  attempts: 0,
  nextAttemptAt: null,
  escalatedTo: null,
  helpRequestId: null,
  history: [],
  updatedAt: "2026-11-25T09:00:00.000Z",
  version: 2,
  pending: 0,
  problem: null,
  ...over,
});

describe("a caller's card", () => {
  it("dials, says the language and address; a volunteer sees no risk reasons", async () => {
    const html = await render(() => h(CallCard, { call: listed(), onOutcome: () => {} }), "en");
    expect(html).toContain('href="tel:+972528376688"');
    const t = text(html);
    expect(t).toContain("052-837-6688");
    expect(t).toContain("Polina Lebedeva");
    expect(t).toContain("Language: Russian");
    expect(t).toContain("HaAliya St 47/12 · Neve Shalom");
    expect(t).toContain("Record outcome");
    expect(t).not.toContain("Reasons:");
    expect(t).not.toContain("Read the link out");
  });

  it("shows staff why the resident is on the list, and what waits to be sent", async () => {
    const html = await render(
      () =>
        h(CallCard, {
          call: listed({
            riskReasons: ["lives_alone", "age_85_plus"],
            status: "retry",
            attempts: 1,
            nextAttemptAt: "2026-11-25T10:30:00.000Z",
            pending: 1,
            resident: { ...listed().resident, phone: null },
          }),
          onOutcome: () => {},
          onStatusLink: () => {},
        }),
      "he",
    );
    const t = text(html);
    expect(t).toContain("גר/ה לבד");
    expect(t).toContain("בן/בת 85+");
    expect(t).toContain("ניסיונות: 1 מתוך 3");
    expect(t).toContain("12:30");
    expect(t).toContain("אין מספר טלפון");
    expect(t).toContain("נשמר במכשיר, ממתין לשליחה");
    expect(t).toContain("הקראת הקישור");
    expect(html).not.toContain("tel:");
  });
});

describe("the situation board", () => {
  it("sums up calls, communities, help, shelters, callers and the log; a manager may close", async () => {
    const html = await render(() => null, "en", {
      path: "/emergency",
      mode: modeOf(false, allow({ declare: true, manage: true, board: true, call: true })),
    });
    const t = text(html);
    expect(html).toMatch(/data-testid="count-reachedOk"[\s\S]*?>9</);
    expect(html).toMatch(/data-testid="count-pending"[\s\S]*?>100</);
    expect(t).toContain(
      "116 on the list · 11 reached · 1 answered themselves · 1 sent for a home check",
    );
    expect(t).toContain("Neve Shalom");
    expect(t).toContain("Medicine");
    expect(t).toContain("Public shelter 15");
    expect(t).toContain("38 / 40");
    expect(t).toContain("Elena");
    expect(t).toContain("Open shelter 15 all night");
    // A system entry in the reader's language, not the stored English.
    expect(t).toContain("Emergency declared: ירי רקטות (level 3); 12 to call");
    expect(t).not.toContain("emergency declared: Rockets");
    expect(t).toContain("Back to routine");
    expect(t).toContain("Assign calls");
  });

  it("lets a community worker watch and log, not close", async () => {
    const html = await render(() => null, "he", {
      path: "/emergency",
      roles: ["community_worker"],
      mode: modeOf(false, allow({ board: true, call: true, offerHelp: true })),
    });
    const t = text(html);
    expect(t).toContain("רשימת החיוג");
    expect(t).toContain("יומן משמרת");
    expect(t).toContain("הוספה ליומן");
    expect(t).toContain("הוכרז מצב חירום: ירי רקטות (רמה 3); 12 ברשימת החיוג");
    expect(t).not.toContain("חזרה לשגרה");
    expect(t).not.toContain("חלוקת שיחות");
  });

  it("sends a volunteer to their calls, help requests and offer", async () => {
    const html = await render(() => null, "en", {
      path: "/emergency",
      roles: ["volunteer"],
      mode: modeOf(false, allow({ call: true, offerHelp: true })),
    });
    const t = text(html);
    expect(t).toContain("Open my calls");
    expect(t).toContain("Open my offer");
    expect(t).not.toContain("Call list");
  });
});
