import { useState } from "react";
import { Alert, Button, Group, Stack, Text, Textarea } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { revealBodySchema } from "@kaveret/contracts";
import { apiPost } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { errorMessage, toFieldErrors } from "../../lib/errors.ts";
import type { RevealResponse } from "./residents.api.ts";

export type RevealField = "healthNotes" | "idNumber";

/** Which phrase names the fields asked for ("the ID number", "… and health notes"). */
export function whatKey(fields: readonly RevealField[]): "idNumber" | "healthNotes" | "both" {
  if (fields.length > 1) return "both";
  return fields[0] === "healthNotes" ? "healthNotes" : "idNumber";
}

/**
 * Asks why the reader needs the sensitive fields, then fetches them. The server records
 * the view (fields and purpose) in the audit log.
 */
export function RevealDialog({
  residentId,
  fields,
  onClose,
  onRevealed,
}: {
  residentId: string;
  fields: RevealField[];
  onClose: () => void;
  onRevealed: (values: RevealResponse) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [purpose, setPurpose] = useState("");
  const [purposeError, setPurposeError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const what = t(`resident.sensitive.what.${whatKey(fields)}`);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = revealBodySchema.safeParse({ fields, purpose });
    if (!parsed.success) {
      const errs = toFieldErrors(t, parsed.error.issues);
      setPurposeError(errs.purpose ?? t("validation.invalid"));
      return;
    }
    setPurposeError(undefined);
    setBusy(true);
    setError(null);
    try {
      const values = await apiPost<RevealResponse>(
        `/api/residents/${encodeURIComponent(residentId)}/reveal`,
        parsed.data,
      );
      void queryClient.invalidateQueries({ queryKey: ["residents", "history", residentId] });
      onRevealed(values);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal opened onClose={onClose} title={t("resident.sensitive.dialogTitle", { what })}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <Text size="sm">{t("resident.sensitive.dialogText")}</Text>
          <Textarea
            label={t("resident.sensitive.purpose")}
            description={t("resident.sensitive.purposeHint")}
            required
            data-autofocus
            autosize
            minRows={2}
            maxRows={5}
            maxLength={300}
            value={purpose}
            error={purposeError}
            onChange={(e) => setPurpose(e.currentTarget.value)}
          />
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("resident.sensitive.show")}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
