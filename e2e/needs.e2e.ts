import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { request, type BrowserContext, type Page } from "playwright-core";
import {
  DESKTOP,
  PHONE,
  SCREENSHOTS,
  baseURL,
  demoPassword,
  expectAccessible,
  expectDirection,
  isolatedText,
  newContext,
  shot,
  useBrowser,
  settled,
  signIn,
} from "./support.ts";

/**
 * Journey 2 (SPEC §3): a resident reports a need from a phone — in Arabic, with a photo
 * and their location, without an account; the community worker, with the queue open,
 * sees it arrive live, triages it (the model's category, urgency, takes it, triaged);
 * a second report of the same thing is merged into the first. Every needs page, and the
 * public report page in all five languages, passes axe.
 */

const browser = useBrowser();

const DEPARTMENT = "המחלקה לשירותים חברתיים עין הדר";
const WORKER = "worker@demo.kaveret.test";
const MANAGER = "manager@demo.kaveret.test";

/* What the resident writes: full rubbish by a bin on a street of נווה שלום. The
   department's classifier reads it as cleanliness; the resident picks public space. */
const REPORT =
  "الحاوية في شارع يشعياهو ممتلئة والقمامة متراكمة على الرصيف منذ أيام، والرائحة قوية جدًا";
const SECOND_REPORT =
  "القمامة متراكمة على الرصيف بجانب الحاوية في شارع يشعياهو منذ أيام والرائحة قوية";

/** The department and a point in the middle of נווה שלום (set up before the tests). */
let place: { departmentId: string; point: { lat: number; lon: number } };
/** What the journey learns on the way, for the steps after it. */
const journey: { first?: { id: string; reference: string } } = {};

/** The department's id and a point in the middle of נווה שלום, as the worker sees them (API). */
async function learnPlace() {
  const api = await request.newContext({
    baseURL: baseURL(),
    extraHTTPHeaders: { origin: baseURL() },
  });
  try {
    const signIn = await api.post("/api/auth/sign-in/email", {
      data: { email: WORKER, password: demoPassword() },
    });
    expect(signIn.ok()).toBe(true);
    const me = (await (await api.get("/api/me")).json()) as {
      scopes: { name: string; departmentId: string | null }[];
    };
    const departmentId = me.scopes.find((s) => s.name === DEPARTMENT)?.departmentId;
    if (!departmentId) throw new Error(`the worker has no scope in ${DEPARTMENT}`);
    const list = (await (
      await api.get(`/api/communities?q=${encodeURIComponent("נווה שלום")}`)
    ).json()) as { items: { id: string; name: string }[] };
    const hood = list.items.find((c) => c.name === "נווה שלום");
    if (!hood) throw new Error("the worker does not see נווה שלום");
    const community = (await (await api.get(`/api/communities/${hood.id}`)).json()) as {
      boundary: { type: string; coordinates: [number, number][][] } | null;
    };
    if (community.boundary?.type !== "Polygon") throw new Error("נווה שלום has no polygon");
    const ring = community.boundary.coordinates[0]!;
    const lons = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    // The middle of the neighbourhood's box (its demo boundary is a rectangle).
    const mid = (v: number[]) => Math.round(((Math.min(...v) + Math.max(...v)) / 2) * 1e5) / 1e5;
    return { departmentId, point: { lat: mid(lats), lon: mid(lons) } };
  } finally {
    await api.dispose();
  }
}

beforeAll(async () => {
  place = await learnPlace();
});

/** A small real JPEG, drawn by the browser (a photo of "the bin"). */
async function jpegFrom(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 160;
    canvas.height = 120;
    const g = canvas.getContext("2d");
    if (!g) throw new Error("no 2d canvas");
    g.fillStyle = "#8fbf6a";
    g.fillRect(0, 0, 160, 120);
    g.fillStyle = "#2f4f4f";
    g.fillRect(50, 30, 60, 70);
    g.fillStyle = "#6b4f2a";
    g.fillRect(20, 90, 40, 20);
    return canvas.toDataURL("image/jpeg", 0.9).split(",")[1] ?? "";
  });
  const bytes = Buffer.from(base64, "base64");
  expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  return bytes;
}

async function residentPhone(): Promise<BrowserContext> {
  const context = await newContext(browser(), PHONE);
  await context.grantPermissions(["geolocation"], { origin: baseURL() });
  return context;
}

describe("journey 2: a resident reports a need; the worker sees it at once and triages it", () => {
  it("reports from a phone in Arabic, live in the worker's queue, triaged", async () => {
    // The worker already has the queue open, newest first, on a desktop.
    const workerContext = await newContext(browser(), DESKTOP);
    const worker = await workerContext.newPage();
    await signIn(worker, WORKER);
    const { departmentId, point } = place;
    await worker.goto("/needs?sort=newest");
    await worker.getByRole("heading", { level: 1, name: "צרכים" }).waitFor();
    await worker.getByTestId("need-row").first().waitFor();
    await expect
      .poll(() => worker.getByTestId("needs-live").getAttribute("data-state"))
      .toBe("live");
    // A mark that a reload would wipe: the report must arrive without one.
    await worker.evaluate(() => {
      (window as unknown as { kvNoReload?: boolean }).kvNoReload = true;
    });

    // The resident, on a phone, no account.
    const residentContext = await residentPhone();
    await residentContext.setGeolocation({ latitude: point.lat, longitude: point.lon });
    const resident = await residentContext.newPage();
    await resident.goto(`/report/${departmentId}`);
    await expectDirection(resident, "rtl", "he");
    await resident.getByRole("heading", { level: 1, name: "פנייה על צורך" }).waitFor();
    await resident.getByTestId("report-lang-ar").click();
    await expectDirection(resident, "rtl", "ar");
    await resident.getByRole("heading", { level: 1, name: "الإبلاغ عن احتياج" }).waitFor();
    // The department's name in Arabic too (issue 4), not the Hebrew one.
    await expect
      .poll(() => resident.getByTestId("public-department-name").textContent())
      .toBe("قسم الخدمات الاجتماعية في عين هدار");
    await expect
      .poll(() => resident.getByTestId("report-lang-ar").getAttribute("aria-pressed"))
      .toBe("true");

    await resident.getByTestId("report-category-public_space").click();
    await expect
      .poll(() => resident.getByRole("radio", { name: "الحيز العام والبنية التحتية" }).isChecked())
      .toBe(true);
    await resident.getByLabel("وصف الاحتياج").fill(REPORT);

    const photo = await jpegFrom(resident);
    await resident
      .getByTestId("report-photo-input")
      .setInputFiles({ name: "hawiya.jpg", mimeType: "image/jpeg", buffer: photo });
    await resident.getByRole("img", { name: "الصورة 1" }).waitFor();

    await resident.getByRole("button", { name: "استخدام موقعي" }).click();
    await resident.getByText(/تمت إضافة موقعكم/).waitFor();

    await resident.getByLabel("الاسم").fill("ليلى");
    await resident.getByLabel("الهاتف", { exact: true }).fill("050-7654321");
    await resident.getByRole("checkbox", { name: /أوافق على أن يتواصل معي/ }).check();
    await expectAccessible(resident, "report form, filled (ar, 360)");
    await shot(resident, "report-ar-360");

    await resident.getByTestId("report-submit").click();
    await resident.getByRole("heading", { level: 2, name: "شكرًا — وصل بلاغكم" }).waitFor();
    const reference = (await resident.getByTestId("report-reference").innerText()).trim();
    expect(reference).toMatch(/^#\d+$/);
    await expectAccessible(resident, "report receipt (ar, 360)");
    await shot(resident, "report-receipt-ar-360");
    await residentContext.close();

    // The worker's queue: the "new" indicator and the row, without a reload.
    await worker.getByTestId("needs-new-count").waitFor();
    await expect
      .poll(() => worker.getByTestId("needs-new-count").innerText())
      .toBe("פניות חדשות: 1 — הצגה");
    const row = worker.getByTestId("need-row").filter({
      has: worker.getByRole("link", { name: reference, exact: true }),
    });
    await row.waitFor();
    expect(await row.innerText()).toContain("תמונות: 1");
    expect(await row.innerText()).toContain("על המפה");
    expect(
      await worker.evaluate(() => (window as unknown as { kvNoReload?: boolean }).kvNoReload),
    ).toBe(true);
    await shot(worker, "needs-queue-live-he-1280");

    await row.getByRole("link", { name: reference, exact: true }).click();
    await worker.getByRole("heading", { level: 1, name: `צורך ${reference}` }).waitFor();
    const id = new URL(worker.url()).pathname.split("/").pop()!;
    journey.first = { id, reference };
    await expect.poll(() => worker.getByTestId("need-description").innerText()).toBe(REPORT);

    // The photo (fetched with the worker's session) and the point on the map.
    await worker.getByRole("button", { name: "פתיחת תמונה 1" }).click();
    await worker
      .getByRole("dialog")
      .getByRole("img", { name: `תמונה 1 של הצורך ${reference}` })
      .waitFor();
    await worker.keyboard.press("Escape");
    await expect.poll(() => worker.getByRole("dialog").count()).toBe(0);
    const map = worker.getByRole("region", { name: `מפה: מיקום הצורך ${reference}` });
    await map.waitFor();
    await expect.poll(() => map.locator(".maplibregl-marker").count()).toBe(1);
    // The reporter agreed to be contacted: the phone is there, as a link.
    await worker.locator('a[href="tel:+972507654321"]').waitFor();
    // The point fell in the worker's neighbourhood.
    await worker.getByRole("link", { name: "נווה שלום", exact: true }).first().waitFor();

    // Triage: the model's category (the resident chose public space) …
    const suggestion = worker.getByTestId("need-suggestion");
    await suggestion.waitFor();
    expect(await suggestion.innerText()).toContain("ניקיון ותברואה");
    await suggestion.getByRole("button", { name: "שימוש בקטגוריה הזו" }).click();
    const category = worker.getByRole("combobox", { name: "קטגוריה" });
    await expect.poll(() => category.inputValue()).toBe("cleanliness");
    await expect.poll(() => category.isEnabled()).toBe(true);
    // … urgency …
    const triage = worker.getByRole("region", { name: "מיון וטיפול" });
    await triage.getByText("גבוהה", { exact: true }).click();
    await expect.poll(() => triage.getByRole("radio", { name: "גבוהה" }).isChecked()).toBe(true);
    await expect.poll(() => category.isEnabled()).toBe(true);
    // … takes it …
    await worker.getByRole("button", { name: "אני לוקח/ת" }).click();
    const assignee = worker.getByRole("combobox", { name: "מטפל/ת" });
    await expect.poll(() => assignee.locator("option:checked").innerText()).toBe("סמאח חורי");
    await expect.poll(() => category.isEnabled()).toBe(true);
    // … and marks it triaged.
    await worker.getByTestId("move-triaged").click();
    const history = worker.getByRole("region", { name: "היסטוריה" });
    await history.getByText("סטטוס: חדש ← מוין").waitFor();
    await history
      .getByText(isolatedText("קטגוריה: מרחב ציבורי ותשתיות ← ניקיון ותברואה"))
      .waitFor();
    await history.getByText("דחיפות: רגילה ← גבוהה").waitFor();
    await history.getByText(isolatedText("הוקצה לסמאח חורי")).waitFor();
    await settled(worker);
    await expectAccessible(worker, "need, triaged (he, 1280)");
    await shot(worker, "need-triaged-he-1280");
    await workerContext.close();
  });

  it("merges a second report of the same thing into the first", async () => {
    const { departmentId, point } = place;
    const { first } = journey;
    expect(first, "the first report of this journey").toBeTruthy();
    const workerContext = await newContext(browser(), DESKTOP);
    const worker = await workerContext.newPage();
    await signIn(worker, WORKER);
    await worker.goto("/needs?sort=newest");
    await worker.getByTestId("need-row").first().waitFor();
    await expect
      .poll(() => worker.getByTestId("needs-live").getAttribute("data-state"))
      .toBe("live");

    // A neighbour reports the same bin (the public API, as the page would send it).
    const res = await fetch(`${baseURL()}/api/public/departments/${departmentId}/needs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        category: "cleanliness",
        description: SECOND_REPORT,
        location: { lat: point.lat + 0.0001, lon: point.lon + 0.0001 },
        language: "ar",
      }),
    });
    expect(res.status).toBe(201);
    const second = (await res.json()) as { reference: string };

    const row = worker.getByTestId("need-row").filter({
      has: worker.getByRole("link", { name: second.reference, exact: true }),
    });
    await row.waitFor();
    await row.getByRole("link", { name: second.reference, exact: true }).click();
    await worker.getByRole("heading", { level: 1, name: `צורך ${second.reference}` }).waitFor();
    const duplicateId = new URL(worker.url()).pathname.split("/").pop()!;

    const similar = worker.getByTestId("similar-need").filter({
      has: worker.getByRole("link", { name: first!.reference, exact: true }),
    });
    await similar.waitFor();
    await similar.getByTestId("merge-open").click();
    const dialog = worker.getByRole("dialog", { name: "איחוד שני צרכים" });
    await dialog.waitFor();
    // The first report, already triaged, stays.
    await dialog.getByRole("radio", { name: `להשאיר את ${first!.reference}` }).check();
    await expect
      .poll(() => dialog.getByTestId("merge-explain").innerText())
      .toContain(`${first!.reference} נשאר; ${second.reference} מאוחד לתוכו.`);
    await expectAccessible(worker, "merge dialog (he, 1280)");
    // The dialog itself: a full-page capture of a scrolled page under a modal comes out torn.
    await dialog.screenshot({ path: join(SCREENSHOTS, "need-merge-he-1280.png") });
    await dialog.getByRole("button", { name: `איחוד לתוך ${first!.reference}` }).click();

    // The survivor opens, with the merged report in its history and its photo.
    await worker.getByRole("heading", { level: 1, name: `צורך ${first!.reference}` }).waitFor();
    expect(new URL(worker.url()).pathname).toBe(`/needs/${first!.id}`);
    const history = worker.getByRole("region", { name: "היסטוריה" });
    await history
      .getByText(isolatedText(`הצורך ${second.reference} אוחד לתוך הצורך הזה`))
      .waitFor();
    // The duplicate's own words come along with it.
    await history.getByText(SECOND_REPORT).waitFor();
    await history.getByText("סטטוס: חדש ← מוין").waitFor();
    await worker.getByRole("button", { name: "פתיחת תמונה 1" }).waitFor();
    await settled(worker);
    await expectAccessible(worker, "survivor after merge (he, 1280)");
    await shot(worker, "need-merged-he-1280");

    // The duplicate leaves the queue (merged needs are not listed), closed, pointing to the survivor.
    await worker.goto(`/needs/${duplicateId}`);
    await worker.getByRole("heading", { level: 1, name: `צורך ${second.reference}` }).waitFor();
    const merged = worker.getByRole("status").filter({ hasText: "הצורך הזה אוחד לתוך" });
    await merged.getByRole("link", { name: first!.reference, exact: true }).waitFor();
    await worker.getByText("סגור", { exact: true }).first().waitFor();
    await workerContext.close();
  });
});

const STAFF_LOCALES = [
  { locale: "he", dir: "rtl", viewport: PHONE },
  { locale: "en", dir: "ltr", viewport: DESKTOP },
] as const;

describe("every needs page is accessible", () => {
  for (const { locale, dir, viewport } of STAFF_LOCALES) {
    it(`in ${locale} (${dir}, ${viewport.width} px)`, async () => {
      const context = await newContext(browser(), viewport);
      const page = await context.newPage();
      await signIn(page, MANAGER, locale);
      const { departmentId } = place;
      // The journey's need (photo, map, history) when it ran; else the first in the queue.
      const needId =
        journey.first?.id ??
        (
          (await (await page.request.get("/api/needs?pageSize=1")).json()) as {
            items: { id: string }[];
          }
        ).items[0]!.id;
      const staffReady = (p: Page) => p.getByRole("heading", { level: 1 }).first().waitFor();
      const formReady = (p: Page) => p.getByTestId("report-submit").waitFor();
      const pages = [
        { path: "/needs", name: "needs-queue", ready: staffReady },
        {
          path: `/needs/${needId}`,
          name: "need",
          // The heading, then the pin on the map of the need's place.
          ready: async (p: Page) => {
            await staffReady(p);
            await p.getByTestId("need-map").locator(".maplibregl-marker").waitFor();
          },
        },
        { path: "/needs/new", name: "need-new", ready: staffReady },
        { path: "/needs/settings", name: "needs-settings", ready: staffReady },
        { path: `/report/${departmentId}?lang=${locale}`, name: "report", ready: formReady },
        { path: `/embed/report/${departmentId}?lang=${locale}`, name: "embed", ready: formReady },
      ];
      // Every page is checked before the test fails, so one report names all of them.
      const failures: string[] = [];
      for (const { path, name, ready } of pages) {
        await page.goto(path);
        await expectDirection(page, dir, locale);
        await ready(page);
        await settled(page);
        await shot(page, `${name}-${locale}-${viewport.width}`);
        await expectAccessible(page, `${path} (${locale})`).catch((err: unknown) => {
          const { message, actual } = err as { message?: string; actual?: unknown };
          failures.push(`${message ?? String(err)}: ${JSON.stringify(actual)}`);
        });
      }

      // Leave the account in Hebrew for the other journeys.
      await page.goto("/needs");
      await page.getByTestId("lang-switch").selectOption("he");
      await expectDirection(page, "rtl", "he");
      await context.close();
      expect(failures).toEqual([]);
    });
  }

  it("offers the report page in Russian and Amharic, left to right", async () => {
    const context = await residentPhone();
    const page = await context.newPage();
    await page.goto(`/report/${place.departmentId}`);
    await page.getByTestId("report-submit").waitFor();
    for (const locale of ["ru", "am"] as const) {
      await page.getByTestId(`report-lang-${locale}`).click();
      await expectDirection(page, "ltr", locale);
      await expect
        .poll(() => page.getByTestId(`report-lang-${locale}`).getAttribute("aria-pressed"))
        .toBe("true");
      await expectAccessible(page, `report page (${locale})`);
      await shot(page, `report-${locale}-360`);
    }
    await context.close();
  });
});
