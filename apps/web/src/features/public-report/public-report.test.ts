import { describe, expect, it } from "vitest";
import { NEED_LIMITS, publicNeedBodySchema } from "@kaveret/contracts";
import he from "./i18n/he.json";
import ar from "./i18n/ar.json";
import en from "./i18n/en.json";
import ru from "./i18n/ru.json";
import am from "./i18n/am.json";
import { UI_LOCALES } from "../../i18n/locales.ts";
import {
  PHOTO_MAX_BYTES,
  PHOTO_TYPES,
  PUBLIC_MAX_PHOTOS,
  addPhotos,
  fileSize,
  photoProblem,
} from "./photo-files.ts";
import {
  emptyReport,
  errorKey,
  initialLocale,
  reportBody,
  reportProblems,
  serverProblems,
  type ReportValues,
} from "./report-form.ts";
import { parseReportSearch } from "./report-search.ts";

const file = (name: string, type: string, size: number) => ({ name, type, size });

describe("photo checks", () => {
  it("use the contract's limits", () => {
    expect(PHOTO_TYPES).toEqual(NEED_LIMITS.attachmentTypes);
    expect(PHOTO_MAX_BYTES).toBe(NEED_LIMITS.attachmentBytes);
  });
  it("refuse other types and large or empty files", () => {
    expect(photoProblem(file("a.jpg", "image/jpeg", 1000))).toBeNull();
    expect(photoProblem(file("a.JPG", "IMAGE/JPEG", 1000))).toBeNull();
    expect(photoProblem(file("a.heic", "image/heic", 1000))).toBe("type");
    expect(photoProblem(file("a.pdf", "application/pdf", 1000))).toBe("type");
    expect(photoProblem(file("big.png", "image/png", PHOTO_MAX_BYTES + 1))).toBe("size");
    expect(photoProblem(file("exact.webp", "image/webp", PHOTO_MAX_BYTES))).toBeNull();
    expect(photoProblem(file("empty.png", "image/png", 0))).toBe("size");
  });
  it("add good photos while room is left and say why the others were not", () => {
    const one = file("1.jpg", "image/jpeg", 10);
    const r = addPhotos(
      [one],
      [
        file("2.jpg", "image/jpeg", 10),
        file("x.gif", "image/gif", 10),
        file("3.png", "image/png", 10),
        file("4.png", "image/png", 10),
      ],
      PUBLIC_MAX_PHOTOS,
    );
    expect(r.accepted.map((f) => f.name)).toEqual(["1.jpg", "2.jpg", "3.png"]);
    expect(r.rejected.map((x) => [x.file.name, x.problem])).toEqual([
      ["x.gif", "type"],
      ["4.png", "count"],
    ]);
  });
  it("says sizes plainly", () => {
    expect(fileSize(1536 * 1024)).toBe("1.5 MB");
    expect(fileSize(2048)).toBe("2 KB");
  });
});

const filled = (p: Partial<ReportValues>): ReportValues => ({
  ...emptyReport(),
  description: "The street light at the corner has been out for a week",
  ...p,
});

describe("report form rules agree with the contract", () => {
  const cases: [string, Partial<ReportValues>][] = [
    ["minimal", {}],
    ["empty description", { description: "" }],
    ["short description", { description: "abc" }],
    ["long description", { description: "x".repeat(NEED_LIMITS.description + 1) }],
    ["phone with consent", { contactPhone: "050-1234567", contactConsent: true }],
    ["bad phone", { contactPhone: "12", contactConsent: true }],
    ["email with consent", { contactEmail: "dana@example.org", contactConsent: true }],
    ["bad email", { contactEmail: "dana@", contactConsent: true }],
    [
      "category and place",
      { category: "food", location: { lat: 31.7, lon: 35.2 }, addressText: "Herzl 12" },
    ],
    ["long address", { addressText: "x".repeat(201) }],
  ];
  for (const [name, patch] of cases) {
    it(name, () => {
      const v = filled(patch);
      const ours = Object.keys(reportProblems(v)).length === 0;
      const theirs = publicNeedBodySchema.safeParse(reportBody(v, "he", 1)).success;
      expect(ours).toBe(theirs);
    });
  }

  it("asks for consent before a phone or e-mail is sent", () => {
    const v = filled({ contactPhone: "0501234567" });
    expect(reportProblems(v).contactConsent).toBe("publicReport.problem.consent");
  });

  it("never sends contact details without consent", () => {
    const body = reportBody(filled({ contactName: "Dana", contactPhone: "0501234567" }), "ru", 5);
    expect(body).toMatchObject({
      contactName: "",
      contactPhone: null,
      contactEmail: null,
      contactConsent: false,
    });
    expect(publicNeedBodySchema.safeParse(body).success).toBe(true);
  });

  it("sends the honeypot, the start time and the language as given", () => {
    const body = reportBody(filled({ website: "http://spam.example" }), "am", 1_700_000_000_000);
    const parsed = publicNeedBodySchema.parse(body);
    expect(parsed).toMatchObject({
      website: "http://spam.example",
      startedAt: 1_700_000_000_000,
      language: "am",
    });
  });
});

describe("server answers", () => {
  it("turn every error code the page may meet into its own sentence", () => {
    expect(errorKey("need.attachment_too_large")).toBe("publicReport.error.photoTooLarge");
    expect(errorKey("need.intake_closed")).toBe("publicReport.error.closed");
    expect(errorKey("rate_limited")).toBe("publicReport.error.rateLimited");
    expect(errorKey("need.spam")).toBe("publicReport.error.spam");
    expect(errorKey("something_new")).toBe("publicReport.error.generic");
  });
  it("point validation details at the fields", () => {
    expect(
      serverProblems([
        { path: ["report", "contactPhone"] },
        { path: ["description"] },
        { path: ["x"] },
      ]),
    ).toEqual({
      contactPhone: "publicReport.problem.phone",
      description: "publicReport.problem.descriptionShort",
    });
  });
});

describe("language", () => {
  it("opens in the link's language, else this device's, else the browser's, else Hebrew", () => {
    expect(initialLocale("am", "ar", ["ru-RU"], UI_LOCALES)).toBe("am");
    expect(initialLocale(undefined, "ar", ["ru-RU"], UI_LOCALES)).toBe("ar");
    expect(initialLocale(undefined, null, ["fr-FR", "ru-RU"], UI_LOCALES)).toBe("ru");
    expect(initialLocale("xx", null, ["fr"], UI_LOCALES)).toBe("he");
  });
  it("keeps only a known ?lang=", () => {
    expect(parseReportSearch({ lang: "ar" })).toEqual({ lang: "ar" });
    expect(parseReportSearch({ lang: "de" })).toEqual({});
    // The widget's loader names the page embedding it.
    expect(parseReportSearch({ lang: "he", parent: "https://www.city.example" })).toEqual({
      lang: "he",
      parent: "https://www.city.example",
    });
    expect(parseReportSearch({ parent: 7 })).toEqual({});
  });
});

type Tree = { [k: string]: string | Tree };
function keys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );
}

describe("translations of the public page", () => {
  const bundles = { he, ar, en, ru, am } as unknown as Record<string, Tree>;
  const heKeys = keys(bundles.he!).filter((k) => k.startsWith("publicReport."));

  it("are complete in all five languages", () => {
    for (const [lng, bundle] of Object.entries(bundles)) {
      const have = new Set(keys(bundle));
      expect(
        heKeys.filter((k) => !have.has(k)),
        lng,
      ).toEqual([]);
      for (const k of keys(bundle).filter((x) => x.startsWith("publicReport."))) {
        expect(
          (k.split(".").reduce<unknown>((n, p) => (n as Tree)[p], bundle) as string).length,
          `${lng} ${k}`,
        ).toBeGreaterThan(0);
      }
    }
  });

  it("have every sentence the rules and the server mapping can produce", () => {
    const produced = new Set<string>();
    for (const code of [
      "need.attachment_too_large",
      "need.attachment_type",
      "need.attachments_full",
      "need.spam",
      "need.intake_closed",
      "need.origin_not_allowed",
      "rate_limited",
      "validation_failed",
      "network_error",
      "not_found",
      "x",
    ]) {
      produced.add(errorKey(code));
    }
    for (const v of [
      filled({ description: "" }),
      filled({ description: "ab" }),
      filled({
        description: "x".repeat(3000),
        addressText: "x".repeat(300),
        contactName: "x".repeat(90),
      }),
      filled({ contactPhone: "1", contactEmail: "a@" }),
    ]) {
      for (const k of Object.values(reportProblems(v))) produced.add(k);
    }
    for (const k of Object.values(serverProblems([{ path: ["location"] }]))) produced.add(k);
    const have = new Set(keys(bundles.he!));
    for (const k of produced) expect(have.has(k), k).toBe(true);
    for (const p of ["type", "size", "count"])
      expect(have.has(`publicReport.photos.problem.${p}`)).toBe(true);
  });
});
