import { BASE_ERROR_CODES } from "./common.ts";
import { RESIDENT_ERROR_CODES } from "./residents.ts";
import { ASSET_ERROR_CODES } from "./assets.ts";
import { MAP_ERROR_CODES } from "./map.ts";
import { COMMUNITY_PROFILE_ERROR_CODES } from "./community-profile.ts";
import { IMPORT_ERROR_CODES } from "./imports.ts";
import { NEED_ERROR_CODES } from "./needs.ts";
import { FORM_ERROR_CODES } from "./forms.ts";
import { EMERGENCY_ERROR_CODES } from "./emergency.ts";
import { BROADCAST_ERROR_CODES } from "./broadcasts.ts";

/**
 * Stable error codes. Clients translate them (`errors.<code>` in the web app);
 * the message is English, for API users and logs. Each feature's contract file
 * exports its own list; add it here.
 */
export const ERROR_CODES = [
  ...BASE_ERROR_CODES,
  ...RESIDENT_ERROR_CODES,
  ...ASSET_ERROR_CODES,
  ...MAP_ERROR_CODES,
  ...COMMUNITY_PROFILE_ERROR_CODES,
  ...IMPORT_ERROR_CODES,
  ...NEED_ERROR_CODES,
  ...FORM_ERROR_CODES,
  ...EMERGENCY_ERROR_CODES,
  ...BROADCAST_ERROR_CODES,
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
