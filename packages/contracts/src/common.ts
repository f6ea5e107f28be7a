import { z } from "zod";

export const LOCALES = ["he", "ar", "en", "ru", "am"] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;
/** Locales complete for every staff screen; ru and am cover resident screens. */
export const STAFF_LOCALES = ["he", "ar", "en"] as const;

export const uuidSchema = z.uuid();

export const paginationQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Error codes of the foundation; each feature adds its own (errors.ts gathers them). */
export const BASE_ERROR_CODES = [
  "bad_request",
  "validation_failed",
  "malformed_json",
  "payload_too_large",
  "unsupported_media_type",
  "not_found",
  "route_not_found",
  "method_not_allowed",
  "unauthenticated",
  "forbidden",
  "two_factor_required",
  "account_locked",
  "account_inactive",
  "rate_limited",
  "conflict",
  "version_conflict",
  "internal_error",
  "community.parent_not_found",
  "community.invalid_parent",
  "community.cycle",
  "community.has_active_children",
  "community.archived",
  "invitation.invalid",
  "invitation.expired",
  "invitation.email_taken",
  "invitation.not_sent",
  "user.last_manager",
] as const;

export const okSchema = z.object({ ok: z.literal(true) });
