import { useState } from "react";
import { Alert, Button, Group, Radio, Stack, Text, TextInput, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { AnchorLink } from "../../components/links.tsx";
import { ApiError, apiPost } from "../../api/client.ts";
import { PublicLayout } from "../../components/public-layout.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { isPlausiblePhone, normalizePhone } from "../../lib/phone.ts";
import { useDocumentTitle } from "../../lib/use-document-title.ts";

type Method = "email" | "phone";

export function ResidentSignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [method, setMethod] = useState<Method>("email");
  const [step, setStep] = useState<"identify" | "code">("identify");
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useDocumentTitle(t("auth.resident.title"));

  const target = method === "email" ? email.trim().toLowerCase() : normalizePhone(phone);

  const send = async () => {
    setError(null);
    setFieldError(null);
    if (method === "phone" && !isPlausiblePhone(target)) {
      setFieldError(t("auth.resident.phoneInvalid"));
      return;
    }
    if (method === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(target)) {
      setFieldError(t("validation.invalid_email"));
      return;
    }
    setBusy(true);
    try {
      if (method === "email") {
        await apiPost("/api/auth/email-otp/send-verification-otp", {
          email: target,
          type: "sign-in",
        });
      } else {
        await apiPost("/api/auth/phone-number/send-otp", { phoneNumber: target });
      }
      setStep("code");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const verify = async () => {
    setError(null);
    setBusy(true);
    const otp = code.replace(/\s/g, "");
    try {
      if (method === "email") {
        await apiPost("/api/auth/sign-in/email-otp", { email: target, otp });
      } else {
        await apiPost("/api/auth/phone-number/verify", { phoneNumber: target, code: otp });
      }
      queryClient.clear();
      await navigate({ to: "/" });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicLayout allLanguages>
      <Stack gap="md">
        <Title order={1} size="h2">
          {t("auth.resident.title")}
        </Title>
        <Text>{t("auth.resident.intro")}</Text>
        {error ? (
          <Alert color="red" role="alert">
            {error instanceof ApiError && error.status === 404
              ? t("auth.resident.unavailable")
              : errorMessage(t, error)}
          </Alert>
        ) : null}
        {step === "identify" ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void send();
            }}
          >
            <Stack gap="sm">
              <Radio.Group
                label={t("auth.resident.method")}
                value={method}
                onChange={(v) => {
                  setMethod(v === "phone" ? "phone" : "email");
                  setFieldError(null);
                }}
              >
                <Group gap="lg" mt={4}>
                  <Radio value="email" label={t("auth.resident.byEmail")} />
                  <Radio value="phone" label={t("auth.resident.byPhone")} />
                </Group>
              </Radio.Group>
              {method === "email" ? (
                <TextInput
                  label={t("auth.resident.email")}
                  type="email"
                  autoComplete="email"
                  required
                  dir="ltr"
                  value={email}
                  error={fieldError}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                />
              ) : (
                <TextInput
                  label={t("auth.resident.phone")}
                  description={t("auth.resident.phoneHint")}
                  type="tel"
                  inputMode="tel"
                  autoComplete="tel"
                  required
                  dir="ltr"
                  value={phone}
                  error={fieldError}
                  onChange={(e) => setPhone(e.currentTarget.value)}
                />
              )}
              <Button type="submit" loading={busy} fullWidth>
                {t("auth.resident.sendCode")}
              </Button>
            </Stack>
          </form>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void verify();
            }}
          >
            <Stack gap="sm">
              <Text role="status">
                {t("auth.resident.codeSent")}{" "}
                <bdi dir="ltr">{method === "email" ? target : phone}</bdi>
              </Text>
              <TextInput
                label={t("auth.resident.code")}
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                dir="ltr"
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
              />
              <Button type="submit" loading={busy} fullWidth>
                {t("auth.resident.verify")}
              </Button>
              <Group justify="space-between">
                <Button variant="subtle" size="sm" onClick={() => void send()} disabled={busy}>
                  {t("auth.resident.resend")}
                </Button>
                <Button
                  variant="subtle"
                  size="sm"
                  onClick={() => {
                    setStep("identify");
                    setCode("");
                    setError(null);
                  }}
                >
                  {t("auth.resident.change")}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        <AnchorLink to="/signin" size="sm">
          {t("auth.resident.staffLink")}
        </AnchorLink>
      </Stack>
    </PublicLayout>
  );
}
