import { Modal } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * A centred dialog with a named close button. Its header is a div, not a <header>,
 * so the page keeps a single banner landmark while it is open.
 */
export function AppModal({
  opened,
  onClose,
  title,
  size = "md",
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  size?: string;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal.Root opened={opened} onClose={onClose} centered size={size}>
      <Modal.Overlay />
      <Modal.Content>
        <Modal.Header component="div">
          <Modal.Title component="h2" fw={700}>
            {title}
          </Modal.Title>
          <Modal.CloseButton aria-label={t("app.close")} />
        </Modal.Header>
        <Modal.Body>{children}</Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
