import { useId } from "react";
import {
  Chip,
  Group,
  MultiSelect,
  NativeSelect,
  SimpleGrid,
  Stack,
  Switch,
  Text,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { NeedCategory } from "@kaveret/contracts";
import { UrgencyIcon } from "./need-icons.tsx";
import type { NeedAssignees } from "./needs.api.ts";
import {
  QUEUE_CHANNELS,
  QUEUE_STATUSES,
  QUEUE_URGENCIES,
  chosenStatuses,
  joinList,
  splitList,
  statusView,
  toggleInList,
  toggleStatus,
  type NeedsSearch,
} from "./needs-search.ts";

/** The status chips: the open queue (default), single statuses, all; and the spam view. */
export function StatusChips({
  search,
  onChange,
}: {
  search: NeedsSearch;
  onChange: (patch: Partial<NeedsSearch>) => void;
}) {
  const { t } = useTranslation();
  const labelId = useId();
  const view = statusView(search);
  const chosen = chosenStatuses(search);
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500} id={labelId}>
        {t("needs.filter.status")}
      </Text>
      <Group gap={6} wrap="wrap" role="group" aria-labelledby={labelId}>
        <Chip
          size="sm"
          checked={view === "open" && !search.spam}
          onChange={() => onChange({ status: undefined, spam: undefined })}
        >
          {t("needs.filter.open")}
        </Chip>
        {QUEUE_STATUSES.map((s) => (
          <Chip
            key={s}
            size="sm"
            checked={chosen.includes(s)}
            onChange={() => onChange({ status: toggleStatus(search, s) })}
          >
            {t(`needs.status.${s}`)}
          </Chip>
        ))}
        <Chip size="sm" checked={view === "all"} onChange={() => onChange({ status: "all" })}>
          {t("needs.filter.allStatuses")}
        </Chip>
      </Group>
      <Switch
        label={t("needs.filter.spam")}
        description={t("needs.filter.spamHint")}
        checked={search.spam === true}
        onChange={(e) => onChange({ spam: e.currentTarget.checked ? true : undefined })}
      />
    </Stack>
  );
}

/** Urgency, category, channel, community and assignee. */
export function NeedFilters({
  search,
  onChange,
  categories,
  categoryName,
  communities,
  assignees,
}: {
  search: NeedsSearch;
  onChange: (patch: Partial<NeedsSearch>) => void;
  categories: NeedCategory[];
  categoryName: (code: string | null) => string;
  communities: { value: string; label: string }[] | null;
  assignees: NeedAssignees | undefined;
}) {
  const { t } = useTranslation();
  const urgencyLabelId = useId();
  const urgencies = splitList(search.urgency);
  const categoryData = [
    { value: "none", label: t("needs.filter.noCategory") },
    ...categories.map((c) => ({ value: c.code, label: categoryName(c.code) })),
  ];
  for (const code of splitList(search.category)) {
    if (!categoryData.some((d) => d.value === code))
      categoryData.push({ value: code, label: categoryName(code) });
  }
  const assigneeData = [
    { value: "", label: t("needs.filter.anyone") },
    { value: "me", label: t("needs.filter.mine") },
    { value: "none", label: t("needs.filter.unassigned") },
    ...(assignees?.items ?? []).map((a) => ({ value: a.id, label: a.name })),
  ];
  if (search.assignee && !assigneeData.some((d) => d.value === search.assignee)) {
    assigneeData.push({ value: search.assignee, label: t("needs.filter.someone") });
  }
  return (
    <Stack gap="sm">
      <Stack gap={6}>
        <Text size="sm" fw={500} id={urgencyLabelId}>
          {t("needs.filter.urgency")}
        </Text>
        <Group gap={6} wrap="wrap" role="group" aria-labelledby={urgencyLabelId}>
          {QUEUE_URGENCIES.map((u) => (
            <Chip
              key={u}
              size="sm"
              checked={urgencies.includes(u)}
              onChange={() => onChange({ urgency: toggleInList(search.urgency, u) })}
              icon={<UrgencyIcon urgency={u} size={12} />}
            >
              {t(`needs.urgency.${u}`)}
            </Chip>
          ))}
        </Group>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        <MultiSelect
          label={t("needs.filter.category")}
          placeholder={
            splitList(search.category).length ? undefined : t("needs.filter.anyCategory")
          }
          data={categoryData}
          value={splitList(search.category)}
          searchable
          clearable
          clearButtonProps={{ "aria-label": t("needs.filter.clearCategories") }}
          hidePickedOptions
          onChange={(v) => onChange({ category: joinList(v) })}
          comboboxProps={{ withinPortal: true }}
        />
        <MultiSelect
          label={t("needs.filter.channel")}
          placeholder={splitList(search.channel).length ? undefined : t("needs.filter.anyChannel")}
          data={QUEUE_CHANNELS.map((c) => ({ value: c, label: t(`needs.channel.${c}`) }))}
          value={splitList(search.channel)}
          clearable
          clearButtonProps={{ "aria-label": t("needs.filter.clearChannels") }}
          hidePickedOptions
          onChange={(v) => onChange({ channel: joinList(v) })}
          comboboxProps={{ withinPortal: true }}
        />
        {communities ? (
          <NativeSelect
            label={t("needs.filter.community")}
            value={search.communityId ?? ""}
            data={[{ value: "", label: t("needs.filter.anyCommunity") }, ...communities]}
            onChange={(e) => onChange({ communityId: e.currentTarget.value || undefined })}
          />
        ) : null}
        <NativeSelect
          label={t("needs.filter.assignee")}
          value={search.assignee ?? ""}
          data={assigneeData}
          onChange={(e) => onChange({ assignee: e.currentTarget.value || undefined })}
        />
      </SimpleGrid>
    </Stack>
  );
}
