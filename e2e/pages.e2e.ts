import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  DESKTOP,
  PHONE,
  demoPassword,
  expectAccessible,
  expectDirection,
  newContext,
  shot,
  useBrowser,
} from "./support.ts";

/** Every staff page, in Hebrew and Arabic (RTL, phone) and English (LTR, desktop): axe finds nothing. */

const browser = useBrowser();

const LOCALES = [
  { locale: "he", dir: "rtl", viewport: PHONE },
  { locale: "ar", dir: "rtl", viewport: PHONE },
  { locale: "en", dir: "ltr", viewport: DESKTOP },
] as const;

async function signInAsManager(page: Page) {
  await page.goto("/signin");
  await page.locator("input[name=email]").fill("manager@demo.kaveret.test");
  await page.locator("input[name=password]").fill(demoPassword());
  await page.locator("form button[type=submit]").click();
  await page.getByTestId("user-menu").waitFor();
}

describe("every staff page is accessible", () => {
  for (const { locale, dir, viewport } of LOCALES) {
    it(`in ${locale} (${dir})`, async () => {
      const context = await newContext(browser(), viewport);
      const page = await context.newPage();
      await signInAsManager(page);
      await page.getByTestId("lang-switch").selectOption(locale);
      await expectDirection(page, dir, locale);

      const list = await page.request.get("/api/communities?level=town");
      const townId = ((await list.json()) as { items: { id: string }[] }).items[0]!.id;
      const needs = await page.request.get("/api/needs?pageSize=1");
      const needId = ((await needs.json()) as { items: { id: string }[] }).items[0]!.id;
      const pages = [
        "/",
        "/communities",
        `/communities/${townId}`,
        "/communities/new",
        "/residents",
        "/residents/new",
        "/residents/duplicates",
        "/assets",
        "/assets/new",
        "/map",
        "/imports",
        "/imports/new?entity=residents",
        "/needs",
        `/needs/${needId}`,
        "/needs/new",
        "/needs/settings",
        "/broadcasts",
        "/broadcasts/new",
        "/forms",
        "/field",
        "/field/sync",
        "/team",
        "/audit",
        "/security/two-factor",
        "/dev/outbox",
        "/no-such-page",
      ];
      for (const path of pages) {
        await page.goto(path);
        await expectDirection(page, dir, locale);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        // Wait for data to replace the loading state.
        await expect
          .poll(() => page.locator('[aria-busy="true"], .mantine-Loader-root').count())
          .toBe(0);
        await expectAccessible(page, `${path} (${locale})`);
        if (path === "/audit" || path === "/team")
          await shot(page, `${path.slice(1)}-${locale}-${viewport.width}`);
      }
      // Leave the account in Hebrew for the other journeys.
      await page.getByTestId("lang-switch").selectOption("he");
      await expectDirection(page, "rtl", "he");
      await context.close();
    });
  }
});
