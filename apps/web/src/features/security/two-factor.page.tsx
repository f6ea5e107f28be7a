import { useState } from "react";
import {
  Alert,
  Button,
  Code,
  CopyButton,
  Paper,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { notify } from "../../lib/notify.ts";
import { apiPost } from "../../api/client.ts";
import { PageTitle } from "../../components/page-title.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { useSession } from "../shell/session.tsx";
import { totpSecretOf } from "./totp.ts";

interface EnableAnswer {
  totpURI: string;
  backupCodes: string[];
}

export function TwoFactorPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const [setup, setSetup] = useState<EnableAnswer | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const enable = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      setSetup(await apiPost<EnableAnswer>("/api/auth/two-factor/enable", { password }));
      setPassword("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const verify = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await apiPost("/api/auth/two-factor/verify-totp", { code: code.replace(/\s/g, "") });
      notify(t("security.done"));
      await queryClient.invalidateQueries({ queryKey: ["me"] });
      await navigate({ to: "/" });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const secret = setup ? totpSecretOf(setup.totpURI) : null;

  return (
    <Stack gap="md" maw={640}>
      <PageTitle>{t("security.title")}</PageTitle>
      {me.twoFactorRequired ? (
        <Alert color="yellow" title={t("security.requiredTitle")}>
          {t("security.required")}
        </Alert>
      ) : null}
      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
      {me.user.twoFactorEnabled && !setup ? (
        <Alert color="green">{t("security.enabled")}</Alert>
      ) : !setup ? (
        <Paper withBorder p="md">
          <form onSubmit={(e) => void enable(e)}>
            <Stack gap="sm">
              <Text>{t("security.intro")}</Text>
              <PasswordInput
                label={t("security.password")}
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
              />
              <Button type="submit" loading={busy} w="fit-content">
                {t("security.start")}
              </Button>
            </Stack>
          </form>
        </Paper>
      ) : (
        <Paper withBorder p="md">
          <Stack gap="md">
            <Title order={2} size="h4">
              {t("security.step1")}
            </Title>
            <Text>{t("security.step1Hint")}</Text>
            {secret ? (
              <Stack gap={4}>
                <Text fw={700}>{t("security.secret")}</Text>
                <Code block dir="ltr" fz="md" style={{ whiteSpace: "pre-wrap" }}>
                  {secret}
                </Code>
              </Stack>
            ) : null}
            <Stack gap={4}>
              <Text fw={700}>{t("security.uri")}</Text>
              <Code block dir="ltr" style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
                {setup.totpURI}
              </Code>
              <CopyButton value={setup.totpURI}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy} w="fit-content">
                    {copied ? t("app.copied") : t("security.copyUri")}
                  </Button>
                )}
              </CopyButton>
            </Stack>
            <Title order={2} size="h4">
              {t("security.backupTitle")}
            </Title>
            <Text>{t("security.backupHint")}</Text>
            <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs" dir="ltr">
              {setup.backupCodes.map((c) => (
                <Code key={c}>{c}</Code>
              ))}
            </SimpleGrid>
            <Title order={2} size="h4">
              {t("security.step2")}
            </Title>
            <form onSubmit={(e) => void verify(e)}>
              <Stack gap="sm">
                <TextInput
                  label={t("security.code")}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  required
                  dir="ltr"
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                />
                <Button type="submit" loading={busy} w="fit-content">
                  {t("security.verify")}
                </Button>
              </Stack>
            </form>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
