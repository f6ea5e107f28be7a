/**
 * The needs screens and the public report page rendered to HTML (server-side React, no
 * browser needed) with contract-shaped data: they render, in the reader's language, and
 * show what the workflow allows. Written with createElement: the suite collects *.test.ts.
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
import type { Me, Need, NeedList, Role } from "@kaveret/contracts";
import { theme } from "../../app/theme.ts";
import { i18n } from "../../i18n/index.ts";
import { initTestI18n } from "../../test/i18n.ts";
import {
  EmbedReportPage,
  PublicReportPage,
  publicReportQueryClient,
} from "../public-report/public-report.page.tsx";
import { parseReportSearch } from "../public-report/report-search.ts";
import { SessionContext, type Session } from "../shell/session.tsx";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { NeedsQueuePage } from "./needs-queue.page.tsx";
import { NeedPage } from "./need.page.tsx";
import { NeedsSettingsPage } from "./needs-settings.page.tsx";
import { parseNeedsSearch } from "./needs-search.ts";
import { listParams } from "./needs-query.ts";
import {
  needAssigneesQuery,
  needCategoriesQuery,
  needIntakeQuery,
  needListQuery,
  needModelQuery,
  needQuery,
} from "./needs.api.ts";

const DEP = "032fbf3d-ff01-4396-b2d7-430499bc8a9e";
const NEED = "b4bbe636-f010-4d62-874c-c50bf64a0d31";
const OTHER = "42322558-9e29-42b6-ad05-a6e64d23ba9a";
const COMMUNITY = "53aff1cb-2d14-4a23-82b0-9505521fe788";
const WORKER = "04b5f642-c80c-4aa6-b2d1-e36fe2725c85";
const labels = (he: string, en: string) => ({ he, ar: "", en, ru: "", am: "" });

const item: NeedList["items"][number] = {
  id: NEED,
  reference: "#19",
  channel: "widget",
  status: "triaged",
  category: "food",
  urgency: "critical",
  description: "No food at home for a week, three small children",
  language: "en",
  community: { id: COMMUNITY, name: "Old Market" },
  assignee: { id: WORKER, name: "Samah" },
  hasResident: false,
  hasLocation: false,
  attachmentCount: 2,
  suggestedCategory: null,
  spam: false,
  createdAt: "2026-10-29T04:52:45.468Z",
  updatedAt: "2026-10-29T04:52:45.468Z",
  version: 3,
};
const list: NeedList = {
  items: [item],
  total: 1,
  page: 1,
  pageSize: 25,
  counts: { new: 2, open: 25, urgent: 4 },
};
const need: Need = {
  ...item,
  location: null,
  addressText: "Market square",
  resident: null,
  contact: { name: "Dana", phone: "+972520142542", email: null },
  mergedInto: null,
  suggestion: {
    category: "food",
    confidence: 0.8,
    drivers: ["food"],
    urgency: null,
    urgencyDrivers: [],
    source: "model",
  },
  attachments: [],
  events: [
    {
      id: "e1",
      kind: "created",
      at: "2026-10-29T04:52:45Z",
      actor: null,
      from: null,
      to: "widget",
      fromName: null,
      toName: null,
      text: null,
    },
    {
      id: "e2",
      kind: "status",
      at: "2026-10-29T05:52:45Z",
      actor: { id: "m", name: "Michal" },
      from: "new",
      to: "triaged",
      fromName: null,
      toName: null,
      text: null,
    },
    {
      id: "e3",
      kind: "assigned",
      at: "2026-10-29T05:52:46Z",
      actor: { id: "m", name: "Michal" },
      from: null,
      to: WORKER,
      fromName: null,
      toName: "Samah",
      text: null,
    },
  ],
  similar: [
    {
      id: OTHER,
      reference: "#54",
      description: "We ran out of food",
      status: "new",
      score: 0.62,
      distanceMeters: 140,
    },
  ],
  permissions: { edit: true, assign: true, merge: true },
};
const categories = {
  items: [
    {
      code: "food",
      labels: labels("מזון", "Food"),
      active: true,
      builtIn: true,
      sortOrder: 10,
      openCount: 5,
    },
    {
      code: "housing",
      labels: labels("דיור", "Housing"),
      active: true,
      builtIn: true,
      sortOrder: 20,
      openCount: 1,
    },
  ],
};
const me: Me = {
  user: {
    id: WORKER,
    name: "Samah",
    email: "w@x.test",
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
  publicReportQueryClient.setQueryData(["public", "need-categories", DEP], {
    department: { id: DEP, name: "Ein Hadar social services" },
    categories: categories.items.map((c) => ({ code: c.code, labels: c.labels })),
    embedOrigins: [],
  });
});

async function render(path: string, lng: "he" | "en", roles: Role[] = ["community_worker"]) {
  await i18n.changeLanguage(lng);
  const qc = new QueryClient({
    defaultOptions: { queries: { staleTime: Infinity, retry: false } },
  });
  qc.setQueryData(needListQuery(listParams({})).queryKey, list);
  qc.setQueryData(needQuery(NEED).queryKey, need);
  qc.setQueryData(needCategoriesQuery.queryKey, categories);
  qc.setQueryData(needAssigneesQuery.queryKey, {
    items: [{ id: WORKER, name: "Samah", roles: ["community_worker"] }],
  });
  qc.setQueryData(needModelQuery.queryKey, {
    trainedAt: null,
    examples: 12,
    perLanguage: { he: { examples: 10, accuracy: 0.7 }, am: { examples: 2, accuracy: null } },
    accuracy: 0.65,
    llmConfigured: false,
  });
  qc.setQueryData(needIntakeQuery.queryKey, {
    publicIntake: true,
    widgetOrigins: ["https://www.city.gov.il"],
    publicUrl: `http://localhost/report/${DEP}`,
    widgetSnippet: `<script src="http://localhost/widget/needs.js" data-department="${DEP}"></script>`,
    smsNumber: "+97235550123",
    whatsappPhoneNumberId: null,
    smsWebhookUrl: "http://localhost/api/channels/sms",
    whatsappWebhookUrl: "http://localhost/api/channels/whatsapp",
  });
  qc.setQueryData(parentOptionsQuery.queryKey, { items: [], total: 0, page: 1, pageSize: 100 });
  const session: Session = { me, scope: null, roles, isResident: false, setScope: () => {} };
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
        path: "/needs",
        validateSearch: parseNeedsSearch,
        component: page(NeedsQueuePage),
      }),
      createRoute({
        getParentRoute: () => app,
        path: "/needs/settings",
        component: page(NeedsSettingsPage),
      }),
      createRoute({ getParentRoute: () => app, path: "/needs/$id", component: page(NeedPage) }),
    ]),
    createRoute({
      getParentRoute: () => root,
      path: "/report/$departmentId",
      validateSearch: parseReportSearch,
      component: page(PublicReportPage),
    }),
    createRoute({
      getParentRoute: () => root,
      path: "/embed/report/$departmentId",
      validateSearch: parseReportSearch,
      component: page(EmbedReportPage),
    }),
  ]);
  const router = createRouter({
    routeTree: tree,
    history: createMemoryHistory({ initialEntries: [path] }),
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
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe("needs queue", () => {
  it("shows each need's urgency as icon and words, its reference as a link, and the counts", async () => {
    const html = await render("/needs", "en");
    expect(html).toContain('data-urgency="critical"');
    expect(text(html)).toContain("Critical");
    expect(html).toMatch(new RegExp(`href="/needs/${NEED}"[^>]*>#19<`));
    expect(text(html)).toMatch(/Urgent\s*:\s*4/);
    expect(html).toContain('aria-label="Choose need #19"');
  });

  it("reads in Hebrew", async () => {
    const t = text(await render("/needs", "he"));
    expect(t).toContain("קריטית");
    expect(t).toContain("פתוחים");
    expect(t).not.toMatch(/needs\.\w/);
  });
});

describe("need page", () => {
  it("offers only the moves the workflow allows from the current status", async () => {
    const html = await render(`/needs/${NEED}`, "en");
    for (const to of ["in_progress", "resolved", "referred", "closed"])
      expect(html).toContain(`data-testid="move-${to}"`);
    expect(html).not.toContain('data-testid="move-new"');
    expect(html).not.toContain('data-testid="move-triaged"');
  });

  it("shows the history in words, with people by name", async () => {
    const t = text(await render(`/needs/${NEED}`, "en"));
    expect(t).toContain("Status: New → Triaged");
    expect(t).toContain("Assigned to \u2068Samah\u2069");
    expect(t).toContain("Received (Municipal site widget)");
  });

  it("shows the possible duplicate with a merge action, and the reporter's contact", async () => {
    const html = await render(`/needs/${NEED}`, "en");
    expect(html).toContain('data-testid="merge-open"');
    expect(text(html)).toContain("62% similar");
    expect(html).toContain('href="tel:+972520142542"');
  });

  it("offers the model's category only when it differs from the one set", async () => {
    const html = await render(`/needs/${NEED}`, "en");
    expect(html).not.toContain("Use this category");
  });
});

describe("needs settings", () => {
  it("shows categories, the per-language accuracy and the widget snippet to managers", async () => {
    const html = await render("/needs/settings", "en", ["manager"]);
    const t = text(html);
    // A table on wide screens, cards on phones: a row per category either way.
    expect(html).toContain('data-testid="category-row"');
    expect(t).toContain("Open needs");
    expect(t).toContain("Too few examples");
    expect(t).toContain("70%");
    expect(html).toContain("widget/needs.js");
    expect(html).toContain('value="+97235550123"');
    expect(html).toContain("/api/channels/whatsapp");
  });

  it("refuses others", async () => {
    const html = await render("/needs/settings", "en", ["community_worker"]);
    expect(html).not.toContain('data-testid="categories-table"');
    expect(html).not.toContain('data-testid="category-row"');
  });
});

describe("public report page", () => {
  it("has the categories as choices, a language switcher and a hidden honeypot", async () => {
    const html = await render(`/report/${DEP}`, "he");
    expect(html).toContain('data-testid="report-category-food"');
    expect(html).toContain('data-testid="report-category-other"');
    for (const l of ["he", "ar", "en", "ru", "am"])
      expect(html).toContain(`data-testid="report-lang-${l}"`);
    expect(html).toMatch(/aria-pressed="true"[^>]*lang="he"|lang="he"[^>]*aria-pressed="true"/);
    const honeypot =
      /<div class="kv-honeypot" aria-hidden="true">[\s\S]*?<input([^>]*)>/.exec(html)?.[1] ?? "";
    expect(honeypot).toContain('name="website"');
    expect(honeypot).toContain('tabindex="-1"');
    // HTML attribute names are case-insensitive (React writes autoComplete as is).
    expect(honeypot.toLowerCase()).toContain('autocomplete="off"');
    expect(text(html)).toContain("Ein Hadar social services");
    expect(html).toContain("<header");
  });

  it("embeds without the page's header and footer", async () => {
    const html = await render(`/embed/report/${DEP}`, "en");
    expect(html).toContain('data-testid="report-submit"');
    expect(html).not.toContain("<header");
    expect(html).not.toContain("<footer");
  });
});
