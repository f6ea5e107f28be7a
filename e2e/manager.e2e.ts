import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  DESKTOP,
  PHONE,
  demoPassword,
  expectAccessible,
  expectDirection,
  lastMessageTo,
  newContext,
  shot,
  useBrowser,
} from "./support.ts";

/**
 * Journey: a manager signs in (Hebrew, phone width), creates a neighbourhood
 * and a building under it, invites a community worker, switches to Arabic and
 * English, and signs out; the invited worker accepts the invitation.
 */

const browser = useBrowser();

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("דוא״ל").fill(email);
  await page.locator("input[name=password]").fill(password);
  await page.getByRole("button", { name: "כניסה", exact: true }).click();
}

async function openNav(page: Page, name: string) {
  const toggle = page.getByRole("button", { name: "פתיחת התפריט" });
  if (await toggle.isVisible()) await toggle.click();
  await page.getByRole("navigation").getByRole("link", { name }).click();
}

describe("manager journey", () => {
  it("signs in, builds communities, invites a worker, changes language, signs out", async () => {
    const context = await newContext(browser(), PHONE);
    const page = await context.newPage();

    await page.goto("/signin");
    await expectDirection(page, "rtl", "he");
    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: "כניסה לצוות" }).isVisible())
      .toBe(true);
    await expectAccessible(page, "sign-in (he)");
    await shot(page, "signin-he-360");

    await signIn(page, "manager@demo.kaveret.test", demoPassword());
    // The account remembers its last language (another journey may have changed it).
    await page.getByTestId("lang-switch").selectOption("he");
    await page.getByRole("heading", { level: 1, name: "ראשי" }).waitFor();
    await page.getByText("במבט מהיר").waitFor();
    await expectAccessible(page, "home (he)");
    await shot(page, "home-he-360");

    // The manager leads two departments: work in Ein Hadar.
    const scope = page.getByTestId("scope-switch");
    if (await scope.isVisible()) {
      await scope.selectOption({ label: "המחלקה לשירותים חברתיים עין הדר" }).catch(async () => {
        await scope.click();
        await page.getByRole("option", { name: "המחלקה לשירותים חברתיים עין הדר" }).click();
      });
    }

    await openNav(page, "קהילות");
    await page.getByRole("heading", { level: 1, name: "קהילות" }).waitFor();
    await page.getByTestId("community-row").first().waitFor();
    await expectAccessible(page, "communities (he)");
    await shot(page, "communities-he-360");

    await page.getByLabel("חיפוש לפי שם").fill("עין הדר");
    await page.getByRole("link", { name: "עין הדר", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "עין הדר" }).waitFor();
    await page
      .getByRole("link", { name: "הוספת קהילה בתוכה" })
      .or(page.getByRole("button", { name: "הוספת קהילה בתוכה" }))
      .first()
      .click();

    await page.getByRole("heading", { level: 1, name: "קהילה חדשה" }).waitFor();
    await page.getByLabel("שם הקהילה").fill("גני הדר");
    await expectAccessible(page, "new community form (he)");
    await shot(page, "community-new-he-360");
    await page.getByRole("button", { name: "יצירת הקהילה" }).click();
    await page.getByRole("heading", { level: 1, name: "גני הדר" }).waitFor();
    await expect.poll(() => page.getByText("שכונה").first().isVisible()).toBe(true);
    await expectAccessible(page, "community page (he)");
    await shot(page, "community-he-360");

    // A building directly under the new neighbourhood.
    await page
      .getByRole("link", { name: "הוספת קהילה בתוכה" })
      .or(page.getByRole("button", { name: "הוספת קהילה בתוכה" }))
      .first()
      .click();
    await page.getByRole("heading", { level: 1, name: "קהילה חדשה" }).waitFor();
    await page.getByRole("combobox", { name: /רמה/ }).selectOption({ label: "בניין" });
    await page.getByLabel("שם הקהילה").fill("הדקל 4");
    await page.getByRole("button", { name: "יצירת הקהילה" }).click();
    await page.getByRole("heading", { level: 1, name: "הדקל 4" }).waitFor();
    await expect.poll(() => page.getByText("גני הדר").first().isVisible()).toBe(true);

    // Invite a community worker to the new neighbourhood.
    await openNav(page, "צוות");
    await page.getByRole("heading", { level: 1, name: "צוות" }).waitFor();
    await page.getByText("מיכל לוי").first().waitFor();
    await expectAccessible(page, "team (he)");
    await shot(page, "team-he-360");
    await page.getByRole("button", { name: "הזמנה לצוות" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("שם מלא").fill("ליאת מזרחי");
    await dialog.getByLabel("דוא״ל").fill("liat@example.org");
    await dialog.getByRole("combobox", { name: /תפקיד/ }).selectOption({ label: "עו״ס קהילתי/ת" });
    await dialog.getByLabel(/^קהילות/).fill("גני");
    await page.getByRole("option", { name: "גני הדר" }).click();
    // Close the options list before checking the dialog.
    await dialog.getByRole("heading").first().click();
    await expect.poll(() => page.getByRole("listbox").isVisible()).toBe(false);
    await expectAccessible(page, "invite dialog (he)");
    await dialog.getByRole("button", { name: "שליחת הזמנה" }).click();
    await page.getByText("ההזמנה נשלחה אל liat@example.org").waitFor();
    await page.getByText("liat@example.org").first().waitFor();

    // Arabic, then English: direction and language flip.
    await page.getByTestId("lang-switch").selectOption("ar");
    await expectDirection(page, "rtl", "ar");
    await page
      .getByRole("heading", { level: 1, name: "الطاقم" })
      .or(page.getByRole("heading", { level: 1 }))
      .first()
      .waitFor();
    await expectAccessible(page, "team (ar)");
    await shot(page, "team-ar-360");
    await page.setViewportSize(DESKTOP);
    await shot(page, "team-ar-desktop");
    await page.getByTestId("lang-switch").selectOption("en");
    await expectDirection(page, "ltr", "en");
    await page.getByRole("heading", { level: 1, name: "Team" }).waitFor();
    await expectAccessible(page, "team (en)");
    await shot(page, "team-en-desktop");
    await page.goto("/communities");
    await page.getByTestId("community-row").first().waitFor();
    await expectDirection(page, "ltr", "en");
    await expectAccessible(page, "communities (en)");
    await shot(page, "communities-en-desktop");

    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page
      .getByRole("heading", { level: 1, name: "Staff sign-in" })
      .or(page.getByRole("button", { name: "Sign in" }))
      .first()
      .waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/signin");
    await context.close();

    // The invited worker accepts and lands in the app.
    const invite = await lastMessageTo("liat@example.org");
    const link = /https?:\/\/\S+\/invite\/[\w-]+/.exec(invite.body)?.[0];
    expect(link).toBeTruthy();
    const workerContext = await newContext(browser(), PHONE);
    const worker = await workerContext.newPage();
    await worker.evaluate(() => localStorage.clear()).catch(() => undefined);
    await worker.goto(new URL(link!).pathname);
    await worker.getByRole("heading", { level: 1, name: "הצטרפות לכוורת" }).waitFor();
    await expectAccessible(worker, "invitation (he)");
    await shot(worker, "invite-he-360");
    await worker.getByLabel("בחירת סיסמה").fill("a long and memorable passphrase");
    await worker.getByRole("button", { name: "הצטרפות" }).click();
    await worker.getByRole("heading", { level: 1, name: "ראשי" }).waitFor();
    await workerContext.close();
  });
});
