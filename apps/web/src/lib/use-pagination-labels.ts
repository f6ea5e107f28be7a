import { useTranslation } from "react-i18next";

/** Accessible names for Mantine Pagination's controls and page buttons. */
export function usePaginationLabels() {
  const { t } = useTranslation();
  return {
    getControlProps: (control: "first" | "previous" | "last" | "next") => ({
      "aria-label": t(`pagination.${control}`),
    }),
    getItemProps: (page: number) => ({ "aria-label": t("pagination.page", { page }) }),
  };
}
