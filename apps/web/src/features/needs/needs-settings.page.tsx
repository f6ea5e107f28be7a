import { useState } from "react";
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  createNeedCategoryBodySchema,
  updateNeedCategoryBodySchema,
  updateNeedIntakeSettingsBodySchema,
  type NeedCategory,
} from "@kaveret/contracts";
import { ApiError, apiPatch, apiPost } from "../../api/client.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { LANGUAGE_NAMES } from "../../components/language-switch.tsx";
import { PageTitle } from "../../components/page-title.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { ErrorState, PageLoader } from "../../components/states.tsx";
import { currentLocale } from "../../i18n/index.ts";
import { UI_LOCALES, type UiLocale } from "../../i18n/locales.ts";
import {
  errorMessage,
  serverFieldErrors,
  toFieldErrors,
  type FieldErrors,
} from "../../lib/errors.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { notify } from "../../lib/notify.ts";
import { useSession } from "../shell/session.tsx";
import { CategoryIcon } from "./need-icons.tsx";
import { categoryName } from "./need-labels.ts";
import {
  cleanOrigins,
  codeFromLabel,
  inOrder,
  moveCategory,
  nextSortOrder,
} from "./need-settings.ts";
import { canManageNeeds } from "./needs-access.ts";
import {
  needCategoriesQuery,
  needIntakeQuery,
  needModelQuery,
  type NeedIntakeSettings,
  type NeedModelStatus,
} from "./needs.api.ts";

export function NeedsSettingsPage() {
  const { t } = useTranslation();
  const { roles } = useSession();
  if (!canManageNeeds(roles)) {
    return <ErrorState error={new ApiError(403, "forbidden", t("errors.forbidden"))} />;
  }
  return (
    <Stack gap="md" maw={1000}>
      <PageTitle>{t("needs.settings.title")}</PageTitle>
      <IntakeSection />
      <CategoriesSection />
      <ModelSection />
    </Stack>
  );
}

function Section({
  id,
  title,
  children,
  actions,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
  actions?: React.ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {actions}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

/* ---------------------------------------------------------------- */
/* Categories                                                         */
/* ---------------------------------------------------------------- */

type LabelValues = Record<UiLocale, string>;

interface CategoryDraft {
  code: string;
  labels: LabelValues;
  sortOrder: number | "";
  active: boolean;
}

function CategoriesSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const categories = useQuery(needCategoriesQuery);
  // Below this width the five columns do not fit: one card per category instead of a table.
  const wide = useMediaQuery("(min-width: 62em)", true, { getInitialValueInEffect: false });
  const [editing, setEditing] = useState<{ draft: CategoryDraft; isNew: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: needCategoriesQuery.queryKey });

  const patch = async (code: string, body: Record<string, unknown>) => {
    setBusy(code);
    setError(null);
    try {
      await apiPatch<NeedCategory>(`/api/need-categories/${encodeURIComponent(code)}`, body);
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const move = async (code: string, direction: -1 | 1) => {
    const changes = moveCategory(categories.data?.items ?? [], code, direction);
    setBusy(code);
    setError(null);
    try {
      for (const c of changes) {
        await apiPatch<NeedCategory>(`/api/need-categories/${encodeURIComponent(c.code)}`, {
          sortOrder: c.sortOrder,
        });
      }
    } catch (err) {
      setError(err);
    } finally {
      await refresh();
      setBusy(null);
    }
  };

  const items = inOrder(categories.data?.items ?? []);
  const controls: CategoryControls = {
    busy: busy !== null,
    setActive: (code, active) => void patch(code, { active }),
    move: (code, direction) => void move(code, direction),
    edit: (c) =>
      setEditing({
        isNew: false,
        draft: { code: c.code, labels: { ...c.labels }, sortOrder: c.sortOrder, active: c.active },
      }),
  };
  return (
    <Section
      id="categories-title"
      title={t("needs.settings.categories")}
      actions={
        <Button
          size="compact-md"
          onClick={() =>
            setEditing({
              isNew: true,
              draft: {
                code: "",
                labels: { he: "", ar: "", en: "", ru: "", am: "" },
                sortOrder: nextSortOrder(items),
                active: true,
              },
            })
          }
        >
          {t("needs.settings.addCategory")}
        </Button>
      }
    >
      <Text size="sm" c="dimmed">
        {t("needs.settings.categoriesHint")}
      </Text>
      {error ? (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          closeButtonLabel={t("app.close")}
          onClose={() => setError(null)}
        >
          {errorMessage(t, error)}
        </Alert>
      ) : null}
      {categories.isPending ? <PageLoader /> : null}
      {categories.isError ? (
        <ErrorState error={categories.error} onRetry={() => void categories.refetch()} />
      ) : null}
      {categories.isSuccess ? (
        wide ? (
          <CategoryTable items={items} controls={controls} />
        ) : (
          <CategoryCards items={items} controls={controls} />
        )
      ) : null}
      {editing ? (
        <CategoryDialog
          initial={editing.draft}
          isNew={editing.isNew}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            await refresh();
            setEditing(null);
          }}
        />
      ) : null}
    </Section>
  );
}

interface CategoryControls {
  /** A change is on its way: every control waits for it. */
  busy: boolean;
  setActive: (code: string, active: boolean) => void;
  move: (code: string, direction: -1 | 1) => void;
  edit: (category: NeedCategory) => void;
}

interface CategoryListProps {
  items: NeedCategory[];
  controls: CategoryControls;
}

function CategoryTitle({ category, name }: { category: NeedCategory; name: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
      <CategoryIcon code={category.code} size={20} />
      <Stack gap={0} style={{ minWidth: 0 }}>
        <Text size="sm" fw={500} style={{ overflowWrap: "anywhere" }}>
          {name}
        </Text>
        <Text
          size="xs"
          c="dimmed"
          dir="ltr"
          style={{ unicodeBidi: "isolate", overflowWrap: "anywhere" }}
        >
          {category.code}
          {category.builtIn ? ` · ${t("needs.settings.builtIn")}` : ""}
        </Text>
      </Stack>
    </Group>
  );
}

function ActiveSwitch({
  category,
  name,
  controls,
  label,
}: {
  category: NeedCategory;
  name: string;
  controls: CategoryControls;
  /** A visible label (cards); the table's column header names it otherwise. */
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <Switch
      checked={category.active}
      aria-disabled={controls.busy || undefined}
      label={label}
      aria-label={t("needs.settings.activeToggle", { name })}
      onChange={(e) => {
        // Not disabled while a change is saved, so the keyboard focus stays on it.
        if (!controls.busy) controls.setActive(category.code, e.currentTarget.checked);
      }}
    />
  );
}

function MoveButtons({
  index,
  count,
  category,
  name,
  controls,
}: {
  index: number;
  count: number;
  category: NeedCategory;
  name: string;
  controls: CategoryControls;
}) {
  const { t } = useTranslation();
  // Unavailable, yet still focusable (data-disabled, not disabled): the button a keyboard user
  // just pressed keeps the focus while the move is saved and when it reaches the top or bottom.
  const button = (direction: -1 | 1) => {
    const off = (direction === -1 ? index === 0 : index === count - 1) || controls.busy;
    return (
      <ActionIcon
        variant="default"
        size="lg"
        data-disabled={off || undefined}
        aria-disabled={off || undefined}
        aria-label={t(direction === -1 ? "needs.settings.moveUp" : "needs.settings.moveDown", {
          name,
        })}
        onClick={() => {
          if (!off) controls.move(category.code, direction);
        }}
      >
        <span aria-hidden="true">{direction === -1 ? "↑" : "↓"}</span>
      </ActionIcon>
    );
  };
  return (
    <Group gap={4} wrap="nowrap">
      {button(-1)}
      {button(1)}
    </Group>
  );
}

function EditButton({
  category,
  name,
  controls,
}: {
  category: NeedCategory;
  name: string;
  controls: CategoryControls;
}) {
  const { t } = useTranslation();
  return (
    <Button
      size="compact-sm"
      variant="default"
      aria-label={t("needs.settings.editCategory", { name })}
      onClick={() => controls.edit(category)}
    >
      {t("app.edit")}
    </Button>
  );
}

/** The categories as a table, on wide screens. */
function CategoryTable({ items, controls }: CategoryListProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Table verticalSpacing="xs" aria-labelledby="categories-title" data-testid="categories-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t("needs.settings.col.category")}</Table.Th>
          <Table.Th scope="col">{t("needs.settings.col.open")}</Table.Th>
          <Table.Th scope="col">{t("needs.settings.col.active")}</Table.Th>
          <Table.Th scope="col">{t("needs.settings.col.order")}</Table.Th>
          <Table.Th scope="col">
            <span className="visually-hidden">{t("needs.settings.col.actions")}</span>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((c, i) => {
          const name = categoryName(t, c.code, items, locale);
          return (
            <Table.Tr key={c.code} data-testid="category-row">
              <Table.Td>
                <CategoryTitle category={c} name={name} />
              </Table.Td>
              <Table.Td>{formatNumber(c.openCount, locale)}</Table.Td>
              <Table.Td>
                <ActiveSwitch category={c} name={name} controls={controls} />
              </Table.Td>
              <Table.Td>
                <MoveButtons
                  index={i}
                  count={items.length}
                  category={c}
                  name={name}
                  controls={controls}
                />
              </Table.Td>
              <Table.Td>
                <EditButton category={c} name={name} controls={controls} />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** The categories as cards, one under the other, on phones: nothing scrolls sideways. */
function CategoryCards({ items, controls }: CategoryListProps) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <Stack
      component="ul"
      gap="xs"
      style={{ listStyle: "none", padding: 0, margin: 0 }}
      aria-labelledby="categories-title"
      data-testid="categories-list"
    >
      {items.map((c, i) => {
        const name = categoryName(t, c.code, items, locale);
        return (
          <Paper
            key={c.code}
            component="li"
            withBorder
            p="sm"
            radius="md"
            data-testid="category-row"
          >
            <Stack gap="xs">
              <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
                <CategoryTitle category={c} name={name} />
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {t("needs.settings.openCount", { n: formatNumber(c.openCount, locale) })}
                </Text>
              </Group>
              <Group justify="space-between" wrap="wrap" gap="xs">
                <ActiveSwitch
                  category={c}
                  name={name}
                  controls={controls}
                  label={t("needs.settings.col.active")}
                />
                <Group gap="xs" wrap="nowrap">
                  <MoveButtons
                    index={i}
                    count={items.length}
                    category={c}
                    name={name}
                    controls={controls}
                  />
                  <EditButton category={c} name={name} controls={controls} />
                </Group>
              </Group>
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}

function CategoryDialog({
  initial,
  isNew,
  onClose,
  onSaved,
}: {
  initial: CategoryDraft;
  isNew: boolean;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(initial);
  const [codeTouched, setCodeTouched] = useState(!isNew);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const setLabel = (l: UiLocale, v: string) =>
    setDraft((d) => ({
      ...d,
      labels: { ...d.labels, [l]: v },
      code: isNew && !codeTouched && l === "en" ? codeFromLabel(v) : d.code,
    }));

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const sortOrder = draft.sortOrder === "" ? undefined : draft.sortOrder;
    const parsed = isNew
      ? createNeedCategoryBodySchema.safeParse({
          code: draft.code,
          labels: draft.labels,
          sortOrder,
        })
      : updateNeedCategoryBodySchema.safeParse({
          labels: draft.labels,
          sortOrder,
          active: draft.active,
        });
    if (!parsed.success) {
      setErrors(toFieldErrors(t, parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      if (isNew) await apiPost<NeedCategory>("/api/need-categories", parsed.data);
      else
        await apiPatch<NeedCategory>(
          `/api/need-categories/${encodeURIComponent(draft.code)}`,
          parsed.data,
        );
      notify(t("needs.settings.categorySaved"));
      await onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.code === "need.category_exists") {
        setErrors({ code: errorMessage(t, err) });
      } else {
        setErrors(serverFieldErrors(t, err));
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppModal
      opened
      onClose={onClose}
      size="lg"
      title={
        isNew
          ? t("needs.settings.newCategory")
          : t("needs.settings.editCategoryTitle", { code: draft.code })
      }
    >
      <form onSubmit={(e) => void save(e)} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {UI_LOCALES.map((l) => (
              <TextInput
                key={l}
                label={t("needs.settings.labelIn", { language: LANGUAGE_NAMES[l] })}
                required={l === "he"}
                lang={l}
                dir={l === "he" || l === "ar" ? "rtl" : "ltr"}
                maxLength={80}
                value={draft.labels[l]}
                error={errors[`labels.${l}`]}
                onChange={(e) => setLabel(l, e.currentTarget.value)}
                data-autofocus={l === "he" ? true : undefined}
              />
            ))}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t("needs.settings.code")}
              description={isNew ? t("needs.settings.codeHint") : t("needs.settings.codeFixed")}
              required
              disabled={!isNew}
              dir="ltr"
              maxLength={40}
              value={draft.code}
              error={errors.code}
              onChange={(e) => {
                setCodeTouched(true);
                setDraft((d) => ({ ...d, code: e.currentTarget.value }));
              }}
            />
            <NumberInput
              label={t("needs.settings.order")}
              min={0}
              max={999}
              allowDecimal={false}
              value={draft.sortOrder}
              error={errors.sortOrder}
              onChange={(v) =>
                setDraft((d) => ({ ...d, sortOrder: typeof v === "number" ? v : "" }))
              }
            />
          </SimpleGrid>
          {!isNew ? (
            <Switch
              label={t("needs.settings.activeLabel")}
              checked={draft.active}
              onChange={(e) => {
                const active = e.currentTarget.checked;
                setDraft((d) => ({ ...d, active }));
              }}
            />
          ) : null}
          {error ? (
            <Alert color="red" role="alert">
              {errorMessage(t, error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t("app.cancel")}
            </Button>
            <Button type="submit" loading={busy}>
              {t("app.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </AppModal>
  );
}

/* ---------------------------------------------------------------- */
/* Classifier                                                         */
/* ---------------------------------------------------------------- */

function percent(n: number | null): string {
  return n === null ? "—" : `${Math.round(n * 100)}%`;
}

function ModelSection() {
  const { t } = useTranslation();
  const locale = currentLocale();
  const queryClient = useQueryClient();
  const model = useQuery(needModelQuery);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const train = async () => {
    setBusy(true);
    setError(null);
    try {
      const status = await apiPost<NeedModelStatus>("/api/need-model/train", {});
      queryClient.setQueryData(needModelQuery.queryKey, status);
      notify(t("needs.model.trained"));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section
      id="model-title"
      title={t("needs.model.title")}
      actions={
        <Button
          size="compact-md"
          onClick={() => void train()}
          loading={busy}
          data-testid="model-train"
        >
          {t("needs.model.train")}
        </Button>
      }
    >
      <Text size="sm" c="dimmed">
        {t("needs.model.intro")}
      </Text>
      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
      {model.isPending ? <PageLoader /> : null}
      {model.isError ? (
        <ErrorState error={model.error} onRetry={() => void model.refetch()} />
      ) : null}
      {model.isSuccess ? (
        <Stack gap="sm">
          <Group gap="lg" wrap="wrap">
            <Text size="sm">
              {model.data.trainedAt
                ? t("needs.model.trainedAt", { at: formatDateTime(model.data.trainedAt, locale) })
                : t("needs.model.never")}
            </Text>
            <Text size="sm">
              {t("needs.model.examples", { n: formatNumber(model.data.examples, locale) })}
            </Text>
            <Text size="sm">
              {t("needs.model.accuracy", { value: percent(model.data.accuracy) })}
            </Text>
            <SoftBadge color={model.data.llmConfigured ? "green" : "gray"} tt="none">
              {model.data.llmConfigured ? t("needs.model.llmOn") : t("needs.model.llmOff")}
            </SoftBadge>
          </Group>
          {Object.keys(model.data.perLanguage).length > 0 ? (
            <Table
              verticalSpacing="xs"
              aria-label={t("needs.model.perLanguage")}
              data-testid="model-languages"
              maw={520}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("needs.model.col.language")}</Table.Th>
                  <Table.Th scope="col">{t("needs.model.col.examples")}</Table.Th>
                  <Table.Th scope="col">{t("needs.model.col.accuracy")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {Object.entries(model.data.perLanguage).map(([lang, s]) => (
                  <Table.Tr key={lang}>
                    <Table.Td>{t(`languages.${lang}`, { defaultValue: lang })}</Table.Td>
                    <Table.Td>{formatNumber(s.examples, locale)}</Table.Td>
                    <Table.Td>
                      {s.accuracy === null ? t("needs.model.tooFew") : percent(s.accuracy)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="sm" c="dimmed">
              {t("needs.model.noExamples")}
            </Text>
          )}
        </Stack>
      ) : null}
    </Section>
  );
}

/* ---------------------------------------------------------------- */
/* Public intake and the widget                                       */
/* ---------------------------------------------------------------- */

function IntakeSection() {
  const intake = useQuery(needIntakeQuery);
  const { t } = useTranslation();
  return (
    <Section id="intake-title" title={t("needs.intake.title")}>
      {intake.isPending ? <PageLoader /> : null}
      {intake.isError ? (
        <ErrorState error={intake.error} onRetry={() => void intake.refetch()} />
      ) : null}
      {intake.isSuccess ? <IntakeForm key={intake.dataUpdatedAt} settings={intake.data} /> : null}
    </Section>
  );
}

function IntakeForm({ settings }: { settings: NeedIntakeSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [origins, setOrigins] = useState<string[]>(
    settings.widgetOrigins.length ? settings.widgetOrigins : [""],
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [sms, setSms] = useState(settings.smsNumber ?? "");
  const [whatsapp, setWhatsapp] = useState(settings.whatsappPhoneNumberId ?? "");
  const [busy, setBusy] = useState<"switch" | "origins" | "channels" | null>(null);

  const save = async (body: Record<string, unknown>, what: "switch" | "origins" | "channels") => {
    const parsed = updateNeedIntakeSettingsBodySchema.safeParse(body);
    if (!parsed.success) {
      setErrors(toFieldErrors(t, parsed.error.issues));
      return;
    }
    setErrors({});
    setError(null);
    setBusy(what);
    try {
      const updated = await apiPatch<NeedIntakeSettings>("/api/need-intake", parsed.data);
      queryClient.setQueryData(needIntakeQuery.queryKey, updated);
      notify(t("needs.intake.saved"));
    } catch (err) {
      setErrors(serverFieldErrors(t, err));
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const embedUrl = settings.publicUrl.replace(/\/report\//, "/embed/report/");

  return (
    <Stack gap="md">
      <Switch
        size="md"
        label={t("needs.intake.public")}
        description={t("needs.intake.publicHint")}
        checked={settings.publicIntake}
        disabled={busy !== null}
        onChange={(e) => void save({ publicIntake: e.currentTarget.checked }, "switch")}
        data-testid="intake-switch"
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t("needs.intake.link")}
        </Text>
        <Group gap="xs" wrap="wrap">
          <Anchor
            href={settings.publicUrl}
            target="_blank"
            rel="noopener noreferrer"
            dir="ltr"
            style={{ wordBreak: "break-all" }}
          >
            {settings.publicUrl}
          </Anchor>
          <CopyButton value={settings.publicUrl}>
            {({ copied, copy }) => (
              <Button size="compact-sm" variant="default" onClick={copy}>
                {copied ? t("app.copied") : t("needs.intake.copyLink")}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="xs" c="dimmed">
          {settings.publicIntake ? t("needs.intake.linkHint") : t("needs.intake.closedHint")}
        </Text>
      </Stack>

      <form
        onSubmit={(e) => {
          e.preventDefault();
          const clean = cleanOrigins(origins);
          void save({ widgetOrigins: clean }, "origins").then(() =>
            setOrigins(clean.length ? clean : [""]),
          );
        }}
      >
        <Stack gap="xs">
          <Text size="sm" fw={500} id="origins-label">
            {t("needs.intake.origins")}
          </Text>
          <Text size="xs" c="dimmed">
            {t("needs.intake.originsHint")}
          </Text>
          <Stack gap="xs" role="group" aria-labelledby="origins-label">
            {origins.map((o, i) => (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
                <TextInput
                  style={{ flex: 1 }}
                  label={t("needs.intake.origin", { n: i + 1 })}
                  classNames={{ label: "visually-hidden" }}
                  placeholder="https://www.city.gov.il"
                  dir="ltr"
                  maxLength={200}
                  value={o}
                  error={errors[`widgetOrigins.${i}`]}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setOrigins((list) => list.map((x, k) => (k === i ? v : x)));
                  }}
                />
                <Button
                  variant="default"
                  onClick={() =>
                    setOrigins((list) => (list.length > 1 ? list.filter((_, k) => k !== i) : [""]))
                  }
                  aria-label={t("needs.intake.removeOrigin", { n: i + 1 })}
                >
                  {t("needs.intake.remove")}
                </Button>
              </Group>
            ))}
          </Stack>
          <Group gap="xs">
            <Button
              variant="default"
              size="compact-md"
              onClick={() => setOrigins((l) => [...l, ""])}
              disabled={origins.length >= 20}
            >
              {t("needs.intake.addOrigin")}
            </Button>
            <Button type="submit" size="compact-md" loading={busy === "origins"}>
              {t("needs.intake.saveOrigins")}
            </Button>
          </Group>
        </Stack>
      </form>

      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(
            {
              smsNumber: sms.replace(/[\s-]/g, "") || null,
              whatsappPhoneNumberId: whatsapp.trim() || null,
            },
            "channels",
          );
        }}
      >
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            {t("needs.intake.channels")}
          </Text>
          <Text size="xs" c="dimmed">
            {t("needs.intake.channelsHint")}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t("needs.intake.smsNumber")}
              description={t("needs.intake.smsNumberHint")}
              placeholder="+97235550123"
              dir="ltr"
              inputMode="tel"
              maxLength={20}
              value={sms}
              error={errors.smsNumber}
              onChange={(e) => setSms(e.currentTarget.value)}
            />
            <TextInput
              label={t("needs.intake.whatsappId")}
              description={t("needs.intake.whatsappIdHint")}
              dir="ltr"
              inputMode="numeric"
              maxLength={20}
              value={whatsapp}
              error={errors.whatsappPhoneNumberId}
              onChange={(e) => setWhatsapp(e.currentTarget.value)}
            />
          </SimpleGrid>
          <WebhookLine label={t("needs.intake.smsWebhook")} url={settings.smsWebhookUrl} />
          <WebhookLine
            label={t("needs.intake.whatsappWebhook")}
            url={settings.whatsappWebhookUrl}
          />
          <Group>
            <Button type="submit" size="compact-md" loading={busy === "channels"}>
              {t("needs.intake.saveChannels")}
            </Button>
          </Group>
        </Stack>
      </form>

      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t("needs.intake.snippet")}
        </Text>
        <Text size="xs" c="dimmed">
          {t("needs.intake.snippetHint")}
        </Text>
        <Code
          block
          dir="ltr"
          style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}
          data-testid="widget-snippet"
        >
          {settings.widgetSnippet}
        </Code>
        <Group gap="xs">
          <CopyButton value={settings.widgetSnippet}>
            {({ copied, copy }) => (
              <Button size="compact-sm" variant="default" onClick={copy}>
                {copied ? t("app.copied") : t("needs.intake.copySnippet")}
              </Button>
            )}
          </CopyButton>
          <Anchor href={embedUrl} target="_blank" rel="noopener noreferrer" size="sm">
            {t("needs.intake.preview")}
          </Anchor>
        </Group>
      </Stack>
      {error ? (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
    </Stack>
  );
}

/** A provider webhook address to paste into the provider's console. */
function WebhookLine({ label, url }: { label: string; url: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="xs" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code dir="ltr" style={{ wordBreak: "break-all", flex: 1 }}>
          {url}
        </Code>
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button size="compact-sm" variant="default" onClick={copy}>
              {copied ? t("app.copied") : t("needs.intake.copy")}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
