import { useMemo, useState } from "react";
import {
  Alert,
  Button,
  Collapse,
  Group,
  NativeSelect,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  CONSENT_METHODS,
  type CommunityListItem,
  type ImportJob,
  type ImportOptions,
} from "@kaveret/contracts";
import { ApiError, apiGet } from "../../api/client.ts";
import { errorMessage } from "../../lib/errors.ts";
import { fieldLabel } from "./import-labels.ts";
import { validateImport } from "./imports.api.ts";

type Towns = { items: Pick<CommunityListItem, "id" | "name">[] };

/** Problems the server found in a mapping (import.mapping_invalid → details.problems). */
function serverProblems(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || err.code !== "import.mapping_invalid") return {};
  const details = err.details as { problems?: { field: string; problem: string }[] } | undefined;
  const out: Record<string, string> = {};
  for (const p of details?.problems ?? []) out[p.field] = p.problem;
  return out;
}

/** Step 2: each target field with a column of the file, a preview as it will be read, options. */
export function MappingStep({ job, onCancel }: { job: ImportJob; onCancel: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const initial = Object.keys(job.mapping).length ? job.mapping : job.suggestedMapping;
  const [mapping, setMapping] = useState<Record<string, string>>(initial);
  const [options, setOptions] = useState<ImportOptions>(job.options);
  const [checked, setChecked] = useState(false);
  // Fields the file seems to have (and required ones) first; the rest one click away.
  const [main] = useState(
    () =>
      new Set(job.fields.filter((f) => f.required || f.group || initial[f.key]).map((f) => f.key)),
  );
  const [showMore, setShowMore] = useState(false);
  const towns = useQuery({
    queryKey: ["communities", "list", { level: "town", pageSize: 100, purpose: "import" }],
    queryFn: ({ signal }) =>
      apiGet<Towns>(
        "/api/communities",
        { level: "town", pageSize: 100, archived: "active" },
        signal,
      ),
    enabled: job.entity !== "community_figures",
  });

  const validate = useMutation({
    mutationFn: () => {
      const clean = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v));
      const onlyTown = towns.data?.items.length === 1 ? towns.data.items[0]!.id : null;
      return validateImport(job.id, clean, { ...options, townId: options.townId ?? onlyTown });
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["imports"] }),
  });

  // What a person must fix before the check can start.
  const problems = useMemo(() => {
    const out: Record<string, string> = {};
    const used = new Map<string, string>();
    for (const f of job.fields) {
      const col = mapping[f.key];
      if (f.required && !col) out[f.key] = t("imports.mapping.required");
      if (col) {
        if (used.has(col)) out[f.key] = t("imports.mapping.usedTwice");
        used.set(col, f.key);
      }
    }
    const groups = new Set(job.fields.flatMap((f) => (f.group ? [f.group] : [])));
    for (const g of groups) {
      const members = job.fields.filter((f) => f.group === g);
      if (!members.some((f) => mapping[f.key])) {
        for (const f of members) out[f.key] = t("imports.mapping.oneOf");
      }
    }
    if (job.entity === "community_figures") {
      const indicators = job.fields.filter((f) => f.type === "number");
      if (!indicators.some((f) => mapping[f.key]))
        out._indicators = t("imports.mapping.anIndicator");
      if (!mapping.period && !options.period) out._period = t("imports.mapping.periodNeeded");
    }
    if (
      mapping.street &&
      job.entity !== "community_figures" &&
      (towns.data?.items.length ?? 0) > 1 &&
      !options.townId
    ) {
      out._town = t("imports.mapping.townNeeded");
    }
    return out;
  }, [job, mapping, options, towns.data, t]);
  const fromServer = serverProblems(validate.error);
  const blocked = Object.keys(problems).length > 0;

  const mapped = job.fields.filter((f) => mapping[f.key]);
  const preview = job.preview ?? [];
  const cell = (row: string[], header: string) => row[job.headers.indexOf(header)] ?? "";
  const columns = [
    { value: "", label: t("imports.mapping.skip") },
    ...job.headers.map((h) => ({ value: h, label: h })),
  ];

  const fieldSelect = (f: ImportJob["fields"][number]) => (
    <NativeSelect
      key={f.key}
      label={fieldLabel(t, job.entity, f.key)}
      withAsterisk={f.required}
      data={columns}
      value={mapping[f.key] ?? ""}
      error={
        checked && problems[f.key]
          ? problems[f.key]
          : fromServer[f.key]
            ? t(`imports.mapping.server.${fromServer[f.key]}`, {
                defaultValue: t("imports.mapping.invalid"),
              })
            : undefined
      }
      onChange={(e) => {
        const v = e.currentTarget.value;
        setMapping((m) => ({ ...m, [f.key]: v }));
      }}
    />
  );
  const rest = job.fields.filter((f) => !main.has(f.key));

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="mapping-title">
        <Stack gap="sm">
          <Title order={2} size="h4" id="mapping-title">
            {t("imports.mapping.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("imports.mapping.hint")}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
            {job.fields.filter((f) => main.has(f.key)).map(fieldSelect)}
          </SimpleGrid>
          {rest.length > 0 ? (
            <>
              <Group>
                <Button
                  variant="subtle"
                  aria-expanded={showMore}
                  aria-controls="more-fields"
                  onClick={() => setShowMore((v) => !v)}
                >
                  {showMore
                    ? t("imports.mapping.lessFields")
                    : t("imports.mapping.moreFields", { n: rest.length })}
                </Button>
              </Group>
              <Collapse expanded={showMore} id="more-fields">
                <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
                  {rest.map(fieldSelect)}
                </SimpleGrid>
              </Collapse>
            </>
          ) : null}
          {checked && problems._indicators ? (
            <Text size="sm" c="red.8" role="alert">
              {problems._indicators}
            </Text>
          ) : null}
        </Stack>
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="preview-title">
        <Stack gap="xs">
          <Title order={2} size="h4" id="preview-title">
            {t("imports.mapping.previewTitle")}
          </Title>
          {job.preview === null ? (
            <Text size="sm" c="dimmed">
              {t("imports.mapping.previewHidden")}
            </Text>
          ) : mapped.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("imports.mapping.previewEmpty")}
            </Text>
          ) : (
            <Table.ScrollContainer
              type="native"
              minWidth={Math.max(320, mapped.length * 140)}
              tabIndex={0}
              role="region"
              aria-label={t("imports.mapping.previewTitle")}
            >
              <Table striped withTableBorder withColumnBorders fz="sm">
                <Table.Caption>
                  {t("imports.mapping.previewCaption", { count: preview.length })}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    {mapped.map((f) => (
                      <Table.Th key={f.key} scope="col">
                        {fieldLabel(t, job.entity, f.key)}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.map((row, i) => (
                    <Table.Tr key={i}>
                      {mapped.map((f) => (
                        <Table.Td key={f.key}>{cell(row, mapping[f.key] ?? "")}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="options-title">
        <Stack gap="sm">
          <Title order={2} size="h4" id="options-title">
            {t("imports.options.title")}
          </Title>
          {job.entity !== "community_figures" ? (
            <NativeSelect
              label={t("imports.options.town")}
              description={t("imports.options.townHint")}
              data={[
                { value: "", label: t("imports.options.townNone") },
                ...(towns.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
              ]}
              value={options.townId ?? ""}
              error={checked ? problems._town : undefined}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setOptions((o) => ({ ...o, townId: v || null }));
              }}
            />
          ) : null}
          {job.entity === "residents" ? (
            <>
              <NativeSelect
                label={t("imports.options.consentMethod")}
                description={t("imports.options.consentMethodHint")}
                data={CONSENT_METHODS.map((m) => ({
                  value: m,
                  label: t(`imports.consentMethods.${m}`),
                }))}
                value={options.consentMethod}
                onChange={(e) => {
                  const v = CONSENT_METHODS.find((m) => m === e.currentTarget.value);
                  if (v) setOptions((o) => ({ ...o, consentMethod: v }));
                }}
              />
            </>
          ) : null}
          {job.entity !== "community_figures" ? (
            <Radio.Group
              label={t("imports.options.duplicates")}
              description={t(`imports.options.duplicatesHint.${job.entity}`)}
              value={options.duplicates}
              onChange={(v) =>
                setOptions((o) => ({ ...o, duplicates: v === "import" ? "import" : "skip" }))
              }
            >
              <Group gap="md" mt="xs">
                <Radio value="skip" label={t("imports.options.duplicatesSkip")} />
                <Radio value="import" label={t("imports.options.duplicatesImport")} />
              </Group>
            </Radio.Group>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label={t("imports.options.period")}
                description={t("imports.options.periodHint")}
                placeholder="2024"
                value={options.period ?? ""}
                error={checked ? problems._period : undefined}
                onChange={(e) => {
                  const v = e.currentTarget.value.trim();
                  setOptions((o) => ({ ...o, period: v || null }));
                }}
              />
              <TextInput
                label={t("imports.options.source")}
                description={t("imports.options.sourceHint")}
                maxLength={120}
                value={options.source}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setOptions((o) => ({ ...o, source: v || "import" }));
                }}
              />
            </SimpleGrid>
          )}
        </Stack>
      </Paper>

      {validate.isError && Object.keys(fromServer).length === 0 ? (
        <Alert color="red" role="alert">
          {errorMessage(t, validate.error)}
        </Alert>
      ) : null}
      {checked && blocked ? (
        <Alert color="red" role="alert">
          {t("imports.mapping.fixFirst")}
        </Alert>
      ) : null}
      <Group justify="space-between">
        <Button variant="default" color="red" onClick={onCancel}>
          {t("imports.cancel")}
        </Button>
        <Button
          loading={validate.isPending}
          onClick={() => {
            setChecked(true);
            if (!blocked) validate.mutate();
          }}
        >
          {t("imports.mapping.check")}
        </Button>
      </Group>
    </Stack>
  );
}
