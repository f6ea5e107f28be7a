import { useState } from "react";
import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { AnchorLink } from "../../components/links.tsx";
import { apiPost } from "../../api/client.ts";
import { PublicLayout } from "../../components/public-layout.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { safeRedirect } from "../../lib/phone.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

interface SignInAnswer {
  twoFactorRedirect?: boolean;
}

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const search = useSearch({ from: "/signin" });
  const [step, setStep] = useState<"credentials" | "totp">("credentials");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useDocumentTitle(t("auth.signin.title"));

  const done = async () => {
    queryClient.clear();
    await navigate({ to: safeRedirect(search.redirect) });
  };

  const submitCredentials = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const res = await apiPost<SignInAnswer>("/api/auth/sign-in/email", {
        email: email.trim(),
        password,
      });
      if (res?.twoFactorRedirect) {
        setStep("totp");
      } else {
        await done();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const submitCode = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await apiPost("/api/auth/two-factor/verify-totp", { code: code.replace(/\s/g, "") });
      await done();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicLayout>
      <Stack gap="md">
        <Title order={1} size="h2">
          {t("auth.signin.title")}
        </Title>
        {error ? (
          <Alert color="red" role="alert">
            {errorMessage(t, error)}
          </Alert>
        ) : null}
        {step === "credentials" ? (
          <form onSubmit={(e) => void submitCredentials(e)} noValidate={false}>
            <Stack gap="sm">
              <TextInput
                label={t("auth.signin.email")}
                type="email"
                name="email"
                autoComplete="username"
                required
                dir="ltr"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <PasswordInput
                label={t("auth.signin.password")}
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
              />
              <Button type="submit" loading={busy} fullWidth>
                {t("auth.signin.submit")}
              </Button>
            </Stack>
          </form>
        ) : (
          <form onSubmit={(e) => void submitCode(e)}>
            <Stack gap="sm">
              <Text>{t("auth.signin.totpHint")}</Text>
              <TextInput
                label={t("auth.signin.totpCode")}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                dir="ltr"
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                data-autofocus
              />
              <Button type="submit" loading={busy} fullWidth>
                {t("auth.signin.verify")}
              </Button>
              <Button
                variant="subtle"
                onClick={() => {
                  setStep("credentials");
                  setCode("");
                  setError(null);
                }}
              >
                {t("auth.signin.back")}
              </Button>
            </Stack>
          </form>
        )}
        <AnchorLink to="/resident/signin" size="sm">
          {t("auth.signin.residentLink")}
        </AnchorLink>
      </Stack>
    </PublicLayout>
  );
}
