import { useState } from "react";
import { Alert, Button, Group, NativeSelect, Stack, TextInput } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { notify } from "../../lib/notify.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { INVITABLE_ROLES, createInvitationBodySchema } from "@kaveret/contracts";
import { apiPost } from "../../api/client.ts";
import {
  errorMessage,
  serverFieldErrors,
  toFieldErrors,
  type FieldErrors,
} from "../../lib/errors.ts";
import { CommunityPicker } from "./community-picker.tsx";

export function InviteModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<string>("community_worker");
  const [communityIds, setCommunityIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setEmail("");
    setName("");
    setRole("community_worker");
    setCommunityIds([]);
    setErrors({});
    setError(null);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = createInvitationBodySchema.safeParse({
      email: email.trim(),
      name,
      role,
      communityIds,
    });
    if (!parsed.success) {
      setErrors(toFieldErrors(t, parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await apiPost("/api/invitations", parsed.data);
      notify(t("team.invited", { email: parsed.data.email }));
      await queryClient.invalidateQueries({ queryKey: ["invitations"] });
      reset();
      onClose();
    } catch (err) {
      setErrors(serverFieldErrors(t, err));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal opened={opened} onClose={onClose} title={t("team.inviteTitle")} size="lg">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <TextInput
            label={t("team.name")}
            required
            value={name}
            error={errors.name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label={t("team.email")}
            type="email"
            required
            dir="ltr"
            value={email}
            error={errors.email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <NativeSelect
            label={t("team.role")}
            required
            value={role}
            error={errors.role}
            data={INVITABLE_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            onChange={(e) => setRole(e.currentTarget.value)}
          />
          <CommunityPicker
            value={communityIds}
            onChange={setCommunityIds}
            error={errors.communityIds}
            enabled={opened}
          />
          <Group justify="flex-end" gap="sm" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("team.sendInvite")}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
