export * from "./client.ts";
export * as schema from "./schema.ts";
export type { DepartmentSettings, GeoJsonGeometry } from "./schema.ts";
