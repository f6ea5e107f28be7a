import { Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { NeedStatus, NeedUrgency } from "@kaveret/contracts";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { CategoryIcon, UrgencyIcon } from "./need-icons.tsx";
import { STATUS_COLORS, URGENCY_COLORS } from "./need-workflow.ts";

/** Urgency: colour, icon and name together (never colour alone). */
export function UrgencyBadge({
  urgency,
  size = "md",
}: {
  urgency: NeedUrgency;
  size?: "sm" | "md" | "lg";
}) {
  const { t } = useTranslation();
  return (
    <SoftBadge
      color={URGENCY_COLORS[urgency]}
      tt="none"
      size={size}
      leftSection={<UrgencyIcon urgency={urgency} size={size === "lg" ? 16 : 13} />}
      data-urgency={urgency}
      // A badge's word must never be cut short in a narrow table column.
      style={{ flexShrink: 0, maxWidth: "none", overflow: "visible" }}
    >
      {t(`needs.urgency.${urgency}`)}
    </SoftBadge>
  );
}

export function StatusBadge({
  status,
  size = "md",
}: {
  status: NeedStatus;
  size?: "sm" | "md" | "lg";
}) {
  const { t } = useTranslation();
  return (
    <SoftBadge
      color={STATUS_COLORS[status]}
      tt="none"
      size={size}
      variant="outline"
      style={{ flexShrink: 0, maxWidth: "none", overflow: "visible" }}
    >
      {t(`needs.status.${status}`)}
    </SoftBadge>
  );
}

/** A category's icon and name. */
export function CategoryLabel({ code, name }: { code: string | null; name: string }) {
  return (
    <Group gap={6} wrap="nowrap" component="span">
      <CategoryIcon code={code} size={18} />
      <Text span size="sm">
        {name}
      </Text>
    </Group>
  );
}
