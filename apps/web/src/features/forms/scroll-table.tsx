import { Table } from "@mantine/core";

/**
 * A wide table that scrolls sideways on narrow screens. The scrolling box takes the
 * keyboard focus (arrow keys scroll it) and is named, as WCAG asks of scrollable regions.
 */
export function ScrollTable({
  minWidth,
  label,
  children,
}: {
  minWidth: number;
  label: string;
  children: React.ReactNode;
}) {
  return (
    <Table.ScrollContainer
      type="native"
      minWidth={minWidth}
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      {children}
    </Table.ScrollContainer>
  );
}
