import { useState } from "react";
import { Alert, Button, Group, NumberInput, Progress, Stack, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Shelter } from "@kaveret/contracts";
import { ApiError } from "../../api/client.ts";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { formatPhone } from "../residents/resident-labels.ts";
import { emergencyKeys, setOccupancy } from "./emergency.api.ts";
import { isolate } from "./emergency-labels.ts";

/** Share of a shelter's capacity in use (0–100), or null when either is unknown. */
export function occupancyPercent(s: Pick<Shelter, "capacity" | "occupancy">): number | null {
  if (s.capacity === null || s.capacity <= 0 || s.occupancy === null) return null;
  return Math.min(100, Math.round((s.occupancy / s.capacity) * 100));
}

/** Shelters and distribution points in scope, with occupancy (editable by who keeps assets). */
export function SheltersPanel({
  emergencyId,
  shelters,
  editable,
}: {
  emergencyId: string;
  shelters: readonly Shelter[];
  editable: boolean;
}) {
  const { t } = useTranslation();
  if (shelters.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("emergency.shelters.none")}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {shelters.map((s) => (
        <ShelterRow key={s.id} emergencyId={emergencyId} shelter={s} editable={editable} />
      ))}
    </Stack>
  );
}

function ShelterRow({
  emergencyId,
  shelter: s,
  editable,
}: {
  emergencyId: string;
  shelter: Shelter;
  editable: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [value, setValue] = useState<string | number>(s.occupancy ?? "");
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const pct = occupancyPercent(s);
  const full = pct !== null && pct >= 90;
  const nameId = `shelter-${s.id}`;

  const save = async () => {
    const n = typeof value === "number" ? value : Number(value);
    if (!Number.isInteger(n) || n < 0) return;
    setBusy(true);
    setError(null);
    try {
      await setOccupancy(emergencyId, s.id, { occupancy: n, version: s.version });
      await queryClient.invalidateQueries({ queryKey: emergencyKeys.board(emergencyId) });
      setEditing(false);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === "version_conflict") {
        void queryClient.invalidateQueries({ queryKey: emergencyKeys.board(emergencyId) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={4} data-testid="shelter-row" aria-labelledby={nameId} role="group">
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={600} size="sm" id={nameId} dir="auto" style={{ overflowWrap: "anywhere" }}>
            {s.name}
          </Text>
          <Text size="xs" c="dimmed" dir="auto">
            {[t(`emergency.shelters.types.${s.type}`), s.address, s.community?.name]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        </Stack>
        <SoftBadge color={full ? "red" : "blue"} tt="none" style={{ flex: "none" }}>
          {s.capacity !== null ? (
            <bdi dir="ltr">
              {t("emergency.shelters.occupancy", {
                occupancy: s.occupancy ?? "—",
                capacity: s.capacity,
              })}
            </bdi>
          ) : (
            t("emergency.shelters.occupancyOnly", { occupancy: s.occupancy ?? "—" })
          )}
        </SoftBadge>
      </Group>
      {pct !== null ? (
        <Progress
          value={pct}
          color={full ? "red" : "blue"}
          size="sm"
          aria-label={t("emergency.shelters.percent", { name: s.name, pct })}
        />
      ) : null}
      {s.phone ? (
        <Text size="xs">
          <a href={`tel:${s.phone}`} dir="ltr" style={{ unicodeBidi: "isolate" }}>
            {formatPhone(s.phone)}
          </a>
        </Text>
      ) : null}
      {editable && !editing ? (
        <Group>
          <Button size="compact-sm" variant="subtle" onClick={() => setEditing(true)}>
            {t("emergency.shelters.update", { name: isolate(s.name) })}
          </Button>
        </Group>
      ) : null}
      {editable && editing ? (
        <Group gap="xs" align="flex-end" wrap="wrap">
          <NumberInput
            size="xs"
            label={t("emergency.shelters.now", { name: isolate(s.name) })}
            min={0}
            max={1_000_000}
            allowDecimal={false}
            allowNegative={false}
            value={value}
            onChange={setValue}
            w={140}
          />
          <Button size="xs" onClick={() => void save()} loading={busy}>
            {t("app.save")}
          </Button>
          <Button size="xs" variant="default" onClick={() => setEditing(false)} disabled={busy}>
            {t("app.cancel")}
          </Button>
        </Group>
      ) : null}
      {error ? (
        <Alert color="red" role="alert" p="xs">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
    </Stack>
  );
}
