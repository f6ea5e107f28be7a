import type { ImportEntity } from "@kaveret/contracts";
import { isEntity } from "./import-labels.ts";

/** /imports/new?entity=residents|assets|community_figures */
export interface NewImportSearch {
  entity?: ImportEntity;
}

export function parseNewImportSearch(s: Record<string, unknown>): NewImportSearch {
  return { entity: isEntity(s.entity) ? s.entity : undefined };
}
