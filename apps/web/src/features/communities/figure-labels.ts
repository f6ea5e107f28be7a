import type { TFunction } from "i18next";
import {
  FIGURE_INDICATORS,
  indicatorKind,
  type Figure,
  type FigureIndicator,
} from "@kaveret/contracts";
import { formatNumber } from "../../lib/format.ts";
import type { UiLocale } from "../../i18n/locales.ts";

const isVocabulary = (v: string): v is FigureIndicator =>
  (FIGURE_INDICATORS as readonly string[]).includes(v);

/** "Population", "Age 75+", or a department's own indicator by its key. */
export function indicatorLabel(t: TFunction, indicator: string): string {
  if (isVocabulary(indicator)) return t(`communityPage.indicators.${indicator}`);
  return indicator.replace(/^custom\./, "").replace(/_/g, " ");
}

/** A figure's value as people read it: 5,200 · 4 of 10 · 12.5%. */
export function formatFigure(
  t: TFunction,
  f: Pick<Figure, "indicator" | "value">,
  locale: UiLocale,
) {
  switch (indicatorKind(f.indicator)) {
    case "cluster":
      return t("communityPage.clusterValue", { value: f.value });
    case "percent":
      return `${formatNumber(f.value, locale)}%`;
    default:
      return formatNumber(f.value, locale);
  }
}

/** Vocabulary order first, then custom indicators by name. */
export function sortFigures<T extends { indicator: string }>(figures: T[]): T[] {
  const rank = (i: string) => {
    const n = (FIGURE_INDICATORS as readonly string[]).indexOf(i);
    return n === -1 ? FIGURE_INDICATORS.length : n;
  };
  return [...figures].sort(
    (a, b) => rank(a.indicator) - rank(b.indicator) || a.indicator.localeCompare(b.indicator),
  );
}
