import { useState } from "react";
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { createSavedFilterBodySchema, type SavedFilter } from "@kaveret/contracts";
import { api, apiPost } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { errorMessage, toFieldErrors } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { savedFiltersQuery } from "./residents.api.ts";
import {
  filterQuery,
  isFiltered,
  parseResidentsSearch,
  sameFilters,
  type ResidentsSearch,
} from "./residents-search.ts";

/** Saved filters: apply one with a tap, save the current filters under a name, delete. */
export function SavedFilters({
  search,
  onApply,
}: {
  search: ResidentsSearch;
  onApply: (search: ResidentsSearch) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const saved = useQuery(savedFiltersQuery);
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<SavedFilter | null>(null);

  const canSave = isFiltered(search);
  const items = saved.data?.items ?? [];

  const openSave = () => {
    setName("");
    setNameError(undefined);
    setError(null);
    setSaving(true);
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = createSavedFilterBodySchema.safeParse({
      entity: "residents",
      name,
      query: filterQuery(search),
    });
    if (!parsed.success) {
      setNameError(toFieldErrors(t, parsed.error.issues).name ?? t("validation.invalid"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiPost<SavedFilter>("/api/saved-filters", parsed.data);
      await queryClient.invalidateQueries({ queryKey: savedFiltersQuery.queryKey });
      notify(t("residents.saved.savedDone", { name: parsed.data.name }));
      setSaving(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/api/saved-filters/${encodeURIComponent(deleting.id)}`, { method: "DELETE" });
      await queryClient.invalidateQueries({ queryKey: savedFiltersQuery.queryKey });
      notify(t("residents.saved.deleted", { name: deleting.name }));
      setDeleting(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={6} component="section" aria-labelledby="saved-filters-title">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text id="saved-filters-title" size="sm" fw={700}>
          {t("residents.saved.title")}
        </Text>
        <Button size="compact-sm" variant="subtle" onClick={openSave} disabled={!canSave}>
          {t("residents.saved.save")}
        </Button>
      </Group>
      {saved.isError ? (
        <Text size="sm" c="red.8" role="alert">
          {errorMessage(t, saved.error)}
        </Text>
      ) : null}
      {saved.isSuccess && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("residents.saved.none")}
        </Text>
      ) : null}
      {items.length > 0 ? (
        <Group component="ul" gap={6} style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {items.map((f) => {
            const active = sameFilters(search, parseResidentsSearch(f.query));
            return (
              <Paper
                key={f.id}
                component="li"
                withBorder
                radius="xl"
                px={4}
                py={2}
                bg={active ? "honey.0" : undefined}
                style={{ borderColor: active ? "var(--mantine-color-honey-8)" : undefined }}
              >
                <Group gap={2} wrap="nowrap">
                  <UnstyledButton
                    px={8}
                    py={2}
                    fz="sm"
                    aria-pressed={active}
                    onClick={() => onApply(parseResidentsSearch(f.query))}
                  >
                    {f.name}
                  </UnstyledButton>
                  <ActionIcon
                    size="sm"
                    radius="xl"
                    variant="subtle"
                    color="gray"
                    aria-label={t("residents.saved.delete", { name: f.name })}
                    onClick={() => {
                      setError(null);
                      setDeleting(f);
                    }}
                  >
                    <span aria-hidden>×</span>
                  </ActionIcon>
                </Group>
              </Paper>
            );
          })}
        </Group>
      ) : null}

      <AppModal
        opened={saving}
        onClose={() => setSaving(false)}
        title={t("residents.saved.saveTitle")}
      >
        <form onSubmit={(e) => void save(e)} noValidate>
          <Stack gap="md">
            <Text size="sm">{t("residents.saved.saveHint")}</Text>
            <TextInput
              label={t("residents.saved.name")}
              placeholder={t("residents.saved.namePlaceholder")}
              required
              data-autofocus
              maxLength={80}
              value={name}
              error={nameError}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            {error ? (
              <Alert color="red" role="alert">
                {errorMessage(t, error)}
              </Alert>
            ) : null}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setSaving(false)}>
                {t("app.cancel")}
              </Button>
              <Button type="submit" loading={busy}>
                {t("app.save")}
              </Button>
            </Group>
          </Stack>
        </form>
      </AppModal>

      <AppModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t("residents.saved.deleteTitle", { name: deleting?.name ?? "" })}
      >
        <Stack gap="md">
          <Text>{t("residents.saved.deleteText")}</Text>
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setDeleting(null)}>
              {t("app.cancel")}
            </Button>
            <Button color="red" loading={busy} onClick={() => void remove()}>
              {t("residents.saved.deleteConfirm")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}
