import { Progress, Stack, Stepper, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useTranslation } from "react-i18next";

const STEPS = ["file", "mapping", "check", "import"] as const;

/**
 * Where the wizard is: a stepper on wide screens; on a phone, one line
 * ("Step 2 of 4: match the columns") with a bar.
 */
export function ImportSteps({ active, done = false }: { active: number; done?: boolean }) {
  const { t } = useTranslation();
  const wide = useMediaQuery("(min-width: 48em)", true);
  const current = Math.min(active, STEPS.length - 1);
  if (!wide) {
    return (
      <Stack gap={4} aria-label={t("imports.steps.label")} role="group">
        <Text size="sm" fw={700}>
          {t("imports.steps.position", {
            n: current + 1,
            total: STEPS.length,
            name: t(`imports.steps.${STEPS[current]}`),
          })}
        </Text>
        <Progress
          value={done ? 100 : ((current + 0.5) / STEPS.length) * 100}
          size="sm"
          aria-hidden
        />
      </Stack>
    );
  }
  return (
    <Stepper
      active={done ? STEPS.length : current}
      size="sm"
      allowNextStepsSelect={false}
      aria-label={t("imports.steps.label")}
    >
      {STEPS.map((s) => (
        <Stepper.Step key={s} label={t(`imports.steps.${s}`)} />
      ))}
    </Stepper>
  );
}
