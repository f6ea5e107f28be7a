import { MultiSelect, NativeSelect, Select, SimpleGrid } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  COMMUNITY_ROLES,
  CONSENT_PURPOSES,
  RESIDENT_LANGUAGES,
  VULNERABILITY_FLAGS,
} from "@kaveret/contracts";
import { errorMessage } from "../../lib/errors.ts";
import { parentOptionsQuery } from "../communities/communities.api.ts";
import { joinList, splitList, type ResidentsSearch } from "./residents-search.ts";

/** The filters beyond the search words (for readers of full records). */
export function ResidentFilters({
  search,
  onChange,
}: {
  search: ResidentsSearch;
  onChange: (patch: Partial<ResidentsSearch>) => void;
}) {
  const { t } = useTranslation();
  const communities = useQuery(parentOptionsQuery);
  const communityData = (communities.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.parentName ? `${c.name} (${c.parentName})` : c.name,
  }));
  if (search.communityId && !communityData.some((c) => c.value === search.communityId)) {
    communityData.push({ value: search.communityId, label: t("residents.filter.otherCommunity") });
  }

  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
      <Select
        label={t("residents.filter.community")}
        placeholder={t("residents.filter.anyCommunity")}
        searchable
        clearable
        nothingFoundMessage={t("residents.filter.noCommunity")}
        data={communityData}
        value={search.communityId ?? null}
        error={communities.isError ? errorMessage(t, communities.error) : undefined}
        onChange={(v) => onChange({ communityId: v ?? undefined })}
        comboboxProps={{ withinPortal: true }}
      />
      <MultiSelect
        label={t("residents.filter.flags")}
        description={t("residents.filter.flagsHint")}
        placeholder={splitList(search.flags).length === 0 ? t("residents.filter.any") : undefined}
        clearable
        data={VULNERABILITY_FLAGS.map((f) => ({ value: f, label: t(`residents.flags.${f}`) }))}
        value={splitList(search.flags)}
        onChange={(v) => onChange({ flags: joinList(v) })}
        comboboxProps={{ withinPortal: true }}
      />
      <MultiSelect
        label={t("residents.filter.roles")}
        description={t("residents.filter.rolesHint")}
        placeholder={splitList(search.roles).length === 0 ? t("residents.filter.any") : undefined}
        clearable
        data={COMMUNITY_ROLES.map((r) => ({ value: r, label: t(`residents.roles.${r}`) }))}
        value={splitList(search.roles)}
        onChange={(v) => onChange({ roles: joinList(v) })}
        comboboxProps={{ withinPortal: true }}
      />
      <NativeSelect
        label={t("residents.filter.language")}
        value={search.language ?? ""}
        data={[
          { value: "", label: t("residents.filter.anyLanguage") },
          ...RESIDENT_LANGUAGES.map((l) => ({ value: l, label: t(`residents.languages.${l}`) })),
        ]}
        onChange={(e) => onChange({ language: e.currentTarget.value || undefined })}
      />
      <NativeSelect
        label={t("residents.filter.consent")}
        value={search.consent ?? ""}
        data={[
          { value: "", label: t("residents.filter.anyConsent") },
          ...CONSENT_PURPOSES.map((p) => ({ value: p, label: t(`residents.purposes.${p}`) })),
        ]}
        onChange={(e) => onChange({ consent: e.currentTarget.value || undefined })}
      />
      <NativeSelect
        label={t("residents.filter.location")}
        value={search.hasLocation ?? ""}
        data={[
          { value: "", label: t("residents.filter.locationAny") },
          { value: "yes", label: t("residents.filter.locationYes") },
          { value: "no", label: t("residents.filter.locationNo") },
        ]}
        onChange={(e) => {
          const v = e.currentTarget.value;
          onChange({ hasLocation: v === "yes" || v === "no" ? v : undefined });
        }}
      />
    </SimpleGrid>
  );
}
