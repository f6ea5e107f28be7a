import { useState } from "react";
import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { acceptInvitationBodySchema, type invitationPreviewSchema } from "@kaveret/contracts";
import type { z } from "zod";
import { apiGet, apiPost } from "../../api/client.ts";
import { PublicLayout } from "../../components/public-layout.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import {
  errorMessage,
  serverFieldErrors,
  toFieldErrors,
  type FieldErrors,
} from "../../lib/errors.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

type Preview = z.infer<typeof invitationPreviewSchema>;

export function InvitePage() {
  const { t } = useTranslation();
  const { token } = useParams({ from: "/invite/$token" });
  useDocumentTitle(t("invite.title"));
  const preview = useQuery({
    queryKey: ["invitation-preview", token],
    queryFn: ({ signal }) => apiGet<Preview>("/api/invitations/preview", { token }, signal),
    retry: false,
  });

  return (
    <PublicLayout>
      <Stack gap="md">
        <Title order={1} size="h2">
          {t("invite.title")}
        </Title>
        {preview.isPending ? <PageLoader /> : null}
        {preview.isError ? <ErrorState error={preview.error} /> : null}
        {preview.isSuccess ? <AcceptForm token={token} preview={preview.data} /> : null}
      </Stack>
    </PublicLayout>
  );
}

function AcceptForm({ token, preview }: { token: string; preview: Preview }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState(preview.name);
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed = acceptInvitationBodySchema.safeParse({ token, name, password });
    if (!parsed.success) {
      setErrors(toFieldErrors(t, parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await apiPost("/api/invitations/accept", parsed.data);
      await apiPost("/api/auth/sign-in/email", { email: preview.email, password });
      queryClient.clear();
      await navigate({ to: "/" });
    } catch (err) {
      setErrors(serverFieldErrors(t, err));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Text>
          {t("invite.intro", {
            department: preview.departmentName,
            role: t(`roles.${preview.role}`),
          })}
        </Text>
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        <TextInput label={t("invite.email")} value={preview.email} readOnly dir="ltr" />
        <TextInput
          label={t("invite.name")}
          autoComplete="name"
          required
          value={name}
          error={errors.name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <PasswordInput
          label={t("invite.password")}
          description={t("invite.passwordHint")}
          autoComplete="new-password"
          required
          value={password}
          error={errors.password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
        />
        <Button type="submit" loading={busy} fullWidth>
          {t("invite.submit")}
        </Button>
      </Stack>
    </form>
  );
}
