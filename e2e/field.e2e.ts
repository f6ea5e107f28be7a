import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, type APIRequestContext, type Page } from "playwright-core";
import {
  PHONE,
  baseURL,
  demoPassword,
  expectAccessible,
  expectDirection,
  newContext,
  shot,
  useBrowser,
  signIn,
} from "./support.ts";

/**
 * Journey 3 (SPEC §3): a community worker runs a door-to-door survey on a phone with no
 * connection — the survey comes down to the device with the sync pull, the network goes
 * mid-survey, the page is reloaded offline (the installed app shell comes back), the
 * answer is saved on the device and waits in the outbox (the pending count shows); back
 * online it syncs, and the form's dataset — the one answers by link land in — holds it
 * exactly once. Also: the server applies a push whose answer is lost on the way back
 * (as if it died after committing), and the retry adds nothing; and a photo taken offline
 * waits on the device with its answer and reaches the dataset with it, without its location.
 */

const browser = useBrowser();

const WORKER = "worker@demo.kaveret.test";
const MANAGER = "manager@demo.kaveret.test";
const DEPARTMENT = "המחלקה לשירותים חברתיים עין הדר";

/** A short door-to-door survey in Hebrew and Arabic. */
const SURVEY = {
  schemaVersion: 1,
  settings: {
    title: "סקר דלת לדלת — נווה שלום",
    id: "door_to_door",
    defaultLanguage: "he",
    languages: ["he", "ar"],
  },
  questions: [
    {
      type: "integer",
      name: "household",
      label: { he: "כמה נפשות בבית?", ar: "كم شخصًا في البيت؟" },
      required: true,
      constraint: ". > 0 and . < 20",
    },
    {
      type: "select_one",
      name: "satisfaction",
      label: { he: "שביעות רצון מהשכונה", ar: "الرضا عن الحي" },
      choiceList: "scale",
      required: true,
    },
    {
      type: "text",
      name: "note",
      label: { he: "הערות", ar: "ملاحظات" },
    },
  ],
  choiceLists: [
    {
      name: "scale",
      choices: [
        { name: "good", label: { he: "טובה", ar: "جيدة" } },
        { name: "bad", label: { he: "רעה", ar: "سيئة" } },
      ],
    },
  ],
};

/** The same survey with a photo of the building's entrance. */
const PHOTO_SURVEY = {
  ...SURVEY,
  questions: [
    ...SURVEY.questions,
    {
      type: "image",
      name: "entrance",
      label: { he: "צילום הכניסה לבניין", ar: "صورة مدخل المبنى" },
    },
  ],
} as unknown as typeof SURVEY;

/** The photo survey with a room-by-room repeat, each room with its photo. */
const ROOMS_SURVEY = {
  ...PHOTO_SURVEY,
  questions: [
    { type: "text", name: "address", label: { he: "כתובת", ar: "العنوان" } },
    {
      type: "image",
      name: "entrance",
      label: { he: "צילום הכניסה לבניין", ar: "صورة مدخل المبنى" },
    },
    {
      type: "repeat",
      name: "rooms",
      label: { he: "חדר", ar: "غرفة" },
      children: [
        { type: "text", name: "room_name", label: { he: "שם החדר", ar: "اسم الغرفة" } },
        { type: "image", name: "room_photo", label: { he: "צילום החדר", ar: "صورة الغرفة" } },
      ],
    },
  ],
} as unknown as typeof SURVEY;

/**
 * A real JPEG drawn by the browser (a building's entrance), with an EXIF segment carrying
 * a location inserted after its start: what a phone camera hands over.
 */
async function cameraPhoto(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 480;
    c.height = 360;
    const g = c.getContext("2d")!;
    g.fillStyle = "#cfe3f1";
    g.fillRect(0, 0, 480, 360);
    g.fillStyle = "#e8d9b5";
    g.fillRect(90, 60, 300, 300);
    g.fillStyle = "#7a4b2a";
    g.fillRect(200, 200, 80, 160);
    g.fillStyle = "#4a6f8f";
    for (const x of [120, 300]) g.fillRect(x, 110, 60, 60);
    return c.toDataURL("image/jpeg", 0.9);
  });
  const jpeg = Buffer.from(dataUrl.split(",")[1]!, "base64");
  const payload = Buffer.from("Exif\0\0GPSLatitude 32.81 GPSLongitude 35.11", "latin1");
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, payload, jpeg.subarray(2)]);
}

/** Photos the device holds in its sync database. */
function keptPhotos(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const name = (await indexedDB.databases())
      .map((d) => d.name ?? "")
      .find((n) => n.startsWith("kaveret-sync:"));
    if (!name) return -1;
    return new Promise<number>((resolve) => {
      const open = indexedDB.open(name);
      open.onerror = () => resolve(-1);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains("photos")) {
          db.close();
          resolve(-1);
          return;
        }
        const count = db.transaction("photos").objectStore("photos").count();
        count.onerror = () => resolve(-1);
        count.onsuccess = () => {
          db.close();
          resolve(count.result);
        };
      };
    });
  });
}

interface Staff {
  api: APIRequestContext;
  scope: string;
}

/** An API session of a demo user in the department (what the staff screens call). */
async function staffApi(email: string): Promise<Staff> {
  const api = await request.newContext({
    baseURL: baseURL(),
    extraHTTPHeaders: { origin: baseURL() },
  });
  const res = await api.post("/api/auth/sign-in/email", {
    data: { email, password: demoPassword() },
  });
  expect(res.ok()).toBe(true);
  const me = (await (await api.get("/api/me")).json()) as {
    scopes: { id: string; name: string }[];
  };
  const scope = me.scopes.find((s) => s.name === DEPARTMENT)?.id;
  if (!scope) throw new Error(`${email} has no scope in ${DEPARTMENT}`);
  return { api, scope };
}

let manager: Staff;

/** The manager makes a survey and opens it (the worker's device pulls it). */
async function openSurvey(title: string, survey: typeof SURVEY = SURVEY): Promise<string> {
  const headers = { "x-kaveret-scope": manager.scope };
  const created = await manager.api.post("/api/forms", {
    headers,
    data: { title, definition: { ...survey, settings: { ...survey.settings, title } } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const form = (await created.json()) as { id: string; version: number };
  const opened = await manager.api.patch(`/api/forms/${form.id}`, {
    headers,
    data: { version: form.version, status: "open" },
  });
  expect(opened.status(), await opened.text()).toBe(200);
  return form.id;
}

/** The form's dataset as the staff answers list reads it. */
async function dataset(formId: string) {
  const res = await manager.api.get(`/api/forms/${formId}/responses?pageSize=100`, {
    headers: { "x-kaveret-scope": manager.scope },
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as {
    total: number;
    items: { id: string; channel: string; answers: Record<string, unknown> }[];
  };
}

beforeAll(async () => {
  manager = await staffApi(MANAGER);
});
afterAll(async () => {
  await manager?.api.dispose();
});

/** The service worker controls the page (the app shell is cached for offline use). */
async function installed(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
  }
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/** The header's sync indicator: its tone and what it tells a screen reader. */
const indicator = (page: Page) => page.getByTestId("sync-status");
const tone = (page: Page) => indicator(page).getAttribute("data-tone");
const told = async (page: Page) => (await indicator(page).getAttribute("aria-label")) ?? "";

async function phone(options: { serviceWorkers?: "allow" | "block" } = {}) {
  const context =
    options.serviceWorkers === "block"
      ? await browser().newContext({
          baseURL: baseURL(),
          viewport: PHONE,
          locale: "he-IL",
          timezoneId: "Asia/Jerusalem",
          serviceWorkers: "block",
        })
      : await newContext(browser(), PHONE);
  const page = await context.newPage();
  return { context, page };
}

/** /field with the survey on the device (the sync pull brought it); opens it. */
async function openOnDevice(page: Page, title: string) {
  await page.goto("/field");
  await page.getByRole("heading", { level: 1, name: "עבודת שטח" }).waitFor();
  const card = page
    .getByRole("region", { name: "טפסים פתוחים" })
    .getByRole("listitem")
    .filter({ hasText: title });
  await card.waitFor();
  await expect.poll(() => tone(page)).toBe("synced");
  return card;
}

async function answer(page: Page, household: string, satisfaction: "טובה" | "רעה", note: string) {
  await page.getByLabel("כמה נפשות בבית?").fill(household);
  await page.getByRole("radio", { name: satisfaction }).check();
  await page.getByLabel("הערות").fill(note);
}

/** The device holds an answer being typed (the sync database's draft row). */
function keptDraft(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const name = (await indexedDB.databases())
      .map((d) => d.name ?? "")
      .find((n) => n.startsWith("kaveret-sync:"));
    if (!name) return false;
    return new Promise<boolean>((resolve) => {
      const open = indexedDB.open(name);
      open.onerror = () => resolve(false);
      open.onsuccess = () => {
        const db = open.result;
        const keys = db.transaction("meta").objectStore("meta").getAllKeys();
        keys.onerror = () => resolve(false);
        keys.onsuccess = () => {
          db.close();
          resolve(keys.result.some((k) => String(k).startsWith("draft:")));
        };
      };
    });
  });
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

type PushAnswer = { results: { id: string; status: string; recordId?: string }[] };

describe("journey 3: a door-to-door survey on a phone with no connection", () => {
  it("answers offline, reloads offline, saves on the device, syncs once back online", async () => {
    const title = "סקר דלת לדלת — נווה שלום";
    const formId = await openSurvey(title);
    const { context, page } = await phone();
    await signIn(page, WORKER);
    await installed(page);

    const card = await openOnDevice(page, title);
    await expectAccessible(page, "field work (he, 360)");
    await shot(page, "field-he-360");
    await card.getByRole("link", { name: "מילוי" }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await page.getByLabel("כמה נפשות בבית?").fill("4");

    // The connection goes mid-survey; the page is reloaded with none.
    await context.setOffline(true);
    await expect.poll(() => tone(page)).toBe("offline");
    // (The answer so far is written to the device a moment after typing stops.)
    await expect.poll(() => keptDraft(page)).toBe(true);
    await page.reload();
    // The installed app shell comes back offline, with the device's copy of the survey and
    // the answer as it was left.
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await page.getByTestId("field-form-restored").waitFor();
    expect(await page.getByLabel("כמה נפשות בבית?").inputValue()).toBe("4");
    await expect.poll(() => tone(page)).toBe("offline");
    await expectAccessible(page, "field form, offline (he, 360)");
    await shot(page, "field-form-offline-he-360");

    await page.getByRole("radio", { name: "רעה" }).check();
    await page.getByLabel("הערות").fill("אין גינה ציבורית קרובה");
    await page.getByTestId("field-form-submit").click();
    await page.getByTestId("field-form-count").waitFor();
    // Saved on the device, waiting: the header says so (its badge and what it announces).
    await expect.poll(() => told(page)).toContain("ממתינים לשליחה: 1");
    await expect.poll(() => indicator(page).innerText()).toContain("1");
    expect(await keptDraft(page)).toBe(false); // the draft went with the save
    // The toast said so; closed, the header shows the indicator with its count.
    await page.locator(".mantine-Notification-root", { hasText: "התשובה נשמרה במכשיר" }).waitFor();
    await page.locator(".mantine-Notification-closeButton").first().click();
    await expect.poll(() => page.locator(".mantine-Notification-root").count()).toBe(0);
    await shot(page, "field-form-saved-offline-he-360");
    expect((await dataset(formId)).total).toBe(0);
    await page.getByRole("link", { name: "חזרה לעבודת השטח" }).click();
    const waiting = page
      .getByRole("region", { name: "טפסים פתוחים" })
      .getByRole("listitem")
      .filter({ hasText: title })
      .getByText("תשובות שממתינות לשליחה: 1");
    await waiting.waitFor();
    await shot(page, "field-pending-he-360");

    // Back online: the answer goes, once.
    await context.setOffline(false);
    await expect.poll(() => tone(page), { timeout: 20_000 }).toBe("synced");
    await expect.poll(() => told(page)).not.toContain("ממתינים לשליחה");
    await expect.poll(() => waiting.count()).toBe(0);
    const after = await dataset(formId);
    expect(after.total).toBe(1);
    expect(after.items[0]).toMatchObject({
      channel: "door_to_door",
      answers: { household: 4, satisfaction: "bad", note: "אין גינה ציבורית קרובה" },
    });

    // Another round (a reload, "sync now") sends nothing twice.
    await page.reload();
    await expect.poll(() => tone(page)).toBe("synced");
    await indicator(page).click();
    await page.getByTestId("sync-retry").click();
    await expect.poll(() => tone(page)).toBe("synced");
    expect((await dataset(formId)).total).toBe(1);
    await context.close();
  });

  it("a push the server applied but whose answer was lost is applied once when it is sent again", async () => {
    const title = "סקר דלת לדלת — רחוב ישעיהו";
    const formId = await openSurvey(title);
    const { context, page } = await phone({ serviceWorkers: "block" });
    await signIn(page, WORKER);
    const card = await openOnDevice(page, title);

    // The server takes the first push and commits; the answer never reaches the device
    // (the server died, the connection dropped). Later pushes go through.
    let pushes = 0;
    const lost = deferred<PushAnswer>();
    await page.route("**/api/sync/push", async (route) => {
      pushes += 1;
      if (pushes === 1) {
        const res = await route.fetch();
        lost.resolve((await res.json()) as PushAnswer);
        await route.abort("connectionreset");
      } else {
        await route.continue();
      }
    });
    await card.getByRole("link", { name: "מילוי" }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await answer(page, "2", "טובה", "שכנים טובים");
    await page.getByTestId("field-form-submit").click();

    const first = await lost.promise;
    expect(first.results).toHaveLength(1);
    expect(first.results[0]).toMatchObject({ status: "ok" });
    const stored = await dataset(formId);
    expect(stored.total).toBe(1); // applied on the server, though the device never heard so
    // The device retries by itself (backoff): the replay answers the stored result.
    await expect.poll(() => pushes, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => tone(page), { timeout: 20_000 }).toBe("synced");
    await expect.poll(() => told(page)).not.toContain("ממתינים לשליחה");
    const after = await dataset(formId);
    expect(after.total).toBe(1);
    expect(after.items[0]?.id).toBe(stored.items[0]?.id);
    expect(after.items[0]?.id).toBe(first.results[0]?.recordId);
    await context.close();
  });

  it("a tab closed while its push is on the way loses nothing and duplicates nothing", async () => {
    const title = "סקר דלת לדלת — רחוב עמוס";
    const formId = await openSurvey(title);
    const { context, page } = await phone({ serviceWorkers: "block" });
    await signIn(page, WORKER);
    const card = await openOnDevice(page, title);

    // The push reaches the server; the tab is closed before its answer arrives.
    const reached = deferred<number>();
    await page.route("**/api/sync/push", async (route) => {
      reached.resolve((await route.fetch()).status());
      await new Promise(() => undefined); // never answered: the tab goes first
    });
    await card.getByRole("link", { name: "מילוי" }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await answer(page, "6", "רעה", "חסרה תאורה");
    await page.getByTestId("field-form-submit").click();
    expect(await reached.promise).toBe(200);
    await page.close();
    expect((await dataset(formId)).total).toBe(1);

    // A new tab on the same device: the command left "sending" is sent again, answered once.
    const next = await context.newPage();
    await next.goto("/field");
    await next.getByRole("heading", { level: 1, name: "עבודת שטח" }).waitFor();
    await expect.poll(() => tone(next), { timeout: 20_000 }).toBe("synced");
    await expect.poll(() => told(next)).not.toContain("ממתינים לשליחה");
    const after = await dataset(formId);
    expect(after.total).toBe(1);
    expect(after.items[0]?.answers).toMatchObject({ household: 6, satisfaction: "bad" });
    await context.close();
  });

  it("door to door: the manager assigns a building; the surveyor's device lists it offline, with counts", async () => {
    const title = "סקר דלת לדלת — בניינים";
    const formId = await openSurvey(title);
    const headers = { "x-kaveret-scope": manager.scope };
    const options = (await (
      await manager.api.get(`/api/forms/${formId}/assignments/options`, { headers })
    ).json()) as { targets: { kind: string; id: string; name: string; level: string | null }[] };
    const building = options.targets.find((x) => x.level === "building");
    if (!building) throw new Error("the demo department has no building to assign");

    // The manager, on a phone, in the form's distribution tab.
    const office = await phone({ serviceWorkers: "block" });
    await signIn(office.page, MANAGER);
    await office.page.goto(`/forms/${formId}?tab=distribution`);
    const section = office.page.getByRole("region", { name: "שיבוצים לעבודה מדלת לדלת" });
    await section.getByTestId("assignments-empty").waitFor();
    await section.getByTestId("assign-surveyor").selectOption({ label: "סמאח חורי" });
    await section.getByTestId("assign-target").selectOption(`community:${building.id}`);
    await section.getByLabel("הערה לסוקר (לא חובה)").fill("כל הקומות");
    await section.getByTestId("assign-submit").click();
    const row = section.getByTestId("assignment-row").filter({ hasText: building.name });
    await row.waitFor();
    await expect.poll(() => row.innerText()).toContain("תשובות: 0");
    await expectAccessible(office.page, "form distribution with assignments (he, 360)");
    await shot(office.page, "form-assignments-he-360");

    // The surveyor's device pulls it; the network goes; the list and the form still work.
    const { context, page } = await phone();
    await signIn(page, WORKER);
    await installed(page);
    await openOnDevice(page, title);
    const mine = page.getByTestId("field-assignment").filter({ hasText: building.name });
    await mine.waitFor();
    await expect.poll(() => mine.innerText()).toContain("כל הקומות");
    await context.setOffline(true);
    await expect.poll(() => tone(page)).toBe("offline");
    await page.reload();
    await mine.waitFor();
    await mine.getByRole("link", { name: `מילוי: ${building.name}` }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect
      .poll(() => page.getByTestId("field-form-assignment").innerText())
      .toBe(`בניין: ${building.name}`);
    await answer(page, "3", "טובה", "");
    await page.getByTestId("field-form-submit").click();
    await page.getByTestId("field-form-count").waitFor();
    await page.getByRole("link", { name: "חזרה לעבודת השטח" }).click();
    await expect
      .poll(() => mine.getByTestId("field-assignment-count").innerText())
      .toBe("תשובות שהתקבלו: 0 · תשובות שממתינות לשליחה: 1");
    await expectAccessible(page, "field work with assignments, offline (he, 360)");
    await shot(page, "field-assignments-offline-he-360");

    // Back online: the answer goes, named by its assignment, and the counts follow.
    await context.setOffline(false);
    await expect.poll(() => tone(page), { timeout: 20_000 }).toBe("synced");
    await expect
      .poll(() => mine.getByTestId("field-assignment-count").innerText())
      .toBe("תשובות שהתקבלו: 1");
    expect((await dataset(formId)).total).toBe(1);
    await office.page.reload();
    await expect
      .poll(() =>
        office.page
          .getByRole("region", { name: "שיבוצים לעבודה מדלת לדלת" })
          .getByTestId("assignment-row")
          .innerText(),
      )
      .toContain("תשובות: 1");
    await context.close();
    await office.context.close();
  });

  it("a photo taken offline goes with its answer once back online, without its location", async () => {
    const title = "סקר דלת לדלת — מצב הכניסות";
    const formId = await openSurvey(title, PHOTO_SURVEY);
    const { context, page } = await phone();
    await signIn(page, WORKER);
    await installed(page);
    const card = await openOnDevice(page, title);
    await card.getByRole("link", { name: "מילוי" }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    const photo = await cameraPhoto(page);

    await context.setOffline(true);
    await expect.poll(() => tone(page)).toBe("offline");
    await answer(page, "3", "רעה", "הדלת שבורה");
    const question = page.getByTestId("q-entrance");
    const [chooser] = await Promise.all([
      page.waitForEvent("filechooser"),
      question.getByTestId("photo-pick").click(),
    ]);
    await chooser.setFiles({ name: "IMG_2041.jpg", mimeType: "image/jpeg", buffer: photo });
    const preview = question.getByTestId("photo-preview");
    await preview.waitFor();
    await expect
      .poll(() => preview.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBe(480);
    expect(await preview.getAttribute("alt")).toBe("התמונה שנבחרה: צילום הכניסה לבניין");
    await question.scrollIntoViewIfNeeded();
    await expectAccessible(page, "field form with a photo, offline (he, 360)");
    await shot(page, "field-form-photo-offline-he-360");

    await page.getByTestId("field-form-submit").click();
    await page.getByTestId("field-form-count").waitFor();
    await expect.poll(() => told(page)).toContain("ממתינים לשליחה: 1");
    // The photo itself waits on the device with the answer.
    expect(await keptPhotos(page)).toBe(1);
    expect((await dataset(formId)).total).toBe(0);

    await context.setOffline(false);
    await expect.poll(() => tone(page), { timeout: 20_000 }).toBe("synced");
    await expect.poll(() => keptPhotos(page)).toBe(0);
    const after = await dataset(formId);
    expect(after.total).toBe(1);
    const photoId = after.items[0]?.answers.entrance;
    expect(photoId).toMatch(/^[0-9a-f-]{36}$/);
    const file = await manager.api.get(`/api/forms/${formId}/photos/${String(photoId)}`, {
      headers: { "x-kaveret-scope": manager.scope },
    });
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toBe("image/jpeg");
    const stored = await file.body();
    expect(stored.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(stored.includes(Buffer.from("GPSLatitude"))).toBe(false);
    await context.close();

    // The manager sees it in the answers, on a phone.
    const office = await phone({ serviceWorkers: "block" });
    await signIn(office.page, MANAGER);
    await office.page.goto(`/forms/${formId}?tab=responses`);
    const thumb = office.page.getByTestId("answer-photo").locator("img");
    await thumb.waitFor();
    // The small version the server made (320 px), not the photo itself.
    await expect
      .poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBe(320);
    expect(await thumb.getAttribute("src")).toContain("size=thumb");
    expect(await office.page.getByTestId("answer-photo").getAttribute("aria-label")).toBe(
      "פתיחת התמונה: צילום הכניסה לבניין",
    );
    // From the keyboard: the thumbnail opens the whole photo in a dialog; Escape closes it.
    await office.page.getByTestId("answer-photo").focus();
    await office.page.keyboard.press("Enter");
    const whole = office.page.getByRole("dialog").getByRole("img", {
      name: "צילום הכניסה לבניין",
    });
    await whole.waitFor();
    await expect
      .poll(() => whole.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBe(480);
    await office.page.keyboard.press("Escape");
    await office.page.getByRole("dialog").waitFor({ state: "detached" });
    await expect
      .poll(() =>
        office.page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? ""),
      )
      .toBe("answer-photo");
    await expectAccessible(office.page, "form responses with a photo (he, 360)");
    await shot(office.page, "form-responses-photo-he-360");
    await office.page.getByTestId("tab-analysis").click();
    const analysed = office.page.getByTestId("analysis-entrance").getByTestId("answer-photo");
    await analysed.locator("img").waitFor();
    await shot(office.page, "form-analysis-photo-he-360");

    // By the survey's public link, no account: the photo goes first, then the answer.
    const resident = await phone({ serviceWorkers: "block" });
    await resident.page.goto(`/s/${formId}`);
    await resident.page.getByRole("heading", { level: 1, name: title }).waitFor();
    await answer(resident.page, "2", "טובה", "");
    const [picker] = await Promise.all([
      resident.page.waitForEvent("filechooser"),
      resident.page.getByTestId("q-entrance").getByTestId("photo-pick").click(),
    ]);
    await picker.setFiles({ name: "door.jpg", mimeType: "image/jpeg", buffer: photo });
    await resident.page.getByTestId("q-entrance").getByTestId("photo-preview").waitFor();
    await resident.page.getByTestId("survey-submit").click();
    await resident.page.getByTestId("survey-thanks").waitFor();
    const both = await dataset(formId);
    expect(both.total).toBe(2);
    const byLink = both.items.find((i) => i.channel === "link");
    const linked = await manager.api.get(
      `/api/forms/${formId}/photos/${String(byLink?.answers.entrance)}`,
      { headers: { "x-kaveret-scope": manager.scope } },
    );
    expect(linked.status()).toBe(200);
    await resident.context.close();
    await office.context.close();
  });

  it("photos inside a repeat show to staff as thumbnails, named by entry; the export links them", async () => {
    const title = "סקר דלת לדלת — מצב החדרים";
    const formId = await openSurvey(title, ROOMS_SURVEY);
    const office = await phone({ serviceWorkers: "block" });
    const photo = await cameraPhoto(office.page);
    const headers = { "x-kaveret-scope": manager.scope, "content-type": "image/jpeg" };
    const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    for (const id of ids) {
      const put = await manager.api.put(`/api/forms/${formId}/photos/${id}`, {
        headers,
        data: photo,
      });
      expect(put.status(), await put.text()).toBe(200);
    }
    const sent = await manager.api.post(`/api/forms/${formId}/responses`, {
      headers: { "x-kaveret-scope": manager.scope },
      data: {
        id: crypto.randomUUID(),
        channel: "face_to_face",
        answers: {
          address: "הגפן 12",
          entrance: ids[0],
          rooms: [
            { room_name: "סלון", room_photo: ids[1] },
            { room_name: "מטבח", room_photo: ids[2] },
          ],
        },
      },
    });
    expect(sent.status(), await sent.text()).toBe(201);

    await signIn(office.page, MANAGER);
    await office.page.goto(`/forms/${formId}?tab=responses`);
    const nested = office.page.getByTestId("nested-photos").getByTestId("answer-photo");
    await nested.first().waitFor();
    expect(await nested.count()).toBe(2);
    expect(await nested.nth(1).getAttribute("aria-label")).toBe(
      "פתיחת התמונה: צילום החדר, רשומה 2",
    );
    const second = nested.nth(1).locator("img");
    await second.scrollIntoViewIfNeeded();
    await expect
      .poll(() => second.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBe(320);
    await expect
      .poll(() => office.page.evaluate(() => document.body.innerText))
      .not.toContain(ids[1]);
    await expectAccessible(office.page, "form responses with photos in a repeat (he, 360)");
    await shot(office.page, "form-responses-repeat-photos-he-360");
    await nested.nth(1).click();
    await office.page
      .getByRole("dialog", { name: "צילום החדר, רשומה 2" })
      .getByRole("img", { name: "צילום החדר, רשומה 2" })
      .waitFor();
    await expectAccessible(office.page, "a survey photo in its dialog (he, 360)");
    await shot(office.page, "form-photo-dialog-he-360");
    await office.page.keyboard.press("Escape");
    await office.page.getByRole("dialog").waitFor({ state: "detached" });

    // Making a need from the answer shows all its photos, the repeat's too.
    await office.page.getByTestId("response-need").click();
    const ofAnswer = office.page.getByRole("region", { name: "התמונות בתשובה" });
    await ofAnswer.getByTestId("answer-photo").first().waitFor();
    expect(await ofAnswer.getByTestId("answer-photo").count()).toBe(3);
    await shot(office.page, "form-need-from-answer-photos-he-360");
    await office.page.keyboard.press("Escape");
    await office.page.getByRole("dialog").waitFor({ state: "detached" });

    await office.page.getByTestId("tab-analysis").click();
    const analysed = office.page.getByTestId("analysis-room_photo").getByTestId("answer-photo");
    await analysed.first().locator("img").waitFor();
    expect(await analysed.count()).toBe(2);
    await shot(office.page, "form-analysis-repeat-photos-he-360");

    const csv = await manager.api.get(`/api/forms/${formId}/responses/export?format=csv`, {
      headers: { "x-kaveret-scope": manager.scope },
    });
    expect(csv.status()).toBe(200);
    const body = await csv.text();
    for (const id of ids) expect(body).toContain(`/api/forms/${formId}/photos/${id}?scope=`);
    await office.context.close();
  });

  it("the field pages pass axe in Hebrew and English; the sync page in Arabic", async () => {
    const { context, page } = await phone();
    await signIn(page, WORKER);
    await page.goto("/field/sync");
    await page.getByRole("heading", { level: 1 }).waitFor();
    await expect.poll(() => tone(page)).toBe("synced");
    await expectAccessible(page, "field sync (he, 360)");
    await shot(page, "field-sync-he-360");
    await indicator(page).click();
    const dialog = page.getByRole("dialog", { name: "מצב סנכרון" });
    await dialog.getByTestId("sync-retry").waitFor();
    await expect.poll(() => dialog.evaluate((el) => getComputedStyle(el).opacity)).toBe("1");
    await expect.poll(() => dialog.innerText()).toContain("סנכרון אחרון: ממש עכשיו");
    await shot(page, "field-sync-status-he-360");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });

    await page.getByTestId("lang-switch").selectOption("ar");
    await expectDirection(page, "rtl", "ar");
    await page.getByRole("heading", { level: 1, name: "تغييرات بانتظار قرار" }).waitFor();
    await expectAccessible(page, "field sync (ar, 360)");
    await shot(page, "field-sync-ar-360");
    await page.goto("/field");
    await page.getByRole("heading", { level: 1, name: "العمل الميداني" }).waitFor();
    await expect.poll(() => tone(page)).toBe("synced");
    await shot(page, "field-ar-360");

    await page.getByTestId("lang-switch").selectOption("en");
    await expectDirection(page, "ltr", "en");
    await page.getByRole("heading", { level: 1, name: "Field work" }).waitFor();
    await expectAccessible(page, "field work (en, 360)");
    await page.goto("/field/sync");
    await page.getByRole("heading", { level: 1 }).waitFor();
    await expectAccessible(page, "field sync (en, 360)");
    await context.close();
  });
});
