import { useTranslation } from "react-i18next";
import type { FormStatus } from "@kaveret/contracts";
import { SoftBadge } from "../../components/soft-badge.tsx";

const STATUS_COLORS: Record<FormStatus, string> = {
  draft: "gray",
  open: "green",
  closed: "orange",
};

/** A form's status in words (colour only adds to it). */
export function FormStatusBadge({
  status,
  size = "md",
}: {
  status: FormStatus;
  size?: "sm" | "md" | "lg";
}) {
  const { t } = useTranslation();
  return (
    <SoftBadge color={STATUS_COLORS[status]} tt="none" size={size} data-status={status}>
      {t(`forms.status.${status}`)}
    </SoftBadge>
  );
}
