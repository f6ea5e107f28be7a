export * from "./common.ts";
export * from "./roles.ts";
export * from "./communities.ts";
export * from "./users.ts";
export * from "./audit.ts";
export * from "./home.ts";
