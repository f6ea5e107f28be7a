import { MultiSelect } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { parentOptionsQuery } from "../communities/communities.api.ts";

/** Choose the communities a team member works in (invitation and role editing). */
export function CommunityPicker({
  value,
  onChange,
  error,
  enabled = true,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
  enabled?: boolean;
}) {
  const { t } = useTranslation();
  const communities = useQuery({ ...parentOptionsQuery, enabled });
  // Keep communities the list does not show (more than 100) selectable by id.
  const known = new Map((communities.data?.items ?? []).map((c) => [c.id, c.name]));
  const data = [
    ...(communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
    ...value.filter((id) => !known.has(id)).map((id) => ({ value: id, label: id })),
  ];
  return (
    <MultiSelect
      label={t("team.communities")}
      description={t("team.communitiesHint")}
      searchable
      clearable
      nothingFoundMessage={t("communityForm.parentNothing")}
      data={data}
      value={value}
      error={error}
      onChange={onChange}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
