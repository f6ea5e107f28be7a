import { useEffect, useMemo, useState } from "react";
import { createPortal } from "react-dom";
import { Button, Group, Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { qrCode, qrFileName, qrSvgFile, type QrCode } from "./form-qr.ts";
import "./form-qr.css";

/*
 * The QR code of a form's public link: shown, downloaded as an SVG file (for a flyer or
 * a message) and printed as a poster sheet (the code large, with the form's title and
 * the link), for the notice board of a building or a community centre.
 */

const PRINTING = "kv-printing-qr";

function QrSvg({ code, label, size }: { code: QrCode; label: string; size?: number }) {
  return (
    <svg
      viewBox={`0 0 ${code.size} ${code.size}`}
      width={size}
      height={size}
      shapeRendering="crispEdges"
      role="img"
      aria-label={label}
      data-testid="form-qr-svg"
      // A code reads the same in any language: never mirrored in RTL.
      style={{ direction: "ltr", display: "block" }}
    >
      <rect width={code.size} height={code.size} fill="#ffffff" />
      <path d={code.path} fill="#000000" />
    </svg>
  );
}

function download(code: QrCode, title: string, label: string) {
  const blob = new Blob([qrSvgFile(code, label)], { type: "image/svg+xml" });
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = qrFileName(title);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

function print() {
  const body = document.body;
  const done = () => {
    body.classList.remove(PRINTING);
    window.removeEventListener("afterprint", done);
  };
  body.classList.add(PRINTING);
  window.addEventListener("afterprint", done);
  window.print();
  // Browsers whose print() does not block, or that never say afterprint.
  setTimeout(done, 60_000);
}

export function FormQrCard({ url, title }: { url: string; title: string }) {
  const { t } = useTranslation();
  const code = useMemo(() => qrCode(url), [url]);
  const label = t("forms.distribution.qrAlt", { title });
  // The poster sheet lives under <body> (so printing can hide everything else); portals
  // exist only in the browser, after the first render.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);

  return (
    <Paper withBorder radius="md" p="sm" data-testid="form-qr">
      <Group gap="md" align="center" wrap="wrap">
        <QrSvg code={code} label={label} size={148} />
        <Stack gap="xs" style={{ flex: 1, minWidth: 160 }}>
          <Text size="sm">{t("forms.distribution.qrText")}</Text>
          <Group gap="xs" wrap="wrap">
            <Button
              variant="light"
              onClick={() => download(code, title, label)}
              data-testid="qr-download"
            >
              {t("forms.distribution.qrDownload")}
            </Button>
            <Button variant="default" onClick={print} data-testid="qr-print">
              {t("forms.distribution.qrPrint")}
            </Button>
          </Group>
        </Stack>
      </Group>
      {mounted
        ? createPortal(
            <div className="kv-qr-print" data-testid="qr-print-sheet">
              <h1>{t("forms.distribution.qrPosterTitle")}</h1>
              <p dir="auto">{title}</p>
              <QrSvg code={code} label={label} />
              <p className="kv-qr-link" dir="ltr">
                {url}
              </p>
            </div>,
            document.body,
          )
        : null}
    </Paper>
  );
}
