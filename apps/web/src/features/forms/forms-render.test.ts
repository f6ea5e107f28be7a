/**
 * The forms screens and the public survey page rendered to HTML (server-side React, no
 * browser) with contract-shaped data: they render in the reader's language and show
 * what the form's state allows. Written with createElement: the suite collects *.test.ts.
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
import type { Form, FormAnalysis, Me, Role } from "@kaveret/contracts";
import { FORM_SCHEMA_VERSION, checkForm, type FormDefinition } from "@kaveret/forms";
import { theme } from "../../app/theme.ts";
import { i18n } from "../../i18n/index.ts";
import { initTestI18n } from "../../test/i18n.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { needCategoriesQuery } from "../needs/needs.api.ts";
import {
  PublicSurveyPage,
  publicFormQueryKey,
  publicSurveyQueryClient,
} from "../public-survey/public-survey.page.tsx";
import { parseSurveySearch } from "../public-survey/survey-search.ts";
import { SessionContext, type Session } from "../shell/session.tsx";
import { FormEntryPage } from "./form-entry.page.tsx";
import { FormPage } from "./form.page.tsx";
import { FormsListPage } from "./forms-list.page.tsx";
import { parseFormSearch, parseFormsSearch } from "./forms-search.ts";
import { analysisQuery, formListQuery, formQuery, responsesQuery } from "./forms.api.ts";

const OPEN = "5eb2f0c8-c4ac-4f32-ab4a-2c1252337915";
const DRAFT = "40486240-eff9-41b1-89ad-cbd34809a509";
const DEP = "032fbf3d-ff01-4396-b2d7-430499bc8a9e";
const RESPONSE = "b4bbe636-f010-4d62-874c-c50bf64a0d31";
const NEED = "42322558-9e29-42b6-ad05-a6e64d23ba9a";
const PHOTO = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5";
const CHILD_PHOTO = "1c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5";
const TOY_PHOTOS = ["2c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5", "3c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"];

const definition: FormDefinition = {
  schemaVersion: FORM_SCHEMA_VERSION,
  settings: { title: "Needs", id: "needs", defaultLanguage: "he", languages: ["he", "en"] },
  questions: [
    { type: "text", name: "street", required: true, label: { he: "רחוב", en: "Street" } },
    {
      type: "select_one",
      name: "alone",
      choiceList: "yes_no",
      label: { he: "גר לבד?", en: "Lives alone?" },
    },
    {
      type: "repeat",
      name: "children",
      label: { he: "ילד", en: "Child" },
      children: [
        { type: "integer", name: "age", label: { he: "גיל", en: "Age" } },
        { type: "image", name: "child_photo", label: { he: "תמונת הילד", en: "Child's photo" } },
        {
          type: "group",
          name: "room",
          label: { he: "חדר", en: "Room" },
          children: [
            {
              type: "repeat",
              name: "toys",
              label: { he: "צעצוע", en: "Toy" },
              children: [
                { type: "image", name: "toy_photo", label: { he: "תמונת צעצוע", en: "Toy photo" } },
              ],
            },
          ],
        },
      ],
    },
    { type: "geopoint", name: "home", label: { he: "בית", en: "Home" } },
    { type: "image", name: "photo", label: { he: "תמונה", en: "Photo" } },
    {
      type: "calculate",
      name: "score",
      calculation: "count(${children}) * 2",
      label: { he: "ציון", en: "Score" },
    },
  ],
  choiceLists: [
    {
      name: "yes_no",
      choices: [
        { name: "yes", label: { he: "כן", en: "Yes" } },
        { name: "no", label: { he: "לא", en: "No" } },
      ],
    },
  ],
};
const broken: FormDefinition = {
  ...definition,
  questions: [
    ...definition.questions,
    { type: "text", name: "later", relevant: "${missing} = 1", label: { en: "Later" } },
    { type: "integer", name: "loop", calculation: "${loop} + 1", label: { en: "Loop" } },
  ],
};

function formOf(def: FormDefinition, patch: Partial<Form>): Form {
  return {
    id: OPEN,
    title: "סקר צרכים",
    status: "open",
    anonymous: true,
    languages: def.settings.languages,
    defaultLanguage: "he",
    questionCount: 5,
    responseCount: 2,
    community: null,
    publicUrl: `http://localhost/s/${OPEN}`,
    version: 3,
    updatedAt: "2026-11-25T10:00:00Z",
    createdAt: "2026-11-20T10:00:00Z",
    definition: def as unknown as Record<string, unknown>,
    problems: checkForm(def).map((p) => ({
      level: p.level,
      code: p.code,
      message: p.message,
      params: p.params,
      ...(p.name ? { name: p.name } : {}),
    })),
    permissions: { edit: true, readResponses: true },
    ...patch,
  };
}
const open = formOf(definition, {});
const draft = formOf(broken, {
  id: DRAFT,
  title: "Draft",
  status: "draft",
  responseCount: 0,
  publicUrl: null,
  version: 1,
});

const analysis: FormAnalysis = {
  total: 2,
  byChannel: { link: 1, paper: 1 },
  questions: [
    {
      name: "alone",
      type: "select_one",
      label: "Lives alone?",
      answered: 2,
      counts: [
        { value: "yes", label: "Yes", count: 1 },
        { value: "no", label: "No", count: 1 },
      ],
      cross: {
        columns: [
          { value: "yes", label: "Yes" },
          { value: "no", label: "No" },
        ],
        rows: [
          { value: "yes", label: "Yes", counts: [1, 0] },
          { value: "no", label: "No", counts: [0, 1] },
        ],
      },
    },
    {
      name: "score",
      type: "calculate",
      label: "Score",
      answered: 2,
      numeric: { min: 0, max: 4, mean: 2, median: 2 },
    },
    { name: "street", type: "text", label: "Street", answered: 2, samples: ["Herzl 5", "הגפן"] },
    {
      name: "home",
      type: "geopoint",
      label: "Home",
      answered: 1,
      points: [{ lat: 32.08, lon: 34.78 }],
    },
  ],
};

const me: Me = {
  user: {
    id: "w",
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
  publicSurveyQueryClient.setQueryData(publicFormQueryKey(OPEN), {
    id: OPEN,
    title: "סקר צרכים",
    department: { id: DEP, name: "Ein Hadar social services" },
    anonymous: true,
    definition,
  });
});

async function render(path: string, lng: "he" | "en", roles: Role[] = ["community_worker"]) {
  await i18n.changeLanguage(lng);
  const qc = new QueryClient({
    defaultOptions: { queries: { staleTime: Infinity, retry: false } },
  });
  qc.setQueryData(formListQuery({ page: 1 }).queryKey, {
    items: [open, draft],
    total: 2,
    page: 1,
    pageSize: 20,
  });
  qc.setQueryData(formQuery(OPEN).queryKey, open);
  qc.setQueryData(formQuery(DRAFT).queryKey, draft);
  qc.setQueryData(responsesQuery(OPEN, { page: 1 }).queryKey, {
    items: [
      {
        id: RESPONSE,
        channel: "paper",
        language: "he",
        community: null,
        submittedBy: { id: "w", name: "Samah" },
        answers: {
          street: "הרצל 5",
          alone: "yes",
          photo: PHOTO,
          children: [
            { age: 3 },
            {
              age: 5,
              child_photo: CHILD_PHOTO,
              toys: TOY_PHOTOS.map((toy_photo) => ({ toy_photo })),
            },
          ],
        },
        formVersion: 1,
        needIds: [NEED],
        createdAt: "2026-11-25T09:00:00Z",
      },
    ],
    total: 1,
    page: 1,
    pageSize: 20,
  });
  qc.setQueryData(analysisQuery(OPEN, { crossBy: "alone" }).queryKey, analysis);
  qc.setQueryData(parentOptionsQuery.queryKey, { items: [], total: 0, page: 1, pageSize: 100 });
  qc.setQueryData(needCategoriesQuery.queryKey, { items: [] });
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
        path: "/forms",
        validateSearch: parseFormsSearch,
        component: page(FormsListPage),
      }),
      createRoute({
        getParentRoute: () => app,
        path: "/forms/$id",
        validateSearch: parseFormSearch,
        component: page(FormPage),
      }),
      createRoute({
        getParentRoute: () => app,
        path: "/forms/$id/enter",
        component: page(FormEntryPage),
      }),
    ]),
    createRoute({
      getParentRoute: () => root,
      path: "/s/$formId",
      validateSearch: parseSurveySearch,
      component: page(PublicSurveyPage),
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
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe("forms list", () => {
  it("lists forms with their status, counts and a link, and offers new and import to builders", async () => {
    const html = await render("/forms", "en");
    const t = text(html);
    expect(html).toMatch(new RegExp(`href="/forms/${OPEN}"`));
    expect(t).toContain("Open");
    expect(t).toContain("Draft");
    expect(t).toContain("Forms found: 2");
    expect(html).toContain('data-testid="form-new"');
    expect(html).toContain('data-testid="form-import"');
  });

  it("offers no building to social workers and reads in Hebrew", async () => {
    const html = await render("/forms", "he", ["social_worker"]);
    expect(html).not.toContain('data-testid="form-new"');
    const t = text(html);
    expect(t).toContain("טפסים וסקרים");
    expect(t).not.toMatch(/\bforms\.\w/);
  });
});

describe("form page", () => {
  it("builds: question cards, live problems by question, and a preview", async () => {
    const html = await render(`/forms/${DRAFT}`, "en");
    const t = text(html);
    for (const name of ["street", "alone", "children", "age", "later", "loop"])
      expect(html).toContain(`data-testid="node-${name}"`);
    expect(html).toContain('data-testid="builder-problems"');
    expect(t).toContain("depend on each other in a circle");
    expect(t).toContain("refers to “missing”");
    // Server rendering takes the phone layout: the preview is a view of its own.
    expect(html).toContain('data-testid="builder-view"');
    expect(html).toContain('aria-label="Move “Street” down"');
    expect(html).not.toContain('data-testid="builder-locked"');
  });

  it("keeps the questions of a form with answers and offers a copy", async () => {
    const html = await render(`/forms/${OPEN}`, "en");
    expect(html).toContain('data-testid="builder-locked"');
    expect(text(html)).toContain("Duplicate as a new form");
    expect(html).not.toContain('data-testid="add-question"');
  });

  it("distributes: the public link and its QR code, typing in answers", async () => {
    const html = await render(`/forms/${OPEN}?tab=distribution`, "en");
    expect(html).toContain(`value="http://localhost/s/${OPEN}"`);
    expect(html).toContain('data-testid="form-qr"');
    expect(html).toContain("Download the code (SVG)");
    expect(html).toMatch(new RegExp(`href="/forms/${OPEN}/enter"`));
    expect(html).toContain('data-testid="form-close"');
  });

  it("will not publish a draft with errors", async () => {
    const html = await render(`/forms/${DRAFT}?tab=distribution`, "en");
    expect(html).toMatch(
      /<button[^>]*disabled[^>]*data-testid="form-publish"|data-testid="form-publish"[^>]*disabled/,
    );
    expect(text(html)).toContain("Fix the errors");
  });

  it("lists answers with choice labels, who typed them and the need made from one", async () => {
    const html = await render(`/forms/${OPEN}?tab=responses`, "en");
    const t = text(html);
    expect(t).toContain("Paper");
    expect(t).toContain("Samah");
    expect(t).toContain("Yes");
    expect(t).toContain("2 entries");
    expect(html).toMatch(new RegExp(`href="/needs/${NEED}"`));
    expect(html).toContain('data-testid="response-need"');
  });

  it("shows photos inside repeats, at any depth, as thumbnails that open the photo", async () => {
    const html = await render(`/forms/${OPEN}?tab=responses`, "en");
    const thumb = (id: string) => `/api/forms/${OPEN}/photos/${id}?size=thumb`;
    for (const id of [PHOTO, CHILD_PHOTO, ...TOY_PHOTOS]) {
      expect(html).toContain(`src="${thumb(id)}"`);
      // Never the id as text: only the thumbnail's address names it.
      expect(text(html)).not.toContain(id);
    }
    expect(html).toContain('aria-label="Open the photo: Photo"');
    expect(html).toContain('aria-label="Open the photo: Child&#x27;s photo, entry 2"');
    expect(html).toContain('aria-label="Open the photo: Toy photo, entry 2.1"');
    expect(html).toContain('aria-label="Open the photo: Toy photo, entry 2.2"');
    expect(html.match(/data-testid="answer-photo"/g)).toHaveLength(4);
    expect(html).toMatch(/<button[^>]*aria-haspopup="dialog"[^>]*data-testid="answer-photo"/);
    expect(html).toContain('loading="lazy"');
    expect(html).toContain('decoding="async"');
  });

  it("analyses: bars with numbers, a cross-tab with row headers, numbers and samples", async () => {
    const html = await render(`/forms/${OPEN}?tab=analysis&crossBy=alone`, "en");
    const t = text(html);
    expect(html.match(/data-testid="bar"/g)?.length).toBeGreaterThanOrEqual(4);
    expect(t).toContain("1 (50%)");
    expect(html).toContain('data-testid="cross-alone"');
    expect(html).toContain('scope="row"');
    expect(t).toContain("Median");
    expect(t).toContain("Herzl 5");
  });

  it("hides answers from those who may not read them", async () => {
    const restricted = { ...open, permissions: { edit: false, readResponses: false } };
    await i18n.changeLanguage("en");
    const html = await renderWith(restricted);
    expect(html).not.toContain('data-testid="tab-responses"');
    expect(html).not.toContain('data-testid="tab-analysis"');
  });
});

async function renderWith(form: Form) {
  const original = open.permissions;
  Object.assign(open, { permissions: form.permissions });
  try {
    return await render(`/forms/${OPEN}`, "en");
  } finally {
    Object.assign(open, { permissions: original });
  }
}

describe("typing in answers", () => {
  it("offers paper and face to face and runs the form", async () => {
    const html = await render(`/forms/${OPEN}/enter`, "he");
    expect(html).toContain('data-testid="channel-paper"');
    expect(html).toContain('data-testid="channel-face_to_face"');
    expect(html).toContain('data-testid="form-runner"');
    expect(text(html)).toContain("רחוב");
  });
});

describe("public survey page", () => {
  it("runs the form in its language with a language choice, a hidden honeypot and no staff shell", async () => {
    const html = await render(`/s/${OPEN}?lang=he`, "he");
    const t = text(html);
    expect(t).toContain("Ein Hadar social services");
    expect(t).toContain("סקר צרכים");
    for (const l of ["he", "en"]) expect(html).toContain(`data-testid="runner-lang-${l}"`);
    expect(html).toMatch(/<div[^>]*dir="rtl"[^>]*lang="he"[^>]*data-testid="form-runner"/);
    const honeypot =
      /<div class="kv-survey-honeypot" aria-hidden="true">[\s\S]*?<input([^>]*)>/.exec(html)?.[1] ??
      "";
    expect(honeypot).toContain('name="website"');
    expect(honeypot).toContain('tabindex="-1"');
    expect(html).not.toContain('data-testid="user-menu"');
    expect(html).toContain('data-testid="survey-submit"');
  });

  it("shows every question type: repeat with add, location inputs, a photo picker, calculation read-only", async () => {
    const html = await render(`/s/${OPEN}?lang=en`, "en");
    const t = text(html);
    expect(html).toContain('data-testid="add-children"');
    expect(t).toContain("Use my location");
    expect(t).toContain("Latitude");
    expect(html).toContain('data-testid="photo-pick"');
    expect(t).toContain("Take or choose a photo");
    expect(t).toContain("The photo is sent with the answer, without where it was taken");
    expect(t).toContain("Score");
    expect(html).toContain('data-testid="runner-readonly"');
    expect(html).toMatch(/aria-pressed="true"[^>]*lang="en"|lang="en"[^>]*aria-pressed="true"/);
  });
});
