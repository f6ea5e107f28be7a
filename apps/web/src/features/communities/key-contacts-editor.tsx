import {
  Button,
  CloseButton,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { MAX_KEY_CONTACTS } from "@kaveret/contracts";
import type { FieldErrors } from "../../lib/errors.ts";
import type { KeyContactValues } from "./community-form.ts";

/** Key people of the community (principal, imam, committee head…): name, role, phone, e-mail. */
export function KeyContactsEditor({
  value,
  onChange,
  errors,
}: {
  value: KeyContactValues[];
  onChange: (value: KeyContactValues[]) => void;
  errors: FieldErrors;
}) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<KeyContactValues>) =>
    onChange(value.map((k, j) => (j === i ? { ...k, ...patch } : k)));
  return (
    <Stack gap="xs" role="group" aria-labelledby="key-contacts-label">
      <Text fw={500} size="sm" id="key-contacts-label">
        {t("communityForm.keyContacts")}
      </Text>
      {value.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("communityForm.keyContactsEmpty")}
        </Text>
      ) : null}
      {value.map((k, i) => (
        <Paper
          key={i}
          withBorder
          radius="md"
          p="sm"
          role="group"
          aria-labelledby={`key-contact-${i}`}
        >
          <Group justify="space-between" wrap="nowrap" mb={4}>
            <Text size="sm" fw={700} id={`key-contact-${i}`}>
              {k.name.trim() || t("communityForm.keyContactN", { n: i + 1 })}
            </Text>
            <CloseButton
              aria-label={t("communityForm.keyContactRemove", { n: i + 1 })}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            />
          </Group>
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
            <TextInput
              label={t("communityForm.keyContactName")}
              required
              dir="auto"
              value={k.name}
              error={errors[`keyContacts.${i}.name`]}
              onChange={(e) => set(i, { name: e.currentTarget.value })}
            />
            <TextInput
              label={t("communityForm.keyContactRole")}
              placeholder={t("communityForm.keyContactRolePlaceholder")}
              required
              dir="auto"
              value={k.role}
              error={errors[`keyContacts.${i}.role`]}
              onChange={(e) => set(i, { role: e.currentTarget.value })}
            />
            <TextInput
              label={t("communityForm.keyContactPhone")}
              type="tel"
              dir="ltr"
              value={k.phone}
              error={errors[`keyContacts.${i}.phone`]}
              onChange={(e) => set(i, { phone: e.currentTarget.value })}
            />
            <TextInput
              label={t("communityForm.keyContactEmail")}
              type="email"
              dir="ltr"
              value={k.email}
              error={errors[`keyContacts.${i}.email`]}
              onChange={(e) => set(i, { email: e.currentTarget.value })}
            />
          </SimpleGrid>
        </Paper>
      ))}
      {value.length < MAX_KEY_CONTACTS ? (
        <Group>
          <Button
            size="xs"
            variant="default"
            onClick={() => onChange([...value, { name: "", role: "", phone: "", email: "" }])}
          >
            {t("communityForm.keyContactAdd")}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
