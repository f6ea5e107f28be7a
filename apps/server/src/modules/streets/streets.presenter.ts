import type { Street } from "@kaveret/contracts";
import type { StreetRow } from "./streets.repository.ts";

/** The only way a street row becomes JSON. */
export function presentStreet(s: StreetRow): Street {
  return {
    id: s.id,
    townId: s.townId,
    name: s.name,
    altNames: s.altNames,
    hasGeometry: s.hasGeometry,
  };
}
