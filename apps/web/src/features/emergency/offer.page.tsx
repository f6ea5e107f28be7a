import { useState } from "react";
import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  HELP_CATEGORIES,
  RESIDENT_LANGUAGES,
  type HelpCategory,
  type VolunteerOffer,
} from "@kaveret/contracts";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { EmptyState, ErrorState, PageLoader } from "../../components/states.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { LazyPointPicker } from "../map/lazy-map.tsx";
import { useSession } from "../shell/session.tsx";
import { useEmergencyMode } from "./emergency-banner.tsx";
import { emergencyKeys, offersQuery, saveOffer, withdrawOffer } from "./emergency.api.ts";
import { helpCategoryName, languageName } from "./emergency-labels.ts";

/** /emergency/offer — a volunteer's offer of help in the open emergency (one, updated in place). */
export function OfferPage() {
  const { t } = useTranslation();
  const mode = useEmergencyMode();
  const { me } = useSession();
  const id = mode.data?.emergency?.id ?? null;
  const offers = useQuery({ ...offersQuery(id ?? ""), enabled: id !== null });
  if (mode.isPending) return <PageLoader />;
  if (!id || !mode.data?.permissions.offerHelp) {
    return (
      <Stack gap="md">
        <PageTitle>{t("emergency.offer.title")}</PageTitle>
        <EmptyState title={t("emergency.calls.noEmergency")} />
      </Stack>
    );
  }
  if (offers.isPending) return <PageLoader />;
  if (offers.isError) {
    return <ErrorState error={offers.error} onRetry={() => void offers.refetch()} />;
  }
  const mine = offers.data.items.find((o) => o.volunteer.id === me.user.id) ?? null;
  return <OfferForm emergencyId={id} offer={mine} key={mine?.id ?? "new"} />;
}

function OfferForm({ emergencyId, offer }: { emergencyId: string; offer: VolunteerOffer | null }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [categories, setCategories] = useState<string[]>(offer?.categories ?? []);
  const [languages, setLanguages] = useState<string[]>(offer?.languages ?? ["he"]);
  const [skills, setSkills] = useState<string[]>(offer?.skills ?? []);
  const [radiusKm, setRadiusKm] = useState<string | number>(offer?.radiusKm ?? 3);
  const [hasVehicle, setHasVehicle] = useState(offer?.hasVehicle ?? false);
  const [location, setLocation] = useState(offer?.location ?? null);
  const [note, setNote] = useState(offer?.note ?? "");
  const [problem, setProblem] = useState<"categories" | "languages" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    if (categories.length === 0) return setProblem("categories");
    if (languages.length === 0) return setProblem("languages");
    setProblem(null);
    setBusy(true);
    setError(null);
    try {
      const radius = Number(radiusKm);
      await saveOffer(emergencyId, {
        categories: categories.filter((c): c is HelpCategory =>
          (HELP_CATEGORIES as readonly string[]).includes(c),
        ),
        languages,
        skills: skills
          .map((s) => s.trim())
          .filter(Boolean)
          .slice(0, 20),
        radiusKm: Number.isFinite(radius) ? Math.min(100, Math.max(0.1, radius)) : 3,
        hasVehicle,
        location,
        note: note.trim(),
      });
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.all });
      notify(t("emergency.offer.saved"));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async () => {
    if (!offer) return;
    setBusy(true);
    setError(null);
    try {
      await withdrawOffer(offer.id);
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.all });
      notify(t("emergency.offer.withdrawn"));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={640}>
      <PageTitle>{t("emergency.offer.title")}</PageTitle>
      <Group gap="xs" mt={-8}>
        {offer ? (
          <SoftBadge color={offer.active ? "green" : "gray"} tt="none" data-testid="offer-state">
            {offer.active ? t("emergency.offer.active") : t("emergency.offer.inactive")}
          </SoftBadge>
        ) : null}
        <Text size="sm" c="dimmed">
          {t("emergency.offer.intro")}
        </Text>
      </Group>
      <Paper withBorder p="md" radius="md">
        <Stack gap="md">
          <Checkbox.Group
            label={t("emergency.offer.categories")}
            value={categories}
            onChange={setCategories}
            required
            error={problem === "categories" ? t("emergency.offer.chooseCategory") : undefined}
          >
            <Stack gap={6} mt="xs">
              {HELP_CATEGORIES.map((c) => (
                <Checkbox key={c} value={c} label={helpCategoryName(t, c)} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Checkbox.Group
            label={t("emergency.offer.languages")}
            value={languages}
            onChange={setLanguages}
            required
            error={problem === "languages" ? t("emergency.offer.chooseLanguage") : undefined}
          >
            <Group gap="md" mt="xs">
              {RESIDENT_LANGUAGES.map((l) => (
                <Checkbox key={l} value={l} label={languageName(t, l)} />
              ))}
            </Group>
          </Checkbox.Group>
          <TagsInput
            label={t("emergency.offer.skills")}
            description={t("emergency.offer.skillsHint")}
            value={skills}
            onChange={setSkills}
            maxTags={20}
            clearable
          />
          <NumberInput
            label={t("emergency.offer.radius")}
            min={0.1}
            max={100}
            step={0.5}
            decimalScale={1}
            value={radiusKm}
            onChange={setRadiusKm}
            w={200}
          />
          <Switch
            label={t("emergency.offer.vehicle")}
            checked={hasVehicle}
            onChange={(e) => setHasVehicle(e.currentTarget.checked)}
          />
          <LazyPointPicker
            label={t("emergency.offer.location")}
            value={location}
            onChange={setLocation}
            height={220}
          />
          <Textarea
            label={t("emergency.offer.note")}
            autosize
            minRows={2}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group gap="xs" justify="flex-end">
            {offer?.active ? (
              <Button variant="default" color="red" onClick={() => void withdraw()} disabled={busy}>
                {t("emergency.offer.withdraw")}
              </Button>
            ) : null}
            <Button onClick={() => void save()} loading={busy} data-testid="offer-save">
              {offer ? t("emergency.offer.update") : t("emergency.offer.save")}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
