import { useState } from "react";
import { Alert, Button, Group, NativeSelect, Radio, Stack, TextInput } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { FORM_API_LIMITS } from "@kaveret/contracts";
import { AppModal } from "../../components/app-modal.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { canSeeCommunities } from "../shell/nav.ts";
import { useSession } from "../shell/session.tsx";
import { createForm, formQuery } from "./forms.api.ts";

/** "New form": a title, anonymous or not, and (optionally) the community it is for. */
export function NewFormDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <AppModal opened={opened} onClose={onClose} title={t("forms.new.title")}>
      {opened ? <NewFormBody onClose={onClose} /> : null}
    </AppModal>
  );
}

function NewFormBody({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { roles } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const communities = useQuery({ ...parentOptionsQuery, enabled: canSeeCommunities(roles) });
  const [title, setTitle] = useState("");
  const [anonymous, setAnonymous] = useState(true);
  const [communityId, setCommunityId] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (title.trim() === "") {
      setProblem(t("validation.required"));
      return;
    }
    setBusy(true);
    try {
      const form = await createForm({
        title: title.trim(),
        anonymous,
        communityId: communityId || null,
      });
      queryClient.setQueryData(formQuery(form.id).queryKey, form);
      void queryClient.invalidateQueries({ queryKey: ["forms", "list"] });
      onClose();
      void navigate({ to: "/forms/$id", params: { id: form.id } });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="md">
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        <TextInput
          label={t("forms.new.name")}
          required
          data-autofocus
          maxLength={FORM_API_LIMITS.title}
          value={title}
          error={problem}
          onChange={(e) => {
            setTitle(e.currentTarget.value);
            setProblem(null);
          }}
          data-testid="new-form-title"
        />
        <Radio.Group
          label={t("forms.privacy.label")}
          value={anonymous ? "anonymous" : "identified"}
          onChange={(v) => setAnonymous(v === "anonymous")}
        >
          <Stack gap="xs" mt={6}>
            <Radio
              value="anonymous"
              label={t("forms.anonymous")}
              description={t("forms.privacy.anonymousHint")}
            />
            <Radio
              value="identified"
              label={t("forms.identified")}
              description={t("forms.privacy.identifiedHint")}
            />
          </Stack>
        </Radio.Group>
        {communities.isSuccess ? (
          <NativeSelect
            label={t("forms.new.community")}
            description={t("forms.new.communityHint")}
            value={communityId}
            onChange={(e) => setCommunityId(e.currentTarget.value)}
            data={[
              { value: "", label: t("forms.allCommunities") },
              ...communities.data.items.map((c) => ({
                value: c.id,
                label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
              })),
            ]}
          />
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t("app.cancel")}
          </Button>
          <Button type="submit" loading={busy} data-testid="new-form-submit">
            {t("forms.new.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
