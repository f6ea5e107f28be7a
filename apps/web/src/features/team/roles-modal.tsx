import { useState } from "react";
import { Alert, Button, Checkbox, Group, SimpleGrid, Stack } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { notify } from "../../lib/notify.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { INVITABLE_ROLES, updateUserRolesBodySchema, type StaffUser } from "@kaveret/contracts";
import { apiPut } from "../../api/client.ts";
import {
  errorMessage,
  serverFieldErrors,
  toFieldErrors,
  type FieldErrors,
} from "../../lib/errors.ts";
import { CommunityPicker } from "./community-picker.tsx";

const invitable = new Set<string>(INVITABLE_ROLES);

export function RolesModal({ user, onClose }: { user: StaffUser; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [roles, setRoles] = useState<string[]>(user.roles.filter((r) => invitable.has(r)));
  const [communityIds, setCommunityIds] = useState<string[]>(user.communityIds);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = updateUserRolesBodySchema.safeParse({ roles, communityIds });
    if (!parsed.success) {
      setErrors(toFieldErrors(t, parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await apiPut(`/api/users/${user.id}/roles`, parsed.data);
      notify(t("team.rolesSaved", { name: user.name }));
      await queryClient.invalidateQueries({ queryKey: ["users"] });
      onClose();
    } catch (err) {
      setErrors(serverFieldErrors(t, err));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal
      opened
      onClose={onClose}
      title={t("team.editRolesTitle", { name: user.name })}
      size="lg"
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Checkbox.Group
            label={t("team.roles")}
            value={roles}
            onChange={setRoles}
            error={errors.roles}
            required
          >
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" mt={6}>
              {INVITABLE_ROLES.map((r) => (
                <Checkbox key={r} value={r} label={t(`roles.${r}`)} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <CommunityPicker
            value={communityIds}
            onChange={setCommunityIds}
            error={errors.communityIds}
          />
          <Group justify="flex-end" gap="sm" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("app.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}
