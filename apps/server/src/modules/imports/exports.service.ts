import type { FastifyBaseLogger } from "fastify";
import type {
  AssetListItem,
  ExportAssetsQuery,
  ExportResidentsQuery,
  ResidentListItem,
} from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, forbidden } from "../../lib/errors.ts";
import { authorize, residentVisibility } from "../../policy/policy.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import { listAssets } from "../assets/assets.service.ts";
import { iterateResidents } from "../residents/residents.service.ts";
import { residentScope } from "../residents/residents.scope.ts";
import * as repo from "./exports.repository.ts";
import { formatOpeningHours } from "./opening-hours.ts";
import { attachment, tableWriter, type Cell, type TableWriter } from "./table-writer.ts";
import {
  ASSET_TYPE_WORDS,
  COMMUNITY_ROLE_WORDS,
  CONSENT_WORDS,
  FLAG_WORDS,
  headerLabel,
  LANGUAGE_WORDS,
  labelOf,
  type ExportLocale,
  type Words,
} from "./vocabulary.ts";

/**
 * Exports of exactly what the reader may see: the residents list's rows at the
 * reader's access level (activists: name and contact of consenting members),
 * ID numbers and health notes only when asked for with a purpose, every export
 * audited. Column headers and words are in the reader's language and are the
 * ones the importer reads, so an exported file imports back.
 */

export type ExportFile = {
  stream: TableWriter["stream"];
  contentType: string;
  disposition: string;
};

const today = () => new Date().toISOString().slice(0, 10);
const list = <K extends string>(
  words: Record<K, Words>,
  codes: readonly string[],
  l: ExportLocale,
) => codes.map((c) => labelOf(words, c, l)).join(", ");

/** Runs the producer into the writer without holding the response; a failure ends the stream. */
function drive(writer: TableWriter, produce: () => Promise<void>, log: FastifyBaseLogger) {
  void (async () => {
    try {
      await produce();
      await writer.end();
    } catch (err) {
      log.error({ err: { name: (err as Error).name } }, "export failed");
      writer.fail(err instanceof Error ? err : new Error("export failed"));
    }
  })();
}

const SHEET_NAMES = {
  residents: { he: "תושבים", ar: "السكان", en: "Residents" },
  assets: { he: "נכסים קהילתיים", ar: "موارد المجتمع", en: "Community assets" },
} as const;

const CONTACT_COLUMNS = ["firstName", "lastName", "phone", "email"] as const;
const FULL_COLUMNS = [
  "firstName",
  "lastName",
  "otherNames",
  "phone",
  "email",
  "birthYear",
  "street",
  "houseNumber",
  "apartment",
  "addressNote",
  "homeCommunity",
  "languages",
  "communityRoles",
  "consents",
  "flags",
  "household",
] as const;
const SENSITIVE_COLUMNS = ["idNumber", "healthNotes"] as const;

export async function exportResidents(
  ctx: RequestContext,
  query: ExportResidentsQuery,
  locale: ExportLocale,
  log: FastifyBaseLogger,
): Promise<ExportFile> {
  authorize(ctx.actor, { type: "resident.export" });
  const visibility = residentVisibility(ctx.actor);
  const hasFull =
    visibility.kind === "scoped" &&
    (visibility.full.all ||
      visibility.full.communityRoots.length > 0 ||
      visibility.full.caseloadOf !== null);
  const { format, lang: _lang, includeSensitive, purpose, ...filters } = query;
  if (includeSensitive) {
    if (!hasFull) throw forbidden("You may not export sensitive fields");
    if (!purpose) {
      throw new AppError(
        "resident.purpose_required",
        400,
        "Say why the sensitive fields are needed",
        {
          path: ["purpose"],
        },
      );
    }
  }
  const columns: string[] = hasFull
    ? [...FULL_COLUMNS, ...(includeSensitive ? SENSITIVE_COLUMNS : [])]
    : [...CONTACT_COLUMNS];
  const rtl = locale !== "en";
  const writer = tableWriter(format, {
    header: columns.map((c) => headerLabel("residents", c, locale)),
    sheetName: SHEET_NAMES.residents[locale],
    rightToLeft: rtl,
  });
  const scope = residentScope(visibility);
  let count = 0;
  let completed = false;
  const rowOf = (
    item: ResidentListItem,
    secret?: { idNumber: string; healthNotes: string },
  ): Cell[] => {
    if (item.access === "contact") {
      const contact: Record<string, Cell> = {
        firstName: item.firstName,
        lastName: item.lastName,
        phone: item.phone,
        email: item.email,
      };
      return columns.map((c) => contact[c] ?? null);
    }
    const values: Record<string, Cell> = {
      firstName: item.firstName,
      lastName: item.lastName,
      otherNames: item.otherNames,
      phone: item.phone,
      email: item.email,
      birthYear: item.birthYear,
      street: item.address.streetName,
      houseNumber: item.address.houseNumber,
      apartment: item.address.apartment,
      addressNote: item.address.note,
      homeCommunity: item.homeCommunity?.name ?? null,
      languages: list(LANGUAGE_WORDS, item.languages, locale),
      communityRoles: list(COMMUNITY_ROLE_WORDS, item.communityRoles, locale),
      consents: list(CONSENT_WORDS, item.consents, locale),
      flags: list(FLAG_WORDS, item.flags, locale),
      household: item.householdId,
      idNumber: secret?.idNumber ?? null,
      healthNotes: secret?.healthNotes ?? null,
    };
    return columns.map((c) => values[c] ?? null);
  };

  drive(
    writer,
    async () => {
      try {
        for await (const batch of iterateResidents(ctx, filters, {
          batchSize: 1000,
          purpose: purpose ?? "export",
        })) {
          const secrets = new Map<string, { idNumber: string; healthNotes: string }>();
          if (includeSensitive) {
            const fullIds = batch.filter((i) => i.access === "full").map((i) => i.id);
            for (const s of await repo.sensitiveOf(ctx.db, scope, fullIds)) {
              secrets.set(s.id, {
                idNumber: s.idNumberEnc ? ctx.cipher.decrypt(s.idNumberEnc) : "",
                healthNotes: s.healthNotesEnc ? ctx.cipher.decrypt(s.healthNotesEnc) : "",
              });
            }
          }
          await writer.rows(batch.map((item) => rowOf(item, secrets.get(item.id))));
          count += batch.length;
        }
        completed = true;
      } finally {
        // One line per export: who, what filters, which columns, how many rows, why.
        await recordAudit(
          ctx.db,
          auditFor(ctx, {
            action: "resident.export",
            entityType: "resident",
            fields: columns,
            purpose: purpose ?? null,
            details: { format, filters: describeFilters(filters), rows: count, completed },
          }),
        );
      }
    },
    log,
  );
  return {
    stream: writer.stream,
    contentType: writer.contentType,
    disposition: attachment(`residents-${today()}.${writer.extension}`),
  };
}

/** The filters as given (ids and codes; a name search is kept as its length only). */
function describeFilters(filters: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = k === "q" ? `(${String(v).length} characters)` : v;
  }
  return out;
}

const ASSET_COLUMNS = [
  "name",
  "type",
  "organization",
  "description",
  "street",
  "houseNumber",
  "address",
  "community",
  "lat",
  "lon",
  "capacity",
  "accessibility",
  "phone",
  "email",
  "website",
  "languages",
  "openingHours",
] as const;

export async function exportAssets(
  ctx: RequestContext,
  query: ExportAssetsQuery,
  locale: ExportLocale,
  log: FastifyBaseLogger,
): Promise<ExportFile> {
  const { format, lang: _lang, ...filters } = query;
  const pageSize = 100;
  // The first page also checks the reader may read assets (before anything is sent).
  const first = await listAssets(ctx, { ...filters, page: 1, pageSize });
  const departmentId = ctx.actor.departmentId ?? "";
  const writer = tableWriter(format, {
    header: ASSET_COLUMNS.map((c) => headerLabel("assets", c, locale)),
    sheetName: SHEET_NAMES.assets[locale],
    rightToLeft: locale !== "en",
  });
  const rowOf = (
    a: AssetListItem,
    extra: Awaited<ReturnType<typeof repo.assetExtrasOf>>[number] | undefined,
  ): Cell[] => {
    const values: Record<(typeof ASSET_COLUMNS)[number], Cell> = {
      name: a.name,
      type: labelOf(ASSET_TYPE_WORDS, a.type, locale),
      organization: a.organization?.name ?? null,
      description: extra?.description ?? null,
      street: a.address.streetName,
      houseNumber: a.address.houseNumber,
      address: a.address.text,
      community: a.community?.name ?? null,
      lat: a.location?.lat ?? null,
      lon: a.location?.lon ?? null,
      capacity: a.capacity,
      accessibility: extra?.accessibility ?? null,
      phone: a.phone,
      email: extra?.email ?? null,
      website: extra?.website ?? null,
      languages: extra ? list(LANGUAGE_WORDS, extra.languages, locale) : null,
      openingHours: formatOpeningHours(a.openingHours, locale),
    };
    return ASSET_COLUMNS.map((c) => values[c]);
  };
  let count = 0;
  drive(
    writer,
    async () => {
      let page = first;
      for (let n = 1; ; n++) {
        if (n > 1) page = await listAssets(ctx, { ...filters, page: n, pageSize });
        const extras = new Map(
          (
            await repo.assetExtrasOf(
              ctx.db,
              departmentId,
              page.items.map((a) => a.id),
            )
          ).map((e) => [e.id, e]),
        );
        await writer.rows(page.items.map((a) => rowOf(a, extras.get(a.id))));
        count += page.items.length;
        if (page.items.length < pageSize || n * pageSize >= page.total) break;
      }
      await recordAudit(
        ctx.db,
        auditFor(ctx, {
          action: "asset.export",
          entityType: "asset",
          details: { format, filters: describeFilters(filters), rows: count },
        }),
      );
    },
    log,
  );
  return {
    stream: writer.stream,
    contentType: writer.contentType,
    disposition: attachment(`assets-${today()}.${writer.extension}`),
  };
}
