import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  DESKTOP,
  PHONE,
  expectAccessible,
  newContext,
  shot,
  useBrowser,
  settled,
  signIn,
} from "./support.ts";

/**
 * Journey 1 (SPEC §3): a community worker opens a neighbourhood — map with its
 * boundary, assets and the residents they may see, profile figures, people,
 * sub-communities and recent activity — at phone width in Hebrew and on a
 * desktop; finds a resident and opens the record; an activist sees contact details of
 * consenting members only.
 */

const browser = useBrowser();

async function openNeighbourhood(page: Page, name: string) {
  await page.goto("/communities");
  await page.getByLabel("חיפוש לפי שם").fill(name);
  // The search applies after a pause and redraws the list: a click before that hits a row
  // that is then replaced, and nothing opens.
  await page.waitForURL(/[?&]q=/);
  await settled(page);
  await page.getByRole("link", { name, exact: true }).first().click();
  await page.waitForURL(/\/communities\/[0-9a-f-]{36}/);
  await page.getByRole("heading", { level: 1, name }).waitFor();
  for (const section of ["נתוני הקהילה", "תושבים", "נכסים קהילתיים", "פעילות אחרונה"]) {
    await page.getByRole("heading", { level: 2, name: section }).first().waitFor();
  }
  await page.getByTestId("map-view").first().waitFor();
  await settled(page);
}

describe("journey 1: a community worker knows the community", () => {
  it("opens the neighbourhood page on a phone and on a desktop", async () => {
    const context = await newContext(browser(), PHONE);
    const page = await context.newPage();
    await signIn(page, "worker@demo.kaveret.test");

    await openNeighbourhood(page, "נווה שלום");
    // Profile figures from the statistical-area data, and people the worker may see.
    await expect.poll(() => page.getByText("מספר תושבים").count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole("link", { name: /התושבים/ }).count()).toBeGreaterThan(0);
    await expectAccessible(page, "community page (he, 360)");
    await shot(page, "community-he-360");

    await page.setViewportSize(DESKTOP);
    await settled(page);
    await shot(page, "community-he-1280");
    await context.close();
  });

  it("finds a resident by name and opens the record", async () => {
    const context = await newContext(browser(), PHONE);
    const page = await context.newPage();
    await signIn(page, "worker@demo.kaveret.test");

    await page.goto("/residents");
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.getByTestId("resident-row").first().waitFor();
    await expectAccessible(page, "residents (he, 360)");
    await shot(page, "residents-he-360");

    // (Cross-script and typo-tolerant matching is covered by the server's search tests.)
    const first = page.getByTestId("resident-row").first();
    const name = (await first.locator("a").first().innerText()).trim();
    await page
      .getByRole("searchbox")
      .or(page.getByLabel("חיפוש", { exact: true }))
      .first()
      .fill(name);
    await settled(page);
    await expect.poll(() => page.getByTestId("resident-row").count()).toBeGreaterThan(0);
    await page.getByTestId("resident-row").first().locator("a").first().click();
    await page.getByRole("heading", { level: 1 }).waitFor();
    await settled(page);
    await expectAccessible(page, "resident (he, 360)");
    await shot(page, "resident-he-360");
    await context.close();
  });

  it("shows the map of the department with layers and a legend", async () => {
    const context = await newContext(browser(), DESKTOP);
    const page = await context.newPage();
    await signIn(page, "worker@demo.kaveret.test");
    await page.goto("/map");
    await page.getByTestId("map-view").first().waitFor();
    await settled(page);
    await expectAccessible(page, "map (he, 1280)");
    await shot(page, "map-he-1280");
    await context.close();
  });

  it("gives an activist only the name and contact of members who agreed", async () => {
    const context = await newContext(browser(), PHONE);
    const page = await context.newPage();
    await signIn(page, "activist@demo.kaveret.test");
    await page.goto("/residents");
    await page
      .getByText(/מוצגים כאן השם ופרטי הקשר/)
      .first()
      .waitFor();
    await page.getByTestId("resident-row").first().waitFor();
    // No vulnerability, address or filters for contact-only readers.
    expect(await page.getByText("פגיעוּת").count()).toBe(0);
    await expectAccessible(page, "residents, activist (he, 360)");
    await shot(page, "residents-activist-he-360");
    await context.close();
  });
});
