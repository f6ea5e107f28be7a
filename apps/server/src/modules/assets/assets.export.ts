import type { HsdsServices } from "@kaveret/contracts";
import type { RequestContext } from "../../lib/context.ts";
import { auditFor, recordAudit } from "../audit/audit.service.ts";
import { compiledServices, hsdsRows, hsdsZip } from "./assets.hsds.ts";
import { loadDirectoryForExport } from "./assets.service.ts";

const today = () => new Date().toISOString().slice(0, 10);

async function rowsFor(ctx: RequestContext, format: "json" | "zip") {
  const { departmentId, directory } = await loadDirectoryForExport(ctx);
  // Bulk exports are worth a line in the audit trail (no personal data in them).
  await recordAudit(
    ctx.db,
    auditFor(ctx, {
      action: "asset.export",
      entityType: "asset",
      details: {
        format,
        locations: directory.locations.length,
        services: directory.services.length,
      },
    }),
  );
  return { rows: hsdsRows(departmentId, directory), place: directory.place };
}

/** GET /api/assets/hsds/services.json: HSDS 3.0 compiled services. */
export async function exportServicesJson(ctx: RequestContext) {
  const { rows } = await rowsFor(ctx, "json");
  // The HSDS schemas own this shape; the tests validate it against them.
  const services = compiledServices(rows) as HsdsServices;
  return { services, filename: `kaveret-hsds-services-${today()}.json` };
}

/** GET /api/assets/hsds.zip: HSDS 3.0 tabular CSVs and datapackage.json. */
export async function exportZip(ctx: RequestContext) {
  const { rows, place } = await rowsFor(ctx, "zip");
  const zip = hsdsZip(rows, {
    title: place ? `${place.department} — ${place.city}` : "Kaveret directory",
    created: new Date(),
  });
  return { zip, filename: `kaveret-hsds-${today()}.zip` };
}
