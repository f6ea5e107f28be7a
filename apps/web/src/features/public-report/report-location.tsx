import { useState } from "react";
import { Button, Group, Skeleton, Stack, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { PublicMap } from "@kaveret/contracts";
import { fetchPublicMap } from "./public-report.api.ts";
// Only the lazy wrapper: MapLibre loads when the person chooses the map.
import { LazyPointPicker } from "../map/lazy-map.tsx";

type Point = { lat: number; lon: number };
type Locating = "idle" | "busy" | "ok" | "denied" | "unavailable";

/** What the picker draws when the department's shapes could not be loaded: a plain background. */
const PLAIN_MAP: PublicMap = {
  tileUrl: null,
  attribution: null,
  boundaries: { type: "FeatureCollection", features: [] },
  streets: { type: "FeatureCollection", features: [] },
  bounds: null,
};

/** Rounds to 5 decimals (about a metre): enough to find the place, nothing more. */
const round = (n: number) => Math.round(n * 1e5) / 1e5;

/** "Use my location", or a point on the map, or an address in words — all optional. */
export function ReportLocation({
  departmentId,
  value,
  onChange,
  address,
  onAddressChange,
  addressError,
}: {
  departmentId: string;
  value: Point | null;
  onChange: (p: Point | null) => void;
  address: string;
  onAddressChange: (v: string) => void;
  addressError?: string;
}) {
  const { t } = useTranslation();
  const [locating, setLocating] = useState<Locating>("idle");
  const [accuracy, setAccuracy] = useState<number | null>(null);
  const [mapOpen, setMapOpen] = useState(false);
  const canLocate = typeof navigator !== "undefined" && "geolocation" in navigator;
  // The department's own shapes and streets (and its tile server, if any): with no tile
  // server they are the whole map, so a resident still sees where to tap.
  const baseMap = useQuery({
    queryKey: ["public", "map", departmentId] as const,
    queryFn: ({ signal }) => fetchPublicMap(departmentId, signal),
    enabled: mapOpen && departmentId.length > 0,
  });

  const locate = () => {
    if (!canLocate) {
      setLocating("unavailable");
      return;
    }
    setLocating("busy");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        onChange({ lat: round(pos.coords.latitude), lon: round(pos.coords.longitude) });
        setAccuracy(Number.isFinite(pos.coords.accuracy) ? Math.round(pos.coords.accuracy) : null);
        setLocating("ok");
      },
      (err) => setLocating(err.code === err.PERMISSION_DENIED ? "denied" : "unavailable"),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="wrap">
        {canLocate ? (
          <Button
            size="md"
            variant="default"
            onClick={locate}
            loading={locating === "busy"}
            data-testid="report-locate"
          >
            {t("publicReport.location.useMine")}
          </Button>
        ) : null}
        {!mapOpen ? (
          <Button
            size="md"
            variant="default"
            onClick={() => setMapOpen(true)}
            data-testid="report-map-open"
          >
            {t("publicReport.location.pickOnMap")}
          </Button>
        ) : null}
        {value ? (
          <Button
            size="md"
            variant="subtle"
            color="red"
            onClick={() => {
              onChange(null);
              setLocating("idle");
            }}
          >
            {t("publicReport.location.remove")}
          </Button>
        ) : null}
      </Group>
      <div role="status" aria-live="polite">
        {value && locating === "ok" ? (
          <Text size="sm">
            {accuracy !== null
              ? t("publicReport.location.addedAccuracy", { meters: accuracy })
              : t("publicReport.location.added")}
          </Text>
        ) : null}
        {value && locating !== "ok" ? (
          <Text size="sm">{t("publicReport.location.added")}</Text>
        ) : null}
        {locating === "denied" ? (
          <Text size="sm" c="var(--mantine-color-error)">
            {t("publicReport.location.denied")}
          </Text>
        ) : null}
        {locating === "unavailable" ? (
          <Text size="sm" c="var(--mantine-color-error)">
            {t("publicReport.location.unavailable")}
          </Text>
        ) : null}
      </div>
      {mapOpen && baseMap.isPending ? <Skeleton height={370} radius="md" /> : null}
      {mapOpen && !baseMap.isPending ? (
        <LazyPointPicker
          label={t("publicReport.location.mapLabel")}
          value={value}
          onChange={(p) => {
            onChange(p);
            setLocating("idle");
          }}
          center={value ?? undefined}
          height={260}
          baseMap={baseMap.data ?? PLAIN_MAP}
          note={
            // No tile server: say what the lines are, or that there is nothing to see.
            (baseMap.data?.tileUrl ?? null) !== null
              ? undefined
              : baseMap.data?.bounds
                ? t("publicReport.location.plainMap")
                : t("publicReport.location.emptyMap")
          }
        />
      ) : null}
      <TextInput
        size="md"
        label={t("publicReport.location.address")}
        description={t("publicReport.location.addressHint")}
        maxLength={200}
        autoComplete="street-address"
        value={address}
        error={addressError}
        onChange={(e) => onAddressChange(e.currentTarget.value)}
      />
    </Stack>
  );
}
