/**
 * Small line icons for need categories and urgencies. Decorative: a category's or an
 * urgency's name is always shown beside its icon. No other imports, so the public
 * report page can use them without pulling in the staff screens.
 */

const CATEGORY_PATHS: Record<string, string> = {
  food: "M3 11h18M5 11a7 7 0 0 0 14 0M9 21h6M12 18v3M9 3c0 2 2 2 2 4M13 3c0 2 2 2 2 4",
  housing: "M3 11l9-7 9 7M5 10v10h14V10M10 20v-6h4v6",
  loneliness: "M9 7a3 3 0 1 0 6 0a3 3 0 1 0-6 0M6 21v-2a4 4 0 0 1 4-4h4a4 4 0 0 1 4 4v2",
  health: "M4 4h16v16H4zM12 8v8M8 12h8",
  accessibility: "M11 4a1 1 0 1 0 2 0a1 1 0 1 0-2 0M12 7v6h5l2 5M12 10h4M9 11a5 5 0 1 0 6.5 6.5",
  public_space: "M12 3a5 5 0 0 0-5 5c0 3 2 5 5 5s5-2 5-5a5 5 0 0 0-5-5zM12 13v8M8 21h8",
  cleanliness: "M4 7h16M10 11v6M14 11v6M5 7l1 13h12l1-13M9 7V4h6v3",
  safety: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4",
  children_youth: "M3 12a9 9 0 1 0 18 0a9 9 0 1 0-18 0M9 10h.01M15 10h.01M9.5 15a3.5 3.5 0 0 0 5 0",
  employment: "M3 8h18v12H3zM8 8V5h8v3M3 13h18",
  rights: "M12 4v16M8 20h8M5 8h14M5 8l-3 6a3 3 0 0 0 6 0zM19 8l-3 6a3 3 0 0 0 6 0z",
  neighbours:
    "M6 8a3 3 0 1 0 6 0a3 3 0 1 0-6 0M3 20v-1a5 5 0 0 1 10 0v1M15 5a3 3 0 1 1 0 6M17 20v-1a5 5 0 0 0-2.5-4.3",
};
const OTHER_PATH = "M4 4h7l9 9-7 7-9-9zM8 8h.01";

const URGENCY_PATHS: Record<string, string> = {
  low: "M12 5v14M6 13l6 6 6-6",
  normal: "M5 12h14",
  high: "M12 19V5M6 11l6-6 6 6",
  critical: "M12 3L2 20h20zM12 10v4M12 17h.01",
};

function LineIcon({ d, size, strokeWidth = 2 }: { d: string; size: number; strokeWidth?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      style={{ flex: "none" }}
    >
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        strokeWidth={strokeWidth}
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The category's glyph (a tag for categories a department added). */
export function CategoryIcon({ code, size = 24 }: { code: string | null; size?: number }) {
  return <LineIcon d={(code && CATEGORY_PATHS[code]) || OTHER_PATH} size={size} />;
}

/** Arrow down, level, arrow up, warning triangle: the urgency's shape, not only its colour. */
export function UrgencyIcon({ urgency, size = 14 }: { urgency: string; size?: number }) {
  return (
    <LineIcon d={URGENCY_PATHS[urgency] ?? URGENCY_PATHS.normal!} size={size} strokeWidth={2.5} />
  );
}
