import { useState } from "react";
import { Alert, Button, Group, NativeSelect, Stack, Text, Textarea } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { ResponseItem } from "@kaveret/contracts";
import { AppModal } from "../../components/app-modal.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { activeCategories, categoryName } from "../needs/need-labels.ts";
import { needCategoriesQuery } from "../needs/needs.api.ts";
import { needFromResponse } from "./forms.api.ts";
import type { ShownPhoto } from "./response-text.ts";
import { PhotoList } from "./answer-photo.tsx";

const URGENCIES = ["low", "normal", "high", "critical"] as const;
type Urgency = (typeof URGENCIES)[number];
const DESCRIPTION_MAX = 2000;

/** "Create a need from this answer": the description starts as the answers in words. */
export function NeedFromResponseDialog({
  formId,
  response,
  photos = [],
  initialDescription,
  onClose,
}: {
  formId: string;
  response: ResponseItem | null;
  /** The answer's photos (any depth of repeats), shown while the need is written. */
  photos?: ShownPhoto[];
  initialDescription: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <AppModal opened={response !== null} onClose={onClose} title={t("forms.need.title")} size="lg">
      {response ? (
        <NeedBody
          key={response.id}
          formId={formId}
          response={response}
          photos={photos}
          initialDescription={initialDescription}
          onClose={onClose}
        />
      ) : null}
    </AppModal>
  );
}

function NeedBody({
  formId,
  response,
  photos,
  initialDescription,
  onClose,
}: {
  formId: string;
  response: ResponseItem;
  photos: ShownPhoto[];
  initialDescription: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const queryClient = useQueryClient();
  const categories = useQuery(needCategoriesQuery);
  const [description, setDescription] = useState(initialDescription.slice(0, DESCRIPTION_MAX));
  const [category, setCategory] = useState("");
  const [urgency, setUrgency] = useState<Urgency>("normal");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  if (created) {
    return (
      <Stack gap="md" data-testid="need-created">
        <Alert color="green" role="status">
          {t("forms.need.created")}
        </Alert>
        <Group justify="space-between">
          <AnchorLink to="/needs/$id" params={{ id: created }}>
            {t("forms.need.open")}
          </AnchorLink>
          <Button variant="default" onClick={onClose}>
            {t("app.close")}
          </Button>
        </Group>
      </Stack>
    );
  }

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (description.trim().length < 2) {
      setProblem(t("validation.required"));
      return;
    }
    setBusy(true);
    try {
      const r = await needFromResponse(formId, response.id, {
        description: description.trim(),
        category: category || null,
        urgency,
      });
      setCreated(r.id);
      notify(t("forms.need.created"));
      void queryClient.invalidateQueries({ queryKey: ["forms", "responses", formId] });
      void queryClient.invalidateQueries({ queryKey: ["needs"] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="md">
        <Text size="sm">{t("forms.need.intro")}</Text>
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        {photos.length > 0 ? (
          <Stack gap={4} component="section" aria-label={t("forms.photos.ofAnswer")}>
            <Text size="sm" fw={600}>
              {t("forms.photos.ofAnswer")}
            </Text>
            <PhotoList formId={formId} photos={photos} size={56} />
          </Stack>
        ) : null}
        <Textarea
          label={t("forms.need.description")}
          description={t("forms.need.descriptionHint")}
          required
          autosize
          minRows={5}
          maxRows={14}
          maxLength={DESCRIPTION_MAX}
          value={description}
          error={problem}
          dir="auto"
          onChange={(e) => {
            setDescription(e.currentTarget.value);
            setProblem(null);
          }}
          data-testid="need-description"
        />
        <NativeSelect
          label={t("needs.field.category")}
          value={category}
          onChange={(e) => setCategory(e.currentTarget.value)}
          data={[
            { value: "", label: t("needs.uncategorized") },
            ...activeCategories(categories.data?.items).map((c) => ({
              value: c.code,
              label: categoryName(t, c.code, categories.data?.items, locale),
            })),
          ]}
        />
        <NativeSelect
          label={t("needs.field.urgency")}
          value={urgency}
          onChange={(e) =>
            setUrgency(URGENCIES.find((u) => u === e.currentTarget.value) ?? "normal")
          }
          data={URGENCIES.map((u) => ({ value: u, label: t(`needs.urgency.${u}`) }))}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t("app.cancel")}
          </Button>
          <Button type="submit" loading={busy} data-testid="need-submit">
            {t("forms.need.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
