import type { SavedFilter } from "@kaveret/contracts";
import type { SavedFilterRow } from "./saved-filters.repository.ts";

/** The only way a saved filter row becomes JSON. */
export function presentSavedFilter(f: SavedFilterRow): SavedFilter {
  return {
    id: f.id,
    entity: f.entity as SavedFilter["entity"],
    name: f.name,
    query: f.query,
    createdAt: f.createdAt.toISOString(),
  };
}
