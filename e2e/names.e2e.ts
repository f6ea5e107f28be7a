import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { request, type Page } from "playwright-core";
import {
  PHONE,
  SCREENSHOTS,
  baseURL,
  demoPassword,
  expectAccessible,
  expectDirection,
  newContext,
  shot,
  useBrowser,
} from "./support.ts";

/**
 * The department's name in the residents' language (issue 4): the report page and the area
 * alerts page name the department — and the alerts list its neighbourhoods — in the page's
 * language, else in Hebrew; a manager names the department in other languages on the team page.
 */

const browser = useBrowser();

const DEPARTMENT = "המחלקה לשירותים חברתיים עין הדר";
const MANAGER = "manager@demo.kaveret.test";
const NAMES = {
  ar: "قسم الخدمات الاجتماعية في عين هدار",
  en: "Ein Hadar Social Services Department",
  ru: "Отдел социальных служб Эйн-Хадар",
  am: "የዔይን ሃዳር የማኅበራዊ አገልግሎቶች ክፍል",
};

let departmentId: string;
/** The pages load their language's texts first; a busy machine takes a while. */
const SLOW = { timeout: 20_000 };

beforeAll(async () => {
  const api = await request.newContext({
    baseURL: baseURL(),
    extraHTTPHeaders: { origin: baseURL() },
  });
  try {
    const signIn = await api.post("/api/auth/sign-in/email", {
      data: { email: MANAGER, password: demoPassword() },
    });
    expect(signIn.ok()).toBe(true);
    const me = (await (await api.get("/api/me")).json()) as {
      scopes: { name: string; departmentId: string | null }[];
    };
    const id = me.scopes.find((s) => s.name === DEPARTMENT)?.departmentId;
    if (!id) throw new Error(`the manager has no scope in ${DEPARTMENT}`);
    departmentId = id;
  } finally {
    await api.dispose();
  }
});

const headerName = (page: Page) =>
  page.getByTestId("public-department-name").evaluate((el) => el.textContent);

describe("the department's name in the residents' language", () => {
  it("on the report page: Arabic and Amharic, isolated in the header", async () => {
    const context = await newContext(browser(), PHONE);
    const page = await context.newPage();
    for (const [locale, dir] of [
      ["ar", "rtl"],
      ["am", "ltr"],
    ] as const) {
      await page.goto(`/report/${departmentId}?lang=${locale}`);
      await page.getByTestId("report-submit").waitFor();
      // The page opens in Hebrew and switches once the language's texts are loaded.
      await expect.poll(() => headerName(page), SLOW).toBe(NAMES[locale]);
      await expectDirection(page, dir, locale);
      expect(await page.getByTestId("public-department-name").locator("bdi").count()).toBe(1);
      expect(await page.title()).toContain(NAMES[locale]);
      await expectAccessible(page, `report page (${locale}, 360)`);
      await shot(page, `names-report-${locale}-360`);
    }
    await context.close();
  });

  it("on the area alerts page in Russian: the department and the neighbourhoods", async () => {
    const context = await newContext(browser(), PHONE);
    const page = await context.newPage();
    await page.goto(`/alerts/${departmentId}?lang=ru`);
    await expect.poll(() => headerName(page), SLOW).toBe(NAMES.ru);
    await expectDirection(page, "ltr", "ru");
    // The list of places names them in Russian (the demo has Russian names for them).
    await page.getByLabel("Район").waitFor();
    const places = await page.getByLabel("Район").locator("option").allTextContents();
    expect(places).toContain("Ха-Гефен");
    expect(places.join(" ")).not.toContain("שכונת הגפן");
    await expectAccessible(page, "area alerts (ru, 360)");
    await shot(page, "names-alerts-ru-360");
    await context.close();
  });

  it("a manager names the department in other languages; the pages follow", async () => {
    const context = await newContext(browser(), PHONE);
    const page = await context.newPage();
    await page.goto("/signin");
    await page.locator("input[name=email]").fill(MANAGER);
    await page.locator("input[name=password]").fill(demoPassword());
    await page.locator("form button[type=submit]").click();
    await page.getByTestId("user-menu").waitFor();
    const me = (await (await page.request.get("/api/me")).json()) as {
      user: { locale: string };
      scopes: { id: string; name: string }[];
    };
    await expect
      .poll(() => page.evaluate(() => document.documentElement.lang))
      .toBe(me.user.locale);
    await page.getByTestId("lang-switch").selectOption("he");
    await expectDirection(page, "rtl", "he");
    const scope = page.getByTestId("scope-switch");
    if (await scope.isVisible()) {
      await scope.selectOption({ label: DEPARTMENT }).catch(async () => {
        await scope.click();
        await page.getByRole("option", { name: DEPARTMENT }).click();
      });
    }

    await page.goto("/team");
    const card = page.getByTestId("department-names");
    await card.getByRole("heading", { name: "שם המחלקה בשפות נוספות" }).waitFor();
    await expect
      .poll(() => card.getByTestId("department-name-ru").inputValue(), SLOW)
      .toBe(NAMES.ru);

    // Too long: refused on the page, with the field's own message; nothing sent.
    await card.getByTestId("department-name-en").fill("E".repeat(201));
    await card.getByRole("button", { name: "שמירת השמות" }).click();
    await card.getByText("עד 200 תווים").waitFor();
    await card.getByTestId("department-name-en").fill("Ein Hadar Welfare");
    await expect.poll(() => card.getByText("עד 200 תווים").count()).toBe(0);
    await card.getByTestId("department-name-am").fill("");
    await card.getByTestId("department-name-en").scrollIntoViewIfNeeded();
    await expectAccessible(page, "team: department names (he, 360)");
    await shot(page, "names-settings-he-360");
    await card.screenshot({ path: join(SCREENSHOTS, "names-settings-card-he-360.png") });
    await card.getByRole("button", { name: "שמירת השמות" }).click();
    await page.getByText("שמות המחלקה נשמרו").waitFor();

    // The residents' pages follow: English as saved; Amharic falls back to Hebrew.
    const resident = await newContext(browser(), PHONE);
    const report = await resident.newPage();
    await report.goto(`/report/${departmentId}?lang=en`);
    await expect.poll(() => headerName(report), SLOW).toBe("Ein Hadar Welfare");
    await report.goto(`/report/${departmentId}?lang=am`);
    await expect.poll(() => report.evaluate(() => document.documentElement.lang), SLOW).toBe("am");
    await expect.poll(() => headerName(report), SLOW).toBe(DEPARTMENT);
    await resident.close();

    // Leave the demo as it was for the other journeys.
    const put = await page.request.patch("/api/department/names", {
      data: { altNames: { en: NAMES.en, am: NAMES.am } },
      headers: {
        origin: baseURL(),
        "x-kaveret-scope": me.scopes.find((x) => x.name === DEPARTMENT)!.id,
      },
    });
    expect(put.status()).toBe(200);
    await context.close();
  });
});
