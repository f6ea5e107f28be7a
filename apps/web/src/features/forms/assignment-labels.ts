import type { TFunction } from "i18next";
import type { AssignmentOptions } from "@kaveret/contracts";

type Target = Pick<AssignmentOptions["targets"][number], "kind" | "level">;

/** "Building", "Street cluster" or "Street": what kind of place an assignment's target is. */
export function targetKindLabel(t: TFunction, target: Target): string {
  return target.kind === "street"
    ? t("forms.assignments.street")
    : t(`communities.levels.${target.level ?? "building"}`);
}
