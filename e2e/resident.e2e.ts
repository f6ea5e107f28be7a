import { describe, expect, it } from "vitest";
import {
  PHONE,
  expectAccessible,
  expectDirection,
  lastMessageTo,
  newContext,
  shot,
  useBrowser,
} from "./support.ts";

/** Journey: a resident signs in with a one-time code delivered to the local outbox. */

const browser = useBrowser();

describe("resident journey", () => {
  it("signs in with a code by e-mail", async () => {
    const context = await newContext(browser(), PHONE);
    const page = await context.newPage();
    await page.goto("/resident/signin");
    await expectDirection(page, "rtl", "he");
    await page.getByRole("heading", { name: "כניסה לתושבים" }).waitFor();
    await expectAccessible(page, "resident sign-in (he)");
    await shot(page, "resident-signin-he-360");

    await page.getByLabel("כתובת דוא״ל").fill("resident@demo.kaveret.test");
    await page.getByRole("button", { name: "שליחת קוד" }).click();
    await page.getByLabel("הקוד שקיבלת").waitFor();
    const message = await lastMessageTo("resident@demo.kaveret.test");
    const code = /(\d{6})/.exec(message.body)?.[1];
    expect(code).toBeTruthy();
    await page.getByLabel("הקוד שקיבלת").fill(code!);
    await page.getByRole("button", { name: "כניסה", exact: true }).click();
    await page.getByRole("heading", { name: /שלום/ }).waitFor();
    await expectAccessible(page, "resident home (he)");
    await shot(page, "resident-home-he-360");
    await context.close();
  });

  it("offers the resident screen in Russian and Amharic, left to right", async () => {
    const context = await newContext(browser(), PHONE);
    const page = await context.newPage();
    await page.goto("/resident/signin");
    await page.getByTestId("lang-switch").selectOption("ru");
    await expectDirection(page, "ltr", "ru");
    await expectAccessible(page, "resident sign-in (ru)");
    await page.getByTestId("lang-switch").selectOption("am");
    await expectDirection(page, "ltr", "am");
    await expectAccessible(page, "resident sign-in (am)");
    await shot(page, "resident-signin-am-360");
    await context.close();
  });
});
