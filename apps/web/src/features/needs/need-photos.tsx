import { useEffect, useRef, useState } from "react";
import { Alert, Button, Group, Image, Skeleton, Stack, Text, UnstyledButton } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { NEED_LIMITS, type Need } from "@kaveret/contracts";
import { AppModal } from "../../components/app-modal.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { PHOTO_TYPES, photoProblem } from "../public-report/photo-files.ts";
import { attachmentUrl, fetchAttachment, needQuery, uploadAttachment } from "./needs.api.ts";

type Attachment = Need["attachments"][number];

/** An attachment fetched with the department header, as an object URL (revoked on unmount). */
function useAttachmentSrc(needId: string, attachmentId: string) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const ctrl = new AbortController();
    let url: string | null = null;
    fetchAttachment(attachmentUrl(needId, attachmentId), ctrl.signal)
      .then((u) => {
        url = u;
        setSrc(u);
      })
      .catch(() => {
        if (!ctrl.signal.aborted) setFailed(true);
      });
    return () => {
      ctrl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [needId, attachmentId]);
  return { src, failed };
}

function Thumb({
  needId,
  a,
  index,
  onOpen,
}: {
  needId: string;
  a: Attachment;
  index: number;
  onOpen: (src: string, index: number) => void;
}) {
  const { t } = useTranslation();
  const { src, failed } = useAttachmentSrc(needId, a.id);
  if (failed) {
    return (
      <Text size="xs" c="dimmed" w={96}>
        {t("needs.photos.failed")}
      </Text>
    );
  }
  if (!src) return <Skeleton w={96} h={96} radius="sm" />;
  return (
    <UnstyledButton
      onClick={() => onOpen(src, index)}
      aria-label={t("needs.photos.open", { n: index + 1 })}
      style={{ borderRadius: 6, overflow: "hidden", lineHeight: 0 }}
    >
      <Image src={src} alt="" w={96} h={96} fit="cover" />
    </UnstyledButton>
  );
}

/** The need's photos as thumbnails (a click shows the full image) and, for staff, adding one. */
export function NeedPhotos({ need, canAdd }: { need: Need; canAdd: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState<{ src: string; index: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const full = need.attachments.length >= NEED_LIMITS.attachmentsPerNeed;

  const add = async (file: File | undefined) => {
    if (!file) return;
    setProblem(null);
    const p = photoProblem(file);
    if (p) {
      setProblem(t(`needs.photos.problem.${p}`));
      return;
    }
    setBusy(true);
    try {
      const updated = await uploadAttachment(need.id, file);
      queryClient.setQueryData(needQuery(need.id).queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: ["needs", "list"] });
      notify(t("needs.photos.added"));
    } catch (err) {
      setProblem(errorMessage(t, err));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  };

  return (
    <Stack gap="xs">
      {need.attachments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("needs.photos.none")}
        </Text>
      ) : (
        <Group
          gap="xs"
          wrap="wrap"
          component="ul"
          style={{ listStyle: "none", padding: 0, margin: 0 }}
        >
          {need.attachments.map((a, i) => (
            <li key={a.id}>
              <Thumb
                needId={need.id}
                a={a}
                index={i}
                onOpen={(src, index) => setOpen({ src, index })}
              />
            </li>
          ))}
        </Group>
      )}
      {canAdd && !full ? (
        <Group gap="xs">
          <input
            ref={input}
            type="file"
            accept={PHOTO_TYPES.join(",")}
            hidden
            onChange={(e) => void add(e.currentTarget.files?.[0])}
          />
          <Button
            size="compact-sm"
            variant="default"
            loading={busy}
            onClick={() => input.current?.click()}
          >
            {t("needs.photos.add")}
          </Button>
          <Text size="xs" c="dimmed">
            {t("needs.photos.hint")}
          </Text>
        </Group>
      ) : null}
      {problem ? (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          closeButtonLabel={t("app.close")}
          onClose={() => setProblem(null)}
        >
          {problem}
        </Alert>
      ) : null}
      {open ? (
        <AppModal
          opened
          size="xl"
          onClose={() => setOpen(null)}
          title={t("needs.photos.title", { n: open.index + 1 })}
        >
          <Image
            src={open.src}
            alt={t("needs.photos.alt", { ref: need.reference, n: open.index + 1 })}
            fit="contain"
            mah="75vh"
          />
        </AppModal>
      ) : null}
    </Stack>
  );
}
