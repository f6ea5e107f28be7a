import { useEffect, useRef, useState } from "react";
import { Button, Group, Image, Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { PHOTO_TYPES, PUBLIC_MAX_PHOTOS, fileSize, type PhotoProblem } from "./photo-files.ts";

/** Optional photos: pick (camera or gallery), see them, remove any; problems said plainly. */
export function ReportPhotos({
  photos,
  onAdd,
  onRemove,
  rejected,
}: {
  photos: readonly File[];
  onAdd: (files: File[]) => void;
  onRemove: (index: number) => void;
  rejected: readonly { name: string; problem: PhotoProblem }[];
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  // Object URLs made and revoked by the same effect (safe under StrictMode's double run).
  const [previews, setPreviews] = useState<string[]>([]);
  useEffect(() => {
    const urls = photos.map((f) => URL.createObjectURL(f));
    setPreviews(urls);
    return () => urls.forEach((u) => URL.revokeObjectURL(u));
  }, [photos]);
  const room = PUBLIC_MAX_PHOTOS - photos.length;

  return (
    <Stack gap="sm">
      <Text size="sm">{t("publicReport.photos.privacy")}</Text>
      {photos.length > 0 ? (
        <Stack component="ul" gap="xs" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {photos.map((f, i) => (
            <Paper component="li" key={`${f.name}-${f.size}-${i}`} withBorder p="xs" radius="md">
              <Group gap="sm" wrap="nowrap">
                <Image
                  src={previews[i] ?? null}
                  alt={t("publicReport.photos.preview", { n: i + 1 })}
                  w={72}
                  h={72}
                  fit="cover"
                  radius="sm"
                />
                <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                  <Text size="sm" truncate dir="auto">
                    {f.name}
                  </Text>
                  <Text size="xs" c="dimmed" dir="ltr" style={{ unicodeBidi: "isolate" }}>
                    {fileSize(f.size)}
                  </Text>
                </Stack>
                <Button
                  size="md"
                  variant="default"
                  onClick={() => onRemove(i)}
                  aria-label={t("publicReport.photos.removeN", { n: i + 1 })}
                >
                  {t("publicReport.photos.remove")}
                </Button>
              </Group>
            </Paper>
          ))}
        </Stack>
      ) : null}
      <input
        ref={input}
        type="file"
        accept={PHOTO_TYPES.join(",")}
        multiple
        hidden
        data-testid="report-photo-input"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = "";
          if (files.length) onAdd(files);
        }}
      />
      {room > 0 ? (
        <Group>
          <Button size="md" variant="default" onClick={() => input.current?.click()}>
            {photos.length ? t("publicReport.photos.addAnother") : t("publicReport.photos.add")}
          </Button>
        </Group>
      ) : null}
      <Text size="xs" c="dimmed">
        {t("publicReport.photos.limits", { max: PUBLIC_MAX_PHOTOS })}
      </Text>
      {rejected.length > 0 ? (
        <Stack gap={2} role="alert">
          {rejected.map((r, i) => (
            <Text key={`${r.name}-${i}`} size="sm" c="var(--mantine-color-error)">
              {t(`publicReport.photos.problem.${r.problem}`, {
                name: r.name,
                max: PUBLIC_MAX_PHOTOS,
              })}
            </Text>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
