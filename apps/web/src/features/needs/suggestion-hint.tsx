import { Button, Group, Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { NeedSuggestion, NeedUrgency } from "@kaveret/contracts";
import { CategoryLabel, UrgencyBadge } from "./need-badges.tsx";
import {
  confidencePercent,
  highlightDrivers,
  isUrgent,
  offersSuggestion,
} from "./need-workflow.ts";

/** The text with the words that drove the model marked. */
export function DriverText({ text, drivers }: { text: string; drivers: readonly string[] }) {
  return (
    <Text size="sm" dir="auto" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
      {highlightDrivers(text, drivers).map((p, i) =>
        p.hit ? (
          <mark
            key={i}
            style={{ background: "#ffe8a3", color: "inherit", padding: "0 2px", borderRadius: 2 }}
          >
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </Text>
  );
}

/**
 * The model's reading of a need: category with its confidence and the words behind it,
 * and the urgency it reads. A person confirms with a button; nothing is applied by itself.
 */
export function SuggestionHint({
  suggestion,
  text,
  category,
  urgency,
  categoryName,
  onAcceptCategory,
  onAcceptUrgency,
  busy = false,
}: {
  suggestion: NeedSuggestion;
  text: string;
  category: string | null;
  urgency: NeedUrgency;
  categoryName: (code: string | null) => string;
  onAcceptCategory?: (code: string) => void;
  onAcceptUrgency?: (u: NeedUrgency) => void;
  busy?: boolean;
}) {
  const { t } = useTranslation();
  if (suggestion.source === "none" || (!suggestion.category && !suggestion.urgency)) return null;
  const percent = confidencePercent(suggestion.confidence);
  const showCategory = suggestion.category !== null;
  const urgentReading =
    suggestion.urgency !== null && isUrgent(suggestion.urgency) && suggestion.urgency !== urgency;
  const drivers = [...suggestion.drivers, ...(urgentReading ? suggestion.urgencyDrivers : [])];
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      bg="grape.0"
      data-testid="need-suggestion"
      aria-live="polite"
    >
      <Stack gap={6}>
        {showCategory ? (
          <Group gap="xs" wrap="wrap">
            <Text size="sm" fw={700}>
              {t("needs.suggest.category")}
            </Text>
            <CategoryLabel code={suggestion.category} name={categoryName(suggestion.category)} />
            {percent !== null ? (
              <Text size="sm" c="dimmed">
                {t("needs.suggest.confidence", { percent })}
              </Text>
            ) : null}
            <Text size="xs" c="dimmed">
              {t(`needs.suggest.source.${suggestion.source}`)}
            </Text>
          </Group>
        ) : null}
        {urgentReading && suggestion.urgency ? (
          <Group gap="xs" wrap="wrap">
            <Text size="sm" fw={700}>
              {t("needs.suggest.urgency")}
            </Text>
            <UrgencyBadge urgency={suggestion.urgency} />
          </Group>
        ) : null}
        {drivers.length > 0 && text ? (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t("needs.suggest.drivers")}
            </Text>
            <DriverText text={text} drivers={drivers} />
          </Stack>
        ) : null}
        <Group gap="xs">
          {onAcceptCategory &&
          suggestion.category &&
          offersSuggestion(category, suggestion.category) ? (
            <Button
              size="compact-sm"
              color="grape.9"
              loading={busy}
              onClick={() => onAcceptCategory(suggestion.category!)}
            >
              {t("needs.suggest.accept")}
            </Button>
          ) : null}
          {onAcceptUrgency && urgentReading && suggestion.urgency ? (
            <Button
              size="compact-sm"
              color="red.9"
              loading={busy}
              onClick={() => onAcceptUrgency(suggestion.urgency!)}
            >
              {t("needs.suggest.acceptUrgency", {
                urgency: t(`needs.urgency.${suggestion.urgency}`),
              })}
            </Button>
          ) : null}
        </Group>
        <Text size="xs" c="dimmed">
          {t("needs.suggest.personConfirms")}
        </Text>
      </Stack>
    </Paper>
  );
}
