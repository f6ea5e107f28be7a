import { useState } from "react";
import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { readScope } from "../../api/client.ts";

const enc = encodeURIComponent;

/**
 * The address of an answer's photo. An <img> cannot send the department header, so the
 * scope goes in the query (the server reads it the same way); the session cookie goes along.
 */
export function answerPhotoUrl(formId: string, photoId: string, scope = readScope()): string {
  const base = `/api/forms/${enc(formId)}/photos/${enc(photoId)}`;
  return scope ? `${base}?scope=${enc(scope)}` : base;
}

/** A photo answer as a thumbnail that opens the whole photo (for those who read answers). */
export function AnswerPhoto({
  formId,
  photoId,
  label,
  size = 64,
}: {
  formId: string;
  photoId: string;
  /** The question it answers (the link says so). */
  label: string;
  size?: number;
}) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  const url = answerPhotoUrl(formId, photoId);
  if (failed) {
    return (
      <Text size="xs" c="dimmed" data-testid="answer-photo-failed">
        {t("forms.photos.failed")}
      </Text>
    );
  }
  return (
    <a
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={t("forms.photos.open", { label })}
      data-testid="answer-photo"
      style={{ display: "inline-block", lineHeight: 0, borderRadius: 6, overflow: "hidden" }}
    >
      <img
        src={url}
        alt=""
        loading="lazy"
        width={size}
        height={size}
        style={{ objectFit: "cover", display: "block", background: "var(--mantine-color-gray-1)" }}
        onError={() => setFailed(true)}
      />
    </a>
  );
}
