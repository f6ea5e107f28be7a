import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, inject } from "vitest";

export const baseURL = () => inject("baseURL");
export const demoPassword = () => inject("demoPassword");
export const SCREENSHOTS = resolve(import.meta.dirname, "screenshots");
mkdirSync(SCREENSHOTS, { recursive: true });

export const PHONE = { width: 360, height: 760 };
export const DESKTOP = { width: 1280, height: 860 };

/** Debian's Chromium (no browser downloads here); CHROMIUM_PATH to use another. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newContext(browser: Browser, viewport = PHONE): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: baseURL(),
    viewport,
    locale: "he-IL",
    timezoneId: "Asia/Jerusalem",
  });
}

/** axe-core on the page as it stands: zero violations (WCAG 2.1 AA rules). */
export async function expectAccessible(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const summary = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes
        .map((n) => n.target.join(" "))
        .slice(0, 3)
        .join(" | ")}`,
  );
  expect(summary, `axe violations on ${label}`).toEqual([]);
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The newest message the local transport delivered to `to` (the dev outbox API). */
export async function lastMessageTo(to: string): Promise<{ subject: string | null; body: string }> {
  const res = await fetch(`${baseURL()}/api/dev/outbox`);
  const { items } = (await res.json()) as {
    items: { to: string; subject: string | null; body: string }[];
  };
  const found = items.find((m) => m.to === to);
  if (!found) throw new Error(`no message to ${to}`);
  return found;
}

export async function expectDirection(page: Page, dir: "rtl" | "ltr", lang: string) {
  await expect
    .poll(() => page.evaluate(() => [document.documentElement.dir, document.documentElement.lang]))
    .toEqual([dir, lang]);
}

/**
 * Signs in with the demo password and switches the page to `locale`. The account remembers
 * its last language (the demo worker's is Arabic) and the page switches to it after sign-in:
 * wait for that first, or it overrides the choice made while it loads.
 */
export async function signIn(page: Page, email: string, locale: "he" | "ar" | "en" = "he") {
  await page.goto("/signin");
  await page.locator("input[name=email]").fill(email);
  await page.locator("input[name=password]").fill(demoPassword());
  await page.locator("form button[type=submit]").click();
  await page.getByTestId("user-menu").waitFor();
  const me = (await (await page.request.get("/api/me")).json()) as { user: { locale: string } };
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(me.user.locale);
  await page.getByTestId("lang-switch").selectOption(locale);
  await expectDirection(page, locale === "en" ? "ltr" : "rtl", locale);
}

/** No loading state left on the page (busy regions, loaders). */
export async function settled(page: Page) {
  await expect
    .poll(() => page.locator('[aria-busy="true"], .mantine-Loader-root').count(), {
      timeout: 20_000,
    })
    .toBe(0);
}

/** One Chromium for the file: launched before its tests, closed after. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => browser?.close());
  return () => {
    if (!browser) throw new Error("the browser is not running");
    return browser;
  };
}

/**
 * Text as the page shows it, where names inside a sentence are wrapped in invisible
 * Unicode isolates (U+2066–U+2069, so a Hebrew name keeps its place in an Arabic or English
 * sentence): the whole line, exactly, with those marks allowed anywhere.
 */
export function isolatedText(text: string): RegExp {
  const mark = "[\\u2066-\\u2069]*";
  const chars = [...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${mark}${chars.join(mark)}${mark}$`);
}
