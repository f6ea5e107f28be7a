import {
  Alert,
  createTheme,
  type CSSVariablesResolver,
  type MantineColorsTuple,
} from "@mantine/core";

// Honey: the beehive ("kaveret"). Shade 8 keeps white text above 4.5:1 contrast.
const honey: MantineColorsTuple = [
  "#fff8e1",
  "#ffecb3",
  "#ffe082",
  "#ffd54f",
  "#ffca28",
  "#ffb300",
  "#e09a00",
  "#b37800",
  "#8f5f00",
  "#6e4900",
];

const fontFamily =
  '"Noto Sans Hebrew", "Noto Sans Arabic", "Noto Sans Ethiopic", "Noto Sans", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

export const theme = createTheme({
  colors: { honey },
  primaryColor: "honey",
  primaryShade: 8,
  fontFamily,
  headings: { fontFamily, fontWeight: "700" },
  defaultRadius: "md",
  cursorType: "pointer",
  components: {
    // The tinted title colour falls below 4.5:1 on some tints; the body text colour never does.
    Alert: Alert.extend({ styles: { title: { color: "var(--mantine-color-text)" } } }),
  },
});

/** Dimmed text and field errors must still meet WCAG AA contrast (Mantine's #fa5252 is 3.3:1). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "#495057", "--mantine-color-error": "#c92a2a" },
  dark: {},
});
