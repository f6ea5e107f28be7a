import { Group, Pagination } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { usePaginationLabels } from "../lib/use-pagination-labels.ts";

/**
 * The one pager of every list: a navigation landmark, named controls, page 1 on the reading
 * side — so in Hebrew and Arabic "next" is on the left and points left (Mantine turns its
 * chevrons with `.mantine-rotate-rtl` under `dir="rtl"`) — and fewer page buttons on phones,
 * so it never overflows 360 px. Nothing is shown for a single page.
 */
export function Pager({
  total,
  value,
  onChange,
  testId,
}: {
  /** Number of pages. */
  total: number;
  value: number;
  onChange: (page: number) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const labels = usePaginationLabels();
  const wide = useMediaQuery("(min-width: 48em)", true, { getInitialValueInEffect: false });
  if (total <= 1) return null;
  return (
    <Group justify="center" component="nav" aria-label={t("pagination.label")} data-testid={testId}>
      <Pagination
        total={total}
        value={Math.min(Math.max(value, 1), total)}
        siblings={wide ? 1 : 0}
        boundaries={1}
        onChange={onChange}
        {...labels}
      />
    </Group>
  );
}
