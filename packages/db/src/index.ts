export * from "./client.ts";
export * as schema from "./schema.ts";
export type { DepartmentSettings, GeoJsonGeometry } from "./schema.ts";
export { isDatabaseEmpty, seedDemo, type DemoLogin } from "./seed.ts";
export { DEMO_DOMAIN, demoPeople, demoResident } from "./demo-data.ts";
export { generateDepartment, type GenerateDepartmentResult } from "./generate-department.ts";
export * from "./field-crypto.ts";
export * from "./resident-values.ts";
export * from "./rotate-keys.ts";
