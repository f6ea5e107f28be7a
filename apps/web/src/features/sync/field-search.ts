/** /field/forms/$id?assignment=<id>: the door-to-door assignment the answers are taken on. */
export interface FieldFormSearch {
  assignment?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseFieldFormSearch(s: Record<string, unknown>): FieldFormSearch {
  return typeof s.assignment === "string" && UUID.test(s.assignment)
    ? { assignment: s.assignment }
    : {};
}
