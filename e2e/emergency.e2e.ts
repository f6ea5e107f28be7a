import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Broadcast, Emergency, EmergencyModeResponse } from "@kaveret/contracts";
import {
  DESKTOP,
  PHONE,
  SCREENSHOTS,
  baseURL,
  expectAccessible,
  expectDirection,
  newContext,
  shot,
  useBrowser,
  settled,
  signIn,
} from "./support.ts";

/**
 * Journey 5 (SPEC §3): the manager switches a neighbourhood to emergency in one step; the
 * vulnerable residents' call list is generated from routine data and split among a worker
 * and a volunteer; the volunteer works through their calls on a phone — one without a
 * connection — ("not reached", "needs help"); a resident answers "I need help" in Arabic on
 * their own status page; the board follows it all live; back in routine, the open help
 * requests are needs in the queue. Then, from the board's "Message residents": the compose
 * page tied to the emergency (its communities, the emergency-contact consent, urgent), dry
 * run, confirm, the broadcast done, an SMS with each resident's own status link in the local
 * outbox; a resident answers through it and the board shows it. Axe on the board, the calls,
 * the compose page and the status page, he and en.
 */

const browser = useBrowser();

const DEPARTMENT = "המחלקה לשירותים חברתיים עין הדר";
const HOOD = "נווה שלום";
const MANAGER = "manager@demo.kaveret.test";
const VOLUNTEER = "volunteer@demo.kaveret.test";
const WORKER = "worker@demo.kaveret.test";

/** The department's scope header (the manager holds two departments). */
async function scopeOf(page: Page): Promise<Record<string, string>> {
  const me = (await (await page.request.get("/api/me")).json()) as {
    scopes: { id: string; name: string }[];
  };
  const scope = me.scopes.find((s) => s.name === DEPARTMENT);
  if (!scope) throw new Error(`no scope in ${DEPARTMENT}`);
  return { "X-Kaveret-Scope": scope.id };
}

const count = (page: Page, key: string) =>
  page.getByTestId(`count-${key}`).getByTestId("count-value").innerText();

describe("journey 5: emergency in a neighbourhood, back to routine", () => {
  it("declares, splits the calls, works them on a phone, hears from a resident, closes", async () => {
    /* The manager declares an emergency for נווה שלום, in one step. */
    const managerContext = await newContext(browser(), DESKTOP);
    const manager = await managerContext.newPage();
    await signIn(manager, MANAGER);
    const scope = await scopeOf(manager);
    await manager.goto("/emergency");
    await manager.getByRole("heading", { level: 1, name: "חירום" }).waitFor();
    await manager.getByTestId("declare-open").click();
    const declare = manager.getByRole("dialog", { name: "הכרזה על מצב חירום" });
    await declare.waitFor();
    await declare.getByLabel("סוג האירוע").selectOption("rocket_fire");
    await declare.getByLabel("רמת החירום").selectOption("3");
    await declare.getByRole("combobox", { name: "קהילות באזור האירוע" }).fill("נווה");
    await manager.getByRole("option", { name: new RegExp(`^${HOOD}`) }).click();
    // The list stays open for more choices; a click elsewhere in the dialog closes it.
    await declare.getByRole("heading", { name: "הכרזה על מצב חירום" }).click();
    await expect.poll(() => manager.getByRole("listbox").count()).toBe(0);
    await expectAccessible(manager, "declare dialog (he, 1280)");
    await declare.screenshot({ path: join(SCREENSHOTS, "emergency-declare-he-1280.png") });
    await declare.getByTestId("declare-next").click();
    const confirm = manager.getByRole("dialog", { name: "אישור ההכרזה" });
    await confirm.getByText(`קהילות: ${HOOD}`, { exact: false }).waitFor();
    await confirm.getByText(/יקבלו SMS/).waitFor();
    await confirm.getByTestId("declare-confirm").click();

    // Every screen says so; the board opens with the call list generated.
    const banner = manager.getByTestId("emergency-banner");
    await expect.poll(() => banner.getAttribute("data-mode")).toBe("emergency");
    expect(await banner.innerText()).toContain("חירום · ירי רקטות · רמה 3");
    await manager.getByRole("heading", { level: 2, name: "רשימת החיוג" }).waitFor();
    const pendingAtStart = Number(await count(manager, "pending"));
    expect(pendingAtStart).toBeGreaterThan(10);
    await expect
      .poll(() => manager.getByTestId("board-live").getAttribute("data-state"))
      .toBe("live");
    const mode = (await (
      await manager.request.get("/api/emergency/mode", { headers: scope })
    ).json()) as { emergency: { id: string } };
    const emergencyId = mode.emergency.id;

    /* The calls, split between the community worker and the volunteer. */
    const users = (await (
      await manager.request.get("/api/users?pageSize=100", { headers: scope })
    ).json()) as { items: { id: string; email: string }[] };
    const volunteerId = users.items.find((u) => u.email === VOLUNTEER)!.id;
    const workerId = users.items.find((u) => u.email === WORKER)!.id;
    await manager.getByTestId("assign-open").click();
    const assign = manager.getByRole("dialog", { name: "חלוקת שיחות" });
    await assign.getByTestId(`caller-${volunteerId}`).check();
    await assign.getByTestId(`caller-${workerId}`).check();
    await assign.getByTestId("assign-confirm").click();
    await assign.getByText(/^חולקו \d+ שיחות/).waitFor();
    await assign.getByRole("button", { name: "סגירה" }).last().click();
    await manager.getByRole("rowheader", { name: "אלנה פטרוב" }).waitFor();
    // A mark a reload would wipe: what follows must arrive live.
    await manager.evaluate(() => {
      (window as unknown as { kvNoReload?: boolean }).kvNoReload = true;
    });
    await settled(manager);
    await shot(manager, "emergency-board-he-1280");

    /* The volunteer, on a phone: their calls, highest risk first. */
    const volunteerContext = await newContext(browser(), PHONE);
    const volunteer = await volunteerContext.newPage();
    await signIn(volunteer, VOLUNTEER);
    await volunteer.getByTestId("emergency-banner").waitFor();
    await volunteer
      .getByTestId("emergency-banner")
      .getByRole("link", { name: "השיחות שלי" })
      .click();
    await volunteer.getByRole("heading", { level: 1, name: "השיחות שלי" }).waitFor();
    const cards = volunteer.getByTestId("calls-now").getByTestId("call-card");
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const ranks = await cards.evaluateAll((els) =>
      els.map((el) => Number(el.querySelector("[aria-label]")?.textContent?.replace("#", ""))),
    );
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    await settled(volunteer);
    await expectAccessible(volunteer, "my calls (he, 360)");
    await shot(volunteer, "emergency-calls-he-360");

    // No connection in the stairwell: "not reached" waits on the phone.
    const first = cards.first();
    const firstId = (await first.getAttribute("data-call"))!;
    await volunteerContext.setOffline(true);
    await volunteer.getByTestId("calls-offline").waitFor();
    await first.getByTestId("call-outcome").click();
    const outcome = volunteer.getByRole("dialog");
    await outcome.getByTestId("outcome-not_reached").click();
    await outcome.getByLabel("הערה (לא חובה)").fill("אין מענה, ננסה שוב");
    await expectAccessible(volunteer, "call outcome (he, 360)");
    await shot(volunteer, "emergency-outcome-he-360");
    await outcome.getByTestId("outcome-save").click();
    await volunteer.getByText("התוצאה נשמרה במכשיר ותישלח כשהחיבור יחזור").waitFor();
    const later = volunteer.getByTestId("calls-later").locator(`[data-call="${firstId}"]`);
    await later.getByTestId("call-pending").waitFor();
    await expect
      .poll(() => volunteer.getByTestId("sync-announce").innerText())
      .toContain("ממתינים לשליחה: 1");
    await shot(volunteer, "emergency-calls-offline-he-360");
    // Nothing reached the board yet.
    expect(await count(manager, "notReached")).toBe("0");

    // Back in coverage: it goes by itself.
    await volunteerContext.setOffline(false);
    await expect
      .poll(() => volunteer.getByTestId("sync-status").getAttribute("data-tone"), {
        timeout: 30_000,
      })
      .toBe("synced");
    await expect.poll(() => later.getByTestId("call-pending").count()).toBe(0);
    await expect.poll(() => count(manager, "notReached"), { timeout: 15_000 }).toBe("1");

    // The next one answers and needs help: food.
    const second = volunteer.getByTestId("calls-now").getByTestId("call-card").first();
    const secondId = (await second.getAttribute("data-call"))!;
    expect(secondId).not.toBe(firstId);
    await second.getByTestId("call-outcome").click();
    await outcome.getByTestId("outcome-reached_needs_help").click();
    await outcome.getByLabel("איזו עזרה נדרשת?").selectOption("food");
    await outcome.getByText("גבוהה", { exact: true }).click();
    await outcome.getByLabel("פרטים על העזרה (לא חובה)").fill("המקרר ריק, לא יוצאת מהבית");
    await outcome.getByTestId("outcome-save").click();
    await volunteer.getByText("התוצאה נשמרה", { exact: true }).waitFor();
    await expect.poll(() => count(manager, "reachedNeedsHelp"), { timeout: 15_000 }).toBe("1");
    await expect
      .poll(() => manager.getByTestId("board-help-open").innerText())
      .toMatch(/^1 פתוחות/);
    // Done calls leave the phone after the sync.
    await expect
      .poll(() => volunteer.locator(`[data-call="${secondId}"]`).count(), { timeout: 30_000 })
      .toBe(0);

    // The calls page in English passes axe too.
    await volunteer.getByTestId("lang-switch").selectOption("en");
    await expectDirection(volunteer, "ltr", "en");
    await volunteer.getByRole("heading", { level: 1, name: "My calls" }).waitFor();
    await settled(volunteer);
    await expectAccessible(volunteer, "my calls (en, 360)");
    await volunteer.getByTestId("lang-switch").selectOption("he");
    await expectDirection(volunteer, "rtl", "he");

    /* A resident answers on their own page, in Arabic: "I need help". */
    const open = (await (
      await manager.request.get(
        `/api/emergency/events/${emergencyId}/calls?status=pending&assignee=${workerId}&pageSize=50`,
        { headers: scope },
      )
    ).json()) as { items: { id: string; resident: { languages: string[] } }[] };
    const forResident =
      open.items.find((c) => c.resident.languages.includes("ar")) ?? open.items[0]!;
    const link = (await (
      await manager.request.post(`/api/emergency/calls/${forResident.id}/status-link`, {
        headers: { ...scope, origin: new URL(manager.url()).origin },
      })
    ).json()) as { url: string };
    expect(link.url).toMatch(/\/ok\/[A-Za-z0-9_-]{16,}$/);
    const residentContext = await newContext(browser(), PHONE);
    const resident = await residentContext.newPage();
    const path = new URL(link.url).pathname;
    for (const [lang, title] of [
      ["he", "האם את/ה בסדר?"],
      ["en", "Are you OK?"],
    ] as const) {
      await resident.goto(`${path}?lang=${lang}`);
      await resident.getByRole("heading", { level: 1, name: title }).waitFor();
      expect(await resident.evaluate(() => document.documentElement.lang)).toBe(lang);
      await expectAccessible(resident, `status page (${lang}, 360)`);
      await shot(resident, `emergency-status-${lang}-360`);
    }
    await resident.getByRole("link", { name: "العربية" }).click();
    await resident.getByRole("heading", { level: 1, name: "هل أنت بخير؟" }).waitFor();
    expect(await resident.evaluate(() => document.documentElement.dir)).toBe("rtl");
    // The department named in Arabic, isolated inside the sentence (issue 4).
    expect(await resident.locator("bdi").first().textContent()).toBe(
      "قسم الخدمات الاجتماعية في عين هدار",
    );
    await resident.getByRole("radio", { name: "أدوية" }).check();
    await resident
      .getByLabel("هل هناك شيء آخر من المهم أن نعرفه؟ (اختياري)")
      .fill("نفدت أدوية الضغط");
    await expectAccessible(resident, "status page (ar, 360)");
    await shot(resident, "emergency-status-ar-360");
    await resident.getByRole("button", { name: "أحتاج إلى مساعدة" }).click();
    await resident.getByText("شكرًا. سجّلنا أنك بحاجة إلى مساعدة. سنتواصل معك قريبًا.").waitFor();
    await shot(resident, "emergency-status-answered-ar-360");
    await residentContext.close();

    // The board heard it live: two in need of help, one of them on their own.
    await expect.poll(() => count(manager, "reachedNeedsHelp"), { timeout: 15_000 }).toBe("2");
    await expect
      .poll(() => manager.getByTestId("board-totals").innerText())
      .toContain("1 דיווחו בעצמם");
    await expect
      .poll(() => manager.getByTestId("board-help-open").innerText())
      .toMatch(/^2 פתוחות/);
    expect(
      await manager.evaluate(() => (window as unknown as { kvNoReload?: boolean }).kvNoReload),
    ).toBe(true);
    await settled(manager);
    await expectAccessible(manager, "board (he, 1280)");
    await shot(manager, "emergency-board-live-he-1280");

    // The help requests, and one with its ranked helpers.
    await manager.goto("/emergency/help");
    await manager.getByTestId("help-card").first().waitFor();
    await expect.poll(() => manager.getByTestId("help-card").count()).toBe(2);
    await settled(manager);
    await expectAccessible(manager, "help requests (he, 1280)");
    await shot(manager, "emergency-help-he-1280");
    await manager.getByTestId("help-card").first().getByRole("link").click();
    await manager.getByTestId("help-status").waitFor();
    await manager.getByRole("heading", { level: 2, name: "מתנדבים/ות מתאימים/ות" }).waitFor();
    await settled(manager);
    await expectAccessible(manager, "help request (he, 1280)");
    await shot(manager, "emergency-help-request-he-1280");

    // The volunteer's offer of help, on the phone.
    await volunteer.goto("/emergency/offer");
    await volunteer.getByRole("heading", { level: 1, name: "ההצעה שלי לעזור" }).waitFor();
    await volunteer.getByRole("checkbox", { name: "מזון" }).check();
    await volunteer.getByRole("checkbox", { name: "רוסית" }).check();
    await volunteer.getByRole("switch", { name: "יש לי רכב" }).check();
    await settled(volunteer);
    await expectAccessible(volunteer, "offer (he, 360)");
    await volunteer.getByTestId("offer-save").click();
    await volunteer.getByText("ההצעה נשמרה").waitFor();
    await expect.poll(() => volunteer.getByTestId("offer-state").innerText()).toBe("פעילה");
    await shot(volunteer, "emergency-offer-he-360");
    await volunteer.goto("/emergency/calls");

    // The banner is on every screen meanwhile, the needs queue too.
    await manager.goto("/needs");
    await manager.getByTestId("emergency-banner").waitFor();

    /* The board in English at 1280, and in Hebrew on a phone. */
    const englishContext = await newContext(browser(), DESKTOP);
    const english = await englishContext.newPage();
    await signIn(english, MANAGER, "en");
    await english.goto("/emergency");
    await english.getByRole("heading", { level: 2, name: "Call list" }).waitFor();
    await english.getByTestId("board-map").waitFor();
    await settled(english);
    await expectAccessible(english, "board (en, 1280)");
    await shot(english, "emergency-board-en-1280");
    await english.getByTestId("lang-switch").selectOption("he");
    await expectDirection(english, "rtl", "he");
    await englishContext.close();

    const phoneContext = await newContext(browser(), PHONE);
    const phone = await phoneContext.newPage();
    await signIn(phone, MANAGER);
    await phone.goto("/emergency");
    await phone.getByRole("heading", { level: 2, name: "רשימת החיוג" }).waitFor();
    await settled(phone);
    await expectAccessible(phone, "board (he, 360)");
    await shot(phone, "emergency-board-he-360");
    await phoneContext.close();

    /* Back to routine: the open help requests become needs. */
    await manager.goto("/emergency");
    await manager.getByTestId("close-open").click();
    const close = manager.getByRole("dialog", { name: "חזרה לשגרה" });
    await close.getByText("בקשות עזרה פתוחות (2) יהפכו לצרכים בתור הצרכים").waitFor();
    await close.getByTestId("close-confirm").click();
    await manager.getByRole("heading", { level: 1, name: /^סיכום:/ }).waitFor();
    await expect.poll(() => manager.getByTestId("summary-status").innerText()).toBe("האירוע נסגר");
    const needs = manager.getByTestId("summary-needs").getByRole("link");
    await expect.poll(() => needs.count()).toBe(2);
    const references = await needs.allInnerTexts();
    await expect.poll(() => manager.getByTestId("emergency-banner").count()).toBe(0);
    await settled(manager);
    await expectAccessible(manager, "summary (he, 1280)");
    await shot(manager, "emergency-summary-he-1280");

    // The after-action review, kept with the emergency.
    await manager.getByLabel("מה עבד").fill("החלוקה לפי בניינים קיצרה את זמן החיוג");
    await manager.getByRole("button", { name: "הוספת משימה" }).click();
    await manager
      .getByRole("textbox", { name: "משימה 1", exact: true })
      .fill("לעדכן הסכמות ליצירת קשר בחירום");
    await manager.getByTestId("review-save").click();
    await manager.getByText("התחקיר נשמר").waitFor();

    // In the needs queue, as needs of the neighbourhood.
    await manager.goto("/needs?sort=newest");
    for (const reference of references) {
      await manager.getByRole("link", { name: reference, exact: true }).first().waitFor();
    }

    // The volunteer's phone lets go of the calls.
    await volunteer.reload();
    await volunteer.getByRole("heading", { level: 1, name: "השיחות שלי" }).waitFor();
    await expect
      .poll(() => volunteer.getByTestId("call-card").count(), { timeout: 30_000 })
      .toBe(0);
    await volunteerContext.close();
    await managerContext.close();
  });

  it("messages residents from the board: prefilled compose, dry run, confirm, SMS with each one's status link, an answer on the board", async () => {
    const context = await newContext(browser(), DESKTOP);
    const manager = await context.newPage();
    await signIn(manager, MANAGER);
    const scope = await scopeOf(manager);
    // Use the emergency open now, or declare one over the neighbourhood.
    let mode = (await (
      await manager.request.get("/api/emergency/mode", { headers: scope })
    ).json()) as EmergencyModeResponse;
    if (!mode.emergency) {
      const communities = (await (
        await manager.request.get(`/api/communities?q=${encodeURIComponent(HOOD)}&pageSize=10`, {
          headers: scope,
        })
      ).json()) as { items: { id: string; name: string }[] };
      const hood = communities.items.find((c) => c.name === HOOD)!;
      const declared = await manager.request.post("/api/emergency/events", {
        headers: scope,
        data: { type: "storm", level: 2, title: "סערה — נווה שלום", communityIds: [hood.id] },
      });
      expect(declared.status()).toBe(201);
      mode = (await (
        await manager.request.get("/api/emergency/mode", { headers: scope })
      ).json()) as EmergencyModeResponse;
    }
    const emergency = mode.emergency!;
    const selfBefore = (
      (await (
        await manager.request.get(`/api/emergency/events/${emergency.id}`, { headers: scope })
      ).json()) as Emergency
    ).counts.selfReported;

    /* The board's "Message residents" opens the compose page tied to the emergency. */
    await manager.goto("/emergency");
    await manager.getByRole("heading", { level: 2, name: "רשימת החיוג" }).waitFor();
    await manager.getByTestId("board-broadcast").click();
    await manager.getByRole("heading", { level: 1, name: "הודעה חדשה לתושבים" }).waitFor();
    expect(new URL(manager.url()).pathname).toBe("/broadcasts/new");
    const linked = manager.getByRole("checkbox", {
      name: `חלק מאירוע החירום «${emergency.title}»`,
    });
    await expect.poll(() => linked.isChecked()).toBe(true);
    expect(
      await manager.getByRole("switch", { name: "דחוף: יוצא גם בשעות השקט" }).isChecked(),
    ).toBe(true);
    expect(await manager.getByRole("checkbox", { name: "פנייה בשעת חירום" }).isChecked()).toBe(
      true,
    );
    expect(await manager.getByRole("checkbox", { name: "פנייה בנושא פעילויות" }).isChecked()).toBe(
      false,
    );
    const pills = manager.locator(".mantine-MultiSelect-pill");
    await expect
      .poll(() => pills.allInnerTexts())
      .toEqual(emergency.communities.map((c) => c.name));
    expect(await manager.getByLabel("שם פנימי").inputValue()).toBe(emergency.title);

    // The text, with each resident's own link; the dry run counts who it reaches.
    const text = "סערה באזור: הישארו בבית. ספרו לנו אם אתם בסדר:";
    await manager.getByLabel("הטקסט").fill(text);
    await manager.getByRole("button", { name: "הוספת קישור אישי" }).click();
    expect(await manager.getByLabel("הטקסט").inputValue()).toBe(`${text} {statusLink}`);
    const dryStatus = manager.getByRole("status").filter({ hasText: "בקהל היעד" });
    await expect
      .poll(
        async () =>
          Number(/(\d[\d,]*) מהם/.exec(await dryStatus.innerText())?.[1]?.replace(/,/g, "") ?? 0),
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThan(0);
    // Urgent and of the open emergency: quiet hours, if now, do not hold it — and it says so.
    expect(await manager.getByText("עכשיו שעות שקט: התראות ו־SMS יישלחו כשיסתיימו.").count()).toBe(
      0,
    );
    const preview = manager.getByRole("region", { name: "תצוגה מקדימה" });
    await preview.getByText(text, { exact: false }).first().waitFor();
    await settled(manager);
    await expectAccessible(manager, "compose from the board (he, 1280)");
    await shot(manager, "emergency-broadcast-compose-he-1280");
    await manager.getByRole("button", { name: "שמירת טיוטה" }).click();
    await manager.waitForURL(/\/broadcasts\/[0-9a-f-]{36}$/);
    const broadcastId = new URL(manager.url()).pathname.split("/").pop()!;
    const draft = (await (
      await manager.request.get(`/api/broadcasts/${broadcastId}`, { headers: scope })
    ).json()) as Broadcast;
    expect(draft).toMatchObject({ emergencyId: emergency.id, urgent: true, status: "draft" });
    expect(draft.audience.communityIds).toEqual(emergency.communities.map((c) => c.id));
    expect(draft.audience.consents).toEqual(["emergency_contact"]);

    /* Confirm: the dialog shows the dry run again; then the progress reaches done. */
    await manager.getByRole("button", { name: "אישור ושליחה" }).click();
    const confirm = manager.getByRole("dialog", { name: "לשלוח את ההודעה?" });
    const send = confirm.getByRole("button", { name: /^שליחה ל־/ });
    await send.waitFor();
    await expect.poll(() => send.isEnabled()).toBe(true);
    const reachable = Number((await send.innerText()).replace(/[^\d]/g, ""));
    expect(reachable).toBeGreaterThan(0);
    await send.click();
    await expect
      .poll(() => manager.getByText("נשלחה", { exact: true }).count(), { timeout: 60_000 })
      .toBeGreaterThan(0);
    const done = (await (
      await manager.request.get(`/api/broadcasts/${broadcastId}`, { headers: scope })
    ).json()) as Broadcast;
    expect(done.status).toBe("done");
    expect(done.quietHoursBypassed || done.progress.deferredUntil === null).toBe(true);
    expect(done.progress.queued).toBe(0);
    expect(done.progress.byChannel.sms.total).toBeGreaterThan(0);
    await settled(manager);
    await shot(manager, "emergency-broadcast-done-he-1280");

    /* The SMS reached the local transport with a status link of its own. */
    const outbox = (await (await fetch(`${baseURL()}/api/dev/outbox`)).json()) as {
      items: { channel: string; to: string; body: string }[];
    };
    const sms = outbox.items.filter((m) => m.channel === "sms" && m.body.startsWith(text));
    expect(sms.length).toBeGreaterThan(0);
    const links = sms.map((m) => /https?:\/\/\S+\/ok\/([A-Za-z0-9_-]{16,})$/.exec(m.body)?.[0]);
    expect(links.every(Boolean)).toBe(true);
    expect(new Set(links).size).toBe(links.length);

    /* A resident opens theirs and answers "I need help"; the board shows it. */
    await manager.goto("/emergency");
    await expect
      .poll(() => manager.getByTestId("board-live").getAttribute("data-state"))
      .toBe("live");
    const residentContext = await newContext(browser(), PHONE);
    const resident = await residentContext.newPage();
    // The link as sent; the page opens in the resident's language, and offers the others.
    await resident.goto(new URL(links[0]!).pathname);
    await resident.locator("h1").waitFor();
    if ((await resident.evaluate(() => document.documentElement.lang)) !== "he") {
      await resident.getByRole("link", { name: "עברית" }).click();
    }
    await resident.getByRole("heading", { level: 1, name: "האם את/ה בסדר?" }).waitFor();
    await resident.getByRole("radio", { name: "מזון" }).check();
    await resident.getByRole("button", { name: "אני צריך/ה עזרה" }).click();
    await resident.getByText("תודה. רשמנו שצריך עזרה. ניצור קשר בהקדם.").waitFor();
    await residentContext.close();
    await expect
      .poll(() => manager.getByTestId("board-totals").innerText(), { timeout: 15_000 })
      .toContain(`${selfBefore + 1} דיווחו בעצמם`);
    await expect
      .poll(() => manager.getByTestId("board-help-open").innerText())
      .not.toMatch(/^0 פתוחות/);

    // The same compose page on a phone, in Hebrew.
    const phoneContext = await newContext(browser(), PHONE);
    const phone = await phoneContext.newPage();
    await signIn(phone, MANAGER);
    await phone.goto("/broadcasts/new?emergency=true");
    await phone.getByRole("heading", { level: 1, name: "הודעה חדשה לתושבים" }).waitFor();
    await expect
      .poll(() => phone.getByRole("checkbox", { name: "פנייה בשעת חירום" }).isChecked())
      .toBe(true);
    await settled(phone);
    await expectAccessible(phone, "compose from the board (he, 360)");
    await shot(phone, "emergency-broadcast-compose-he-360");
    await phoneContext.close();

    // Back to routine, so the journeys after this one start from it.
    const open = (await (
      await manager.request.get(`/api/emergency/events/${emergency.id}`, { headers: scope })
    ).json()) as Emergency;
    const closed = await manager.request.post(`/api/emergency/events/${emergency.id}/close`, {
      headers: scope,
      data: { version: open.version, note: "" },
    });
    expect(closed.status()).toBe(200);
    await context.close();
  });
});
