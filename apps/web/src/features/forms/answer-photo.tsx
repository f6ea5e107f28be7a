import { useState } from "react";
import { Anchor, Group, Stack, Text, UnstyledButton } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { readScope } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import type { ShownPhoto } from "./response-text.ts";

const enc = encodeURIComponent;

/**
 * The address of an answer's photo, or of its small version (`thumb`: a JPEG of at most
 * 320 px the server makes once). An <img> cannot send the department header, so the scope
 * goes in the query (the server reads it the same way); the session cookie goes along.
 */
export function answerPhotoUrl(
  formId: string,
  photoId: string,
  o: { thumb?: boolean; scope?: string | null } = {},
): string {
  const scope = o.scope === undefined ? readScope() : o.scope;
  const query = [o.thumb ? "size=thumb" : "", scope ? `scope=${enc(scope)}` : ""].filter(Boolean);
  const base = `/api/forms/${enc(formId)}/photos/${enc(photoId)}`;
  return query.length ? `${base}?${query.join("&")}` : base;
}

/**
 * A photo answer as a thumbnail (its small version, fetched only when scrolled near);
 * pressing it — by pointer or keyboard — opens the whole photo in a dialog that Escape
 * closes, focus going back to the thumbnail.
 */
export function AnswerPhoto({
  formId,
  photoId,
  label,
  size = 64,
}: {
  formId: string;
  photoId: string;
  /** What the photo answers ("Photo of the room, entry 2"): the button and dialog say so. */
  label: string;
  size?: number;
}) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);
  if (failed) {
    return (
      <Text size="xs" c="dimmed" data-testid="answer-photo-failed">
        {t("forms.photos.failed")}
      </Text>
    );
  }
  return (
    <>
      <UnstyledButton
        onClick={() => setOpen(true)}
        aria-label={t("forms.photos.open", { label })}
        aria-haspopup="dialog"
        title={label}
        data-testid="answer-photo"
        style={{ display: "inline-block", lineHeight: 0, borderRadius: 6, overflow: "hidden" }}
      >
        <img
          src={answerPhotoUrl(formId, photoId, { thumb: true })}
          alt=""
          loading="lazy"
          decoding="async"
          width={size}
          height={size}
          style={{
            objectFit: "cover",
            display: "block",
            background: "var(--mantine-color-gray-1)",
          }}
          onError={() => setFailed(true)}
        />
      </UnstyledButton>
      <AppModal opened={open} onClose={() => setOpen(false)} title={label} size="xl">
        {open ? <WholePhoto formId={formId} photoId={photoId} label={label} /> : null}
      </AppModal>
    </>
  );
}

function WholePhoto({
  formId,
  photoId,
  label,
}: {
  formId: string;
  photoId: string;
  label: string;
}) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  const url = answerPhotoUrl(formId, photoId);
  return (
    <Stack gap="sm" data-testid="answer-photo-dialog">
      {failed ? (
        <Text size="sm" c="dimmed" role="status">
          {t("forms.photos.failed")}
        </Text>
      ) : (
        <img
          src={url}
          alt={label}
          decoding="async"
          style={{
            display: "block",
            maxWidth: "100%",
            maxHeight: "70vh",
            marginInline: "auto",
            objectFit: "contain",
            background: "var(--mantine-color-gray-1)",
          }}
          onError={() => setFailed(true)}
        />
      )}
      <Group justify="flex-end">
        <Anchor href={url} target="_blank" rel="noopener noreferrer" size="sm">
          {t("forms.photos.newTab")}
        </Anchor>
      </Group>
    </Stack>
  );
}

/** Thumbnails of photos, each named by its question and entry. */
export function PhotoList({
  formId,
  photos,
  size,
  more = null,
}: {
  formId: string;
  photos: ShownPhoto[];
  size: number;
  more?: string | null;
}) {
  const { t } = useTranslation();
  return (
    <Group
      component="ul"
      gap={4}
      wrap="wrap"
      mt={4}
      style={{ listStyle: "none", padding: 0, margin: 0 }}
      data-testid="nested-photos"
    >
      {photos.map((p) => (
        <li key={p.key}>
          <AnswerPhoto
            formId={formId}
            photoId={p.id}
            size={size}
            label={
              p.entry ? t("forms.photos.inEntry", { label: p.label, entry: p.entry }) : p.label
            }
          />
        </li>
      ))}
      {more ? (
        <Text component="li" size="xs" c="dimmed" style={{ alignSelf: "center" }}>
          {more}
        </Text>
      ) : null}
    </Group>
  );
}
