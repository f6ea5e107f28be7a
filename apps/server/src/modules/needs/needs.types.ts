import type { z } from "zod";
import type { needAttachmentSchema } from "@kaveret/contracts";

export type { Need, NeedEvent, NeedListItem, NeedSuggestion } from "@kaveret/contracts";
export type NeedAttachmentSchemaType = z.infer<typeof needAttachmentSchema>;
