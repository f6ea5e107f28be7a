import { z } from "zod";
import { createNeedBodySchema, needStatusSchema, needUrgencySchema } from "./needs.ts";
import { createResponseBodySchema, fieldAssignmentSchema } from "./forms.ts";
import { syncCallOutcomeArgsSchema } from "./emergency.ts";

/*
 * Offline field work (shared/engineering/SYNC.md): a device pushes its outbox of
 * commands (ids made on the device; each applied exactly once) and pulls the changes
 * it may see since a cursor.
 */

export const SYNC_LIMITS = { commandsPerPush: 100, pullPage: 500 } as const;

/** Fields of a need a device may edit offline. */
export const syncNeedFieldsSchema = z
  .object({
    status: needStatusSchema.optional(),
    reason: z.string().trim().max(500).optional(),
    category: z.string().max(40).nullable().optional(),
    urgency: needUrgencySchema.optional(),
    description: z.string().trim().min(2).max(2000).optional(),
    addressText: z.string().trim().max(200).optional(),
  })
  .strict();

export const syncCommandSchema = z.discriminatedUnion("name", [
  z.object({
    id: z.uuid(),
    name: z.literal("need.create"),
    args: createNeedBodySchema.safeExtend({ id: z.uuid() }),
  }),
  z.object({
    id: z.uuid(),
    name: z.literal("need.comment"),
    args: z.object({ needId: z.uuid(), text: z.string().trim().min(1).max(2000) }).strict(),
  }),
  z.object({
    id: z.uuid(),
    name: z.literal("need.update"),
    args: z
      .object({
        needId: z.uuid(),
        /** The version the edit was made on. */
        baseVersion: z.number().int().min(1),
        /** The edited fields' values at baseVersion (to merge field by field). */
        base: syncNeedFieldsSchema,
        changes: syncNeedFieldsSchema,
      })
      .strict(),
  }),
  z.object({
    id: z.uuid(),
    name: z.literal("form.response"),
    args: createResponseBodySchema.safeExtend({ formId: z.uuid() }),
  }),
  z.object({
    id: z.uuid(),
    /** An emergency call's outcome, worked offline (the attempt id is made on the device). */
    name: z.literal("emergency.call_outcome"),
    args: syncCallOutcomeArgsSchema,
  }),
]);
export type SyncCommand = z.infer<typeof syncCommandSchema>;

export const syncPushBodySchema = z
  .object({
    deviceId: z.string().min(8).max(100),
    commands: z.array(syncCommandSchema).min(1).max(SYNC_LIMITS.commandsPerPush),
  })
  .strict();

export const syncCommandResultSchema = z.object({
  id: z.uuid(),
  status: z.enum(["ok", "conflict", "rejected"]),
  /** ok: the record's id and version after the command. */
  recordId: z.uuid().optional(),
  version: z.number().int().optional(),
  /** conflict: the fields both sides changed, with both values, for a person to choose. */
  conflicts: z
    .array(
      z.object({ field: z.string(), base: z.unknown(), mine: z.unknown(), theirs: z.unknown() }),
    )
    .optional(),
  currentVersion: z.number().int().optional(),
  /** rejected: why. */
  code: z.string().optional(),
  message: z.string().optional(),
});
export type SyncCommandResult = z.infer<typeof syncCommandResultSchema>;
export const syncPushResultSchema = z.object({ results: z.array(syncCommandResultSchema) });

export const syncPullQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(SYNC_LIMITS.pullPage).default(SYNC_LIMITS.pullPage),
});
export const syncChangeSchema = z.object({
  /** emergency_call: the caller's own call assignments (removed when reassigned or closed). */
  kind: z.enum(["need", "form", "emergency_call"]),
  id: z.uuid(),
  /** remove: the record left what the reader may see (or was deleted). */
  op: z.enum(["upsert", "remove"]),
  version: z.number().int().optional(),
  record: z.record(z.string(), z.unknown()).optional(),
});
export const syncPullSchema = z.object({
  changes: z.array(syncChangeSchema),
  cursor: z.number().int(),
  hasMore: z.boolean(),
  /**
   * On the last page: every door-to-door assignment of the reader on an open form they
   * may fill, whole (the device replaces its list: one taken away goes from the device).
   */
  assignments: z.array(fieldAssignmentSchema).optional(),
});
