import { notifications } from "@mantine/notifications";
import { i18n } from "../i18n/index.ts";

/** A short confirmation toast with a named close button. */
export function notify(message: string, color: "green" | "red" = "green"): void {
  notifications.show({ color, message, closeButtonProps: { "aria-label": i18n.t("app.close") } });
}
