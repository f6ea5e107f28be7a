import { Badge, type BadgeProps } from "@mantine/core";

// Text colours dark enough for 4.5:1 on each light tint (Mantine's shade 9 is not, for some).
const TEXT: Record<string, string> = {
  green: "#1d5a2a",
  teal: "#08513b",
  red: "#9b1c1c",
  blue: "#174a84",
  grape: "#5f1a6e",
  gray: "#343a40",
  honey: "#5c3d00",
  orange: "#8a3a00",
  yellow: "#6b4e00",
};

/** A light badge whose text keeps AA contrast. */
export function SoftBadge({
  color = "honey",
  children,
  ...rest
}: BadgeProps & { children: React.ReactNode }) {
  const base = typeof color === "string" ? (color.split(".")[0] ?? "honey") : "honey";
  return (
    <Badge variant="light" color={base} c={TEXT[base] ?? "#212529"} {...rest}>
      {children}
    </Badge>
  );
}
