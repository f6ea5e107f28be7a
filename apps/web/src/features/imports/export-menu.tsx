import { useState } from "react";
import { Button, Group, Menu, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { AppModal } from "../../components/app-modal.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { downloadFile } from "../../api/download.ts";

export type ExportFormat = "csv" | "xlsx";

/** The language of the file's header row and words: the UI's, among those exports speak. */
function exportLang(): "he" | "ar" | "en" {
  const l = currentLocale();
  return l === "ar" || l === "en" ? l : "he";
}

function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url, window.location.origin);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.pathname + u.search;
}

/**
 * "Export" for a list page: CSV or Excel of exactly what the list shows under its
 * current filters (the server applies the same scope). With `allowSensitive`, a
 * dialog asks why ID numbers and health notes are needed; the purpose is audited.
 */
export function ExportMenu({
  url,
  fileName,
  allowSensitive = false,
}: {
  /** The export address for a format, with the list's current filters. */
  url: (format: ExportFormat) => string;
  /** Used when the server names no file. */
  fileName: string;
  allowSensitive?: boolean;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState(false);
  const [format, setFormat] = useState<ExportFormat>("xlsx");
  const [purpose, setPurpose] = useState("");
  const [purposeError, setPurposeError] = useState<string | null>(null);

  const run = async (f: ExportFormat, extra: Record<string, string> = {}) => {
    setBusy(true);
    try {
      await downloadFile(withParams(url(f), { lang: exportLang(), ...extra }), `${fileName}.${f}`);
      return true;
    } catch (err) {
      notify(errorMessage(t, err), "red");
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submitSensitive = async () => {
    if (purpose.trim().length < 3) {
      setPurposeError(t("imports.export.purposeRequired"));
      return;
    }
    const ok = await run(format, { includeSensitive: "true", purpose: purpose.trim() });
    if (ok) {
      setDialog(false);
      setPurpose("");
    }
  };

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" loading={busy} aria-haspopup="menu">
            {t("imports.export.button")}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => void run("xlsx")}>{t("imports.export.xlsx")}</Menu.Item>
          <Menu.Item onClick={() => void run("csv")}>{t("imports.export.csv")}</Menu.Item>
          {allowSensitive ? (
            <>
              <Menu.Divider />
              <Menu.Item onClick={() => setDialog(true)}>{t("imports.export.sensitive")}</Menu.Item>
            </>
          ) : null}
        </Menu.Dropdown>
      </Menu>
      <AppModal
        opened={dialog}
        onClose={() => setDialog(false)}
        title={t("imports.export.sensitiveTitle")}
      >
        <Stack gap="sm">
          <Text size="sm">{t("imports.export.sensitiveText")}</Text>
          <SegmentedControl
            value={format}
            onChange={(v) => setFormat(v === "csv" ? "csv" : "xlsx")}
            aria-label={t("imports.export.format")}
            data={[
              { value: "xlsx", label: t("imports.export.xlsx") },
              { value: "csv", label: t("imports.export.csv") },
            ]}
          />
          <Textarea
            label={t("imports.export.purpose")}
            description={t("imports.export.purposeHint")}
            required
            autosize
            minRows={2}
            maxLength={300}
            value={purpose}
            error={purposeError}
            onChange={(e) => {
              setPurpose(e.currentTarget.value);
              setPurposeError(null);
            }}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setDialog(false)}>
              {t("app.cancel")}
            </Button>
            <Button loading={busy} onClick={() => void submitSensitive()}>
              {t("imports.export.download")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </>
  );
}
