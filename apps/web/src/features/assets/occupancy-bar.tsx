import { Group, Progress, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { currentLocale } from "../../i18n/index.ts";
import { formatNumber } from "../../lib/format.ts";

/** Share of capacity in use, 0–100 (over 100 when overcrowded). */
export function occupancyPercent(occupancy: number, capacity: number): number {
  if (capacity <= 0) return occupancy > 0 ? 100 : 0;
  return Math.round((occupancy / capacity) * 100);
}

/** Green while there is room, orange when nearly full, red when full or over. */
export function occupancyColor(percent: number): "green" | "orange" | "red" {
  if (percent >= 100) return "red";
  if (percent >= 80) return "orange";
  return "green";
}

/** "45 of 60 (75%)" with a bar; the numbers are the text, the bar only repeats them. */
export function OccupancyBar({
  occupancy,
  capacity,
  compact = false,
}: {
  occupancy: number;
  capacity: number;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const percent = occupancyPercent(occupancy, capacity);
  const text = t("assets.occupancyOf", {
    occupancy: formatNumber(occupancy, locale),
    capacity: formatNumber(capacity, locale),
    percent,
  });
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Text size="sm">{text}</Text>
        {percent >= 100 ? (
          <Text size="sm" fw={700} c="red.9">
            {t("assets.full")}
          </Text>
        ) : null}
      </Group>
      <Progress.Root size={compact ? "sm" : "lg"}>
        <Progress.Section
          value={Math.min(100, percent)}
          color={occupancyColor(percent)}
          aria-label={t("assets.occupancy")}
          aria-valuetext={text}
        />
      </Progress.Root>
    </Stack>
  );
}
