import { useEffect, useMemo, useRef, useState } from "react";
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Grid,
  Group,
  Menu,
  NativeSelect,
  Paper,
  Radio,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { useBlocker, useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Form } from "@kaveret/contracts";
import { FORM_API_LIMITS } from "@kaveret/contracts";
import { isContainer, localize, type FormDefinition, type FormNode } from "@kaveret/forms";
import { ApiError } from "../../api/client.ts";
import { currentLocale } from "../../i18n/index.ts";
import { AppModal } from "../../components/app-modal.tsx";
import { SoftBadge } from "../../components/soft-badge.tsx";
import { errorMessage } from "../../lib/errors.ts";
import { notify } from "../../lib/notify.ts";
import { BuilderPreview } from "./builder-preview.tsx";
import {
  BUILDER_CONTAINER_TYPES,
  BUILDER_FIELD_TYPES,
  addLanguage,
  addNode,
  duplicateNode,
  moveNode,
  movesOf,
  nodeAt,
  pathsByName,
  removeLanguage,
  removeNode,
  setDefaultLanguage,
  type AddableType,
  type Move,
  type NodePath,
} from "./builder-tree.ts";
import { liveProblems } from "./form-definition.ts";
import { DownIcon, MoreIcon, PlusIcon, UpIcon } from "./form-icons.tsx";
import { FORM_UI_LANGUAGES, languageName, pickFormLanguage } from "./form-languages.ts";
import { errorCount, problemText, problemsByName, type ProblemLike } from "./form-problems.ts";
import { createForm, formQuery } from "./forms.api.ts";
import { QuestionEditor, type AutoNamesUpdate } from "./question-editor.tsx";
import type { FormDraftController } from "./use-form-draft.ts";
import { typeKey } from "./form-labels.ts";

/*
 * The form builder: the form's settings, its questions as a tree (add, edit, move with
 * buttons, remove), problems checked live with the same checkForm the server runs and
 * shown next to their questions, and a live preview (beside it on a desktop; its own
 * view on a phone). Saved with the form's version; a form that already has answers
 * keeps its questions and offers a copy instead.
 */

interface FocusRequest {
  name: string;
  target: "label" | "up" | "down" | "edit";
}

export function FormBuilder({ form, draft }: { form: Form; draft: FormDraftController }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const wide = useMediaQuery("(min-width: 75em)", true, { getInitialValueInEffect: false });
  const [view, setView] = useState<"edit" | "preview">("edit");
  const [selected, setSelected] = useState<string | null>(null);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [confirm, setConfirm] = useState<
    { kind: "node"; name: string } | { kind: "language"; code: string } | null
  >(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const d = draft.draft;
  const def = d?.definition;
  const problems = useMemo(() => (def ? liveProblems(def) : []), [def]);
  const byName = useMemo(() => problemsByName(problems), [problems]);
  const locked = form.responseCount > 0 && form.status !== "draft";

  // Set when the builder itself moves on (to a copy it just made): nothing to warn about.
  const leaving = useRef(false);
  useBlocker({
    shouldBlockFn: ({ current, next }) =>
      draft.dirty &&
      !leaving.current &&
      current.pathname !== next.pathname &&
      !window.confirm(t("forms.builder.leave")),
    enableBeforeUnload: () => draft.dirty,
  });

  // Put the keyboard where the person was: on a moved question's button, a new question's label.
  useEffect(() => {
    if (!focus) return;
    const card = document.querySelector<HTMLElement>(`[data-node="${CSS.escape(focus.name)}"]`);
    const want =
      focus.target === "label"
        ? (card?.querySelector<HTMLElement>("[data-testid^='question-label']") ??
          card?.querySelector<HTMLElement>("textarea, input"))
        : card?.querySelector<HTMLElement>(`[data-action="${focus.target}"]:not([disabled])`);
    (want ?? card?.querySelector<HTMLElement>('[data-action="edit"]'))?.focus();
    setFocus(null);
  }, [focus, def]);

  if (!d || !def) {
    return (
      <Alert color="red" role="alert">
        {t("forms.builder.unreadable")}
      </Alert>
    );
  }

  const edit = (next: FormDefinition, names?: AutoNamesUpdate) => {
    setSaveError(null);
    draft.change((x) => ({ ...x, definition: next }), names);
  };
  const paths = pathsByName(def);

  const add = (parent: NodePath, type: AddableType) => {
    const r = addNode(def, parent, type);
    edit(r.def, (names) => names.add(r.name));
    setSelected(r.name);
    setFocus({ name: r.name, target: "label" });
  };
  const move = (name: string, m: Move) => {
    const path = paths.get(name);
    if (!path) return;
    const r = moveNode(def, path, m);
    if (!r) return;
    edit(r.def);
    setFocus({ name, target: m === "down" ? "down" : m === "up" ? "up" : "edit" });
  };
  const duplicate = (name: string) => {
    const path = paths.get(name);
    const r = path ? duplicateNode(def, path) : null;
    if (!r) return;
    edit(r.def);
    const copy = findName(r.def, r.path);
    if (copy) {
      setSelected(copy);
      setFocus({ name: copy, target: "edit" });
    }
  };
  const doRemove = (name: string) => {
    const path = paths.get(name);
    if (path) edit(removeNode(def, path));
    if (selected === name) setSelected(null);
  };

  const save = async () => {
    setSaveError(null);
    try {
      await draft.save();
      notify(t("forms.builder.saved"));
    } catch (err) {
      setSaveError(err);
    }
  };

  const structural = problems.some((p) => p.code === "invalid_definition");
  const titleMissing = d.title.trim() === "";

  const builder = (
    <Stack gap="md">
      <SettingsCard
        draft={draft}
        locked={locked}
        onRemoveLanguage={(code) => setConfirm({ kind: "language", code })}
      />
      <ProblemsCard
        problems={problems}
        onGoTo={(name) => {
          setSelected(name);
          setFocus({ name, target: "label" });
        }}
      />
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="questions-title">
        <Stack gap="sm">
          <Title order={2} size="h4" id="questions-title">
            {t("forms.builder.questions")}
          </Title>
          {def.questions.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("forms.builder.noQuestions")}
            </Text>
          ) : null}
          <NodeList
            def={def}
            nodes={def.questions}
            parent={[]}
            ctx={{
              def,
              byName,
              selected,
              locked,
              autoNames: draft.autoNames,
              onSelect: (name) => setSelected((s) => (s === name ? null : name)),
              onMove: move,
              onDuplicate: duplicate,
              onRemove: (name) => setConfirm({ kind: "node", name }),
              onAdd: add,
              onEdit: (next, names, renamedFrom, renamedTo) => {
                edit(next, names);
                if (renamedFrom && selected === renamedFrom) setSelected(renamedTo ?? null);
              },
            }}
          />
          {!locked ? <AddMenu parent={[]} onAdd={add} /> : null}
        </Stack>
      </Paper>
    </Stack>
  );

  return (
    <Stack gap="md" pb={80}>
      {locked ? (
        <LockedNotice
          form={form}
          definition={def}
          title={d.title}
          onLeave={() => (leaving.current = true)}
        />
      ) : null}
      {saveError ? (
        <SaveProblem
          error={saveError}
          form={form}
          definition={def}
          title={d.title}
          onLeave={() => (leaving.current = true)}
          onDiscard={() => {
            setSaveError(null);
            draft.discard();
            // Someone else's newer version, if that is why the save failed.
            void queryClient.invalidateQueries({ queryKey: formQuery(form.id).queryKey });
          }}
        />
      ) : null}
      {!wide ? (
        <SegmentedControl
          fullWidth
          value={view}
          onChange={(v) => setView(v === "preview" ? "preview" : "edit")}
          data={[
            { value: "edit", label: t("forms.builder.viewEdit") },
            { value: "preview", label: t("forms.builder.viewPreview") },
          ]}
          aria-label={t("forms.builder.viewLabel")}
          data-testid="builder-view"
        />
      ) : null}
      {wide ? (
        <Grid gap="md">
          <Grid.Col span={7}>{builder}</Grid.Col>
          <Grid.Col span={5}>
            <div
              style={{
                position: "sticky",
                top: 72,
                maxHeight: "calc(100vh - 90px)",
                overflow: "auto",
              }}
            >
              <BuilderPreview definition={def} />
            </div>
          </Grid.Col>
        </Grid>
      ) : view === "edit" ? (
        builder
      ) : (
        <BuilderPreview definition={def} />
      )}

      <SaveBar
        dirty={draft.dirty}
        saving={draft.saving}
        errors={errorCount(problems)}
        blocked={structural || titleMissing}
        onSave={() => void save()}
        onDiscard={draft.discard}
      />

      <AppModal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={
          confirm?.kind === "language"
            ? t("forms.builder.removeLanguageTitle")
            : t("forms.builder.removeTitle")
        }
      >
        <Stack gap="md">
          <Text>
            {confirm?.kind === "language"
              ? t("forms.builder.removeLanguageText", {
                  language: languageName(
                    confirm.code,
                    def.settings,
                    t("formRunner.unnamedLanguage"),
                  ),
                })
              : confirm?.kind === "node"
                ? removeText(t, def, confirm.name)
                : ""}
          </Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t("app.cancel")}
            </Button>
            <Button
              color="red"
              data-testid="confirm-remove"
              onClick={() => {
                if (confirm?.kind === "node") doRemove(confirm.name);
                if (confirm?.kind === "language") edit(removeLanguage(def, confirm.code));
                setConfirm(null);
              }}
            >
              {t("forms.builder.remove")}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </Stack>
  );
}

const findName = (def: FormDefinition, path: NodePath) => nodeAt(def, path)?.name ?? null;

function removeText(t: ReturnType<typeof useTranslation>["t"], def: FormDefinition, name: string) {
  const path = pathsByName(def).get(name);
  const node = path ? nodeAt(def, path) : undefined;
  const label = node ? nodeLabel(def, node) : name;
  if (node && isContainer(node) && node.children.length > 0) {
    return t("forms.builder.removeContainerText", { label, n: node.children.length });
  }
  return t("forms.builder.removeText", { label });
}

/** A node's label as the builder lists it: in the UI's language when the form has it. */
const nodeLabel = (def: FormDefinition, node: FormNode) =>
  localize(node.label, pickFormLanguage(def.settings, [currentLocale()]), def.settings) ||
  node.name;

// ------------------------------------------------------------------ settings

function SettingsCard({
  draft,
  locked,
  onRemoveLanguage,
}: {
  draft: FormDraftController;
  locked: boolean;
  onRemoveLanguage: (code: string) => void;
}) {
  const { t } = useTranslation();
  const d = draft.draft!;
  const settings = d.definition.settings;
  const languages = [
    ...FORM_UI_LANGUAGES,
    ...settings.languages.filter((l) => !(FORM_UI_LANGUAGES as readonly string[]).includes(l)),
  ];
  const setDef = (fn: (def: FormDefinition) => FormDefinition) =>
    draft.change((x) => ({ ...x, definition: fn(x.definition) }));
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="settings-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="settings-title">
          {t("forms.builder.settings")}
        </Title>
        <TextInput
          label={t("forms.builder.title")}
          required
          maxLength={FORM_API_LIMITS.title}
          value={d.title}
          error={d.title.trim() === "" ? t("validation.required") : undefined}
          onChange={(e) => {
            const title = e.currentTarget.value;
            draft.change((x) => ({ ...x, title }));
          }}
          data-testid="form-title"
        />
        <Radio.Group
          label={t("forms.privacy.label")}
          value={d.anonymous ? "anonymous" : "identified"}
          onChange={(v) => draft.change((x) => ({ ...x, anonymous: v === "anonymous" }))}
        >
          <Group gap="md" mt={6}>
            <Radio value="anonymous" label={t("forms.anonymous")} />
            <Radio value="identified" label={t("forms.identified")} />
          </Group>
        </Radio.Group>
        <fieldset disabled={locked} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <Stack gap="sm">
            <Checkbox.Group
              label={t("forms.builder.languages")}
              description={t("forms.builder.languagesHint")}
              value={settings.languages}
              onChange={(next) => {
                const added = next.filter((l) => !settings.languages.includes(l));
                const removed = settings.languages.filter((l) => !next.includes(l));
                for (const l of added) setDef((def) => addLanguage(def, l));
                for (const l of removed) onRemoveLanguage(l);
              }}
            >
              <Group gap="md" mt={6}>
                {languages.map((l) => (
                  <Checkbox
                    key={l}
                    value={l}
                    label={languageName(l, settings, t("formRunner.unnamedLanguage"))}
                    lang={l === "default" ? undefined : l}
                    disabled={
                      l === settings.defaultLanguage ||
                      (settings.languages.length === 1 && settings.languages.includes(l))
                    }
                    data-testid={`lang-${l}`}
                  />
                ))}
              </Group>
            </Checkbox.Group>
            <NativeSelect
              label={t("forms.builder.defaultLanguage")}
              description={t("forms.builder.defaultLanguageHint")}
              value={settings.defaultLanguage}
              data={settings.languages.map((l) => ({
                value: l,
                label: languageName(l, settings, t("formRunner.unnamedLanguage")),
              }))}
              onChange={(e) => {
                const code = e.currentTarget.value;
                setDef((def) => setDefaultLanguage(def, code));
              }}
            />
          </Stack>
        </fieldset>
      </Stack>
    </Paper>
  );
}

// ------------------------------------------------------------------ problems

function ProblemsCard({
  problems,
  onGoTo,
}: {
  problems: readonly ProblemLike[];
  onGoTo: (name: string) => void;
}) {
  const { t } = useTranslation();
  const errors = errorCount(problems);
  if (problems.length === 0) {
    return (
      <Text size="sm" c="#1d5a2a" role="status" data-testid="builder-problems-none">
        {t("forms.builder.noProblems")}
      </Text>
    );
  }
  return (
    <Alert
      color={errors > 0 ? "red" : "yellow"}
      title={t("forms.builder.problemsTitle", { errors, warnings: problems.length - errors })}
      data-testid="builder-problems"
    >
      <Stack gap={6} component="ul" style={{ margin: 0, paddingInlineStart: 18 }}>
        {problems.slice(0, 30).map((p, i) => (
          <li key={i}>
            <Text span size="sm">
              {t(`forms.level.${p.level}`)}: {problemText(t, p)}
            </Text>{" "}
            {p.name ? (
              <UnstyledButton
                onClick={() => onGoTo(p.name!)}
                style={{ textDecoration: "underline", fontSize: "var(--mantine-font-size-sm)" }}
              >
                {t("forms.builder.goTo", { name: p.name })}
              </UnstyledButton>
            ) : null}
          </li>
        ))}
      </Stack>
      {errors > 0 ? (
        <Text size="sm" mt="xs">
          {t("forms.builder.errorsBlockOpening")}
        </Text>
      ) : null}
    </Alert>
  );
}

// ------------------------------------------------------------------ the tree

interface TreeCtx {
  def: FormDefinition;
  byName: Map<string, ProblemLike[]>;
  selected: string | null;
  locked: boolean;
  autoNames: ReadonlySet<string>;
  onSelect: (name: string) => void;
  onMove: (name: string, move: Move) => void;
  onDuplicate: (name: string) => void;
  onRemove: (name: string) => void;
  onAdd: (parent: NodePath, type: AddableType) => void;
  onEdit: (
    def: FormDefinition,
    names?: AutoNamesUpdate,
    renamedFrom?: string,
    renamedTo?: string,
  ) => void;
}

function NodeList({
  def,
  nodes,
  parent,
  ctx,
}: {
  def: FormDefinition;
  nodes: readonly FormNode[];
  parent: NodePath;
  ctx: TreeCtx;
}) {
  if (nodes.length === 0) return null;
  return (
    <Stack gap="xs" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {nodes.map((node, i) => (
        <QuestionCard key={node.name} def={def} node={node} path={[...parent, i]} ctx={ctx} />
      ))}
    </Stack>
  );
}

function QuestionCard({
  def,
  node,
  path,
  ctx,
}: {
  def: FormDefinition;
  node: FormNode;
  path: NodePath;
  ctx: TreeCtx;
}) {
  const { t } = useTranslation();
  const open = ctx.selected === node.name;
  const problems = ctx.byName.get(node.name) ?? [];
  const errors = errorCount(problems);
  const label = nodeLabel(def, node);
  const hasLabel = Boolean(node.label && Object.values(node.label).some((s) => s !== ""));
  const moves = movesOf(def, path);
  const labelId = `node-label-${path.join("-")}`;
  const editorId = `node-editor-${path.join("-")}`;
  const container = isContainer(node);
  const required = !container && node.required !== undefined && node.required !== false;

  return (
    <Paper
      component="li"
      withBorder
      radius="md"
      p="sm"
      data-node={node.name}
      data-testid={`node-${node.name}`}
      style={{
        borderColor: errors > 0 ? "var(--mantine-color-red-6)" : undefined,
        background: container ? "var(--mantine-color-gray-0)" : undefined,
      }}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <Group gap={6} wrap="wrap" style={{ minWidth: 150, flex: 1 }}>
            <SoftBadge color={container ? "blue" : "gray"} tt="none" size="sm">
              {t(typeKey(node.type))}
            </SoftBadge>
            {required ? (
              <SoftBadge color="honey" tt="none" size="sm">
                {t("forms.builder.requiredBadge")}
              </SoftBadge>
            ) : null}
            {node.relevant ? (
              <SoftBadge color="grape" tt="none" size="sm">
                {t("forms.builder.conditionalBadge")}
              </SoftBadge>
            ) : null}
            {problems.length > 0 ? (
              <SoftBadge color={errors > 0 ? "red" : "yellow"} tt="none" size="sm">
                {errors > 0
                  ? t("forms.builder.errorsBadge", { n: errors })
                  : t("forms.builder.warningsBadge", { n: problems.length })}
              </SoftBadge>
            ) : null}
          </Group>
          <Group gap={4} wrap="nowrap">
            <Button
              size="compact-sm"
              variant={open ? "filled" : "light"}
              aria-expanded={open}
              aria-controls={editorId}
              aria-describedby={labelId}
              data-action="edit"
              onClick={() => ctx.onSelect(node.name)}
            >
              {ctx.locked
                ? open
                  ? t("forms.builder.hideDetails")
                  : t("forms.builder.details")
                : open
                  ? t("forms.builder.close")
                  : t("forms.builder.edit")}
            </Button>
            {!ctx.locked ? (
              <>
                <ActionIcon
                  variant="default"
                  size="md"
                  disabled={!moves.up}
                  aria-label={t("forms.builder.moveUp", { label })}
                  data-action="up"
                  onClick={() => ctx.onMove(node.name, "up")}
                >
                  <UpIcon size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="default"
                  size="md"
                  disabled={!moves.down}
                  aria-label={t("forms.builder.moveDown", { label })}
                  data-action="down"
                  onClick={() => ctx.onMove(node.name, "down")}
                >
                  <DownIcon size={16} />
                </ActionIcon>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon
                      variant="default"
                      size="md"
                      aria-label={t("forms.builder.more", { label })}
                      data-action="more"
                    >
                      <MoreIcon size={16} />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    {moves.into ? (
                      <Menu.Item onClick={() => ctx.onMove(node.name, "into")}>
                        {t("forms.builder.moveInto")}
                      </Menu.Item>
                    ) : null}
                    {moves.out ? (
                      <Menu.Item onClick={() => ctx.onMove(node.name, "out")}>
                        {t("forms.builder.moveOut")}
                      </Menu.Item>
                    ) : null}
                    <Menu.Item onClick={() => ctx.onDuplicate(node.name)}>
                      {t("forms.builder.duplicate")}
                    </Menu.Item>
                    <Menu.Item color="red" onClick={() => ctx.onRemove(node.name)}>
                      {t("forms.builder.remove")}
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </>
            ) : null}
          </Group>
        </Group>
        <Stack gap={2}>
          <Text fw={600} id={labelId} style={{ overflowWrap: "anywhere" }}>
            <bdi>{hasLabel ? label : t("forms.builder.noLabel")}</bdi>
          </Text>
          <Text
            size="xs"
            c="dimmed"
            ff="monospace"
            dir="ltr"
            style={{ unicodeBidi: "isolate", alignSelf: "flex-start" }}
          >
            {node.name}
          </Text>
        </Stack>
        {open ? (
          <div id={editorId}>
            <fieldset
              disabled={ctx.locked}
              style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}
            >
              <QuestionEditor
                def={def}
                path={path}
                node={node}
                problems={problems}
                autoNamed={ctx.autoNames.has(node.name)}
                onChange={(next, names) => {
                  const renamed = findName(next, path);
                  ctx.onEdit(
                    next,
                    names,
                    renamed !== node.name ? node.name : undefined,
                    renamed ?? undefined,
                  );
                }}
              />
            </fieldset>
          </div>
        ) : null}
        {container ? (
          <Stack
            gap="xs"
            ps={{ base: "xs", sm: "md" }}
            style={{ borderInlineStart: "3px solid var(--mantine-color-blue-2)" }}
          >
            {node.children.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t("forms.builder.emptyContainer")}
              </Text>
            ) : null}
            <NodeList def={def} nodes={node.children} parent={path} ctx={ctx} />
            {!ctx.locked ? <AddMenu parent={path} onAdd={ctx.onAdd} inside={label} /> : null}
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}

function AddMenu({
  parent,
  onAdd,
  inside,
}: {
  parent: NodePath;
  onAdd: (parent: NodePath, type: AddableType) => void;
  inside?: string;
}) {
  const { t } = useTranslation();
  return (
    <Group>
      <Menu position="bottom-start" withinPortal>
        <Menu.Target>
          <Button
            variant={inside ? "subtle" : "light"}
            size={inside ? "compact-md" : "sm"}
            leftSection={<PlusIcon size={16} />}
            data-testid={inside ? `add-inside-${parent.join("-")}` : "add-question"}
          >
            {inside ? t("forms.builder.addInside", { label: inside }) : t("forms.builder.add")}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t("forms.builder.addQuestionLabel")}</Menu.Label>
          {BUILDER_FIELD_TYPES.map((type) => (
            <Menu.Item key={type} onClick={() => onAdd(parent, type)} data-testid={`add-${type}`}>
              {t(typeKey(type))}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Label>{t("forms.builder.addSectionLabel")}</Menu.Label>
          {BUILDER_CONTAINER_TYPES.map((type) => (
            <Menu.Item key={type} onClick={() => onAdd(parent, type)} data-testid={`add-${type}`}>
              {t(typeKey(type))}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

// ------------------------------------------------------------------ saving

function SaveBar({
  dirty,
  saving,
  errors,
  blocked,
  onSave,
  onDiscard,
}: {
  dirty: boolean;
  saving: boolean;
  errors: number;
  blocked: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      shadow="sm"
      radius="md"
      p="sm"
      style={{ position: "sticky", bottom: 8, zIndex: 5 }}
      data-testid="save-bar"
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm" role="status" aria-live="polite">
          {saving
            ? t("forms.builder.saving")
            : dirty
              ? errors > 0
                ? t("forms.builder.unsavedWithErrors", { n: errors })
                : t("forms.builder.unsaved")
              : t("forms.builder.allSaved")}
        </Text>
        <Group gap="xs">
          <Button variant="default" disabled={!dirty || saving} onClick={onDiscard}>
            {t("forms.builder.discard")}
          </Button>
          <Button
            onClick={onSave}
            loading={saving}
            disabled={!dirty || blocked}
            data-testid="builder-save"
          >
            {t("app.save")}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}

/** "Duplicate as a new form": the same questions in a new draft (answers stay with the old one). */
function useDuplicate(form: Form, definition: FormDefinition, title: string, onLeave: () => void) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const copyTitle = t("forms.builder.copyTitle", { title: title.trim() || form.title }).slice(
        0,
        FORM_API_LIMITS.title,
      );
      const created = await createForm({
        title: copyTitle,
        anonymous: form.anonymous,
        communityId: form.community?.id ?? null,
        definition: {
          ...definition,
          settings: { ...definition.settings, title: copyTitle },
        } as unknown as Record<string, unknown>,
      });
      queryClient.setQueryData(formQuery(created.id).queryKey, created);
      void queryClient.invalidateQueries({ queryKey: ["forms", "list"] });
      notify(t("forms.builder.duplicated"));
      onLeave();
      void navigate({ to: "/forms/$id", params: { id: created.id } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}

function LockedNotice({
  form,
  definition,
  title,
  onLeave,
}: {
  form: Form;
  definition: FormDefinition;
  title: string;
  onLeave: () => void;
}) {
  const { t } = useTranslation();
  const dup = useDuplicate(form, definition, title, onLeave);
  return (
    <Alert color="blue" title={t("forms.builder.lockedTitle")} data-testid="builder-locked">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{t("forms.builder.lockedText", { n: form.responseCount })}</Text>
        {dup.error ? (
          <Text size="sm" c="red.9" role="alert">
            {errorMessage(t, dup.error)}
          </Text>
        ) : null}
        <Button size="sm" variant="light" onClick={() => void dup.run()} loading={dup.busy}>
          {t("forms.builder.duplicateForm")}
        </Button>
      </Stack>
    </Alert>
  );
}

/** Why a save was refused, and the way on from there. */
function SaveProblem({
  error,
  form,
  definition,
  title,
  onLeave,
  onDiscard,
}: {
  error: unknown;
  form: Form;
  definition: FormDefinition;
  title: string;
  onLeave: () => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  const dup = useDuplicate(form, definition, title, onLeave);
  const code = error instanceof ApiError ? error.code : "";
  if (code === "form.published_definition") {
    return (
      <Alert
        color="orange"
        role="alert"
        title={t("forms.builder.publishedTitle")}
        data-testid="save-published"
      >
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{t("forms.builder.publishedText")}</Text>
          {dup.error ? (
            <Text size="sm" c="red.9">
              {errorMessage(t, dup.error)}
            </Text>
          ) : null}
          <Group gap="xs">
            <Button size="sm" onClick={() => void dup.run()} loading={dup.busy}>
              {t("forms.builder.duplicateForm")}
            </Button>
            <Button size="sm" variant="default" onClick={onDiscard}>
              {t("forms.builder.discard")}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  if (code === "version_conflict") {
    return (
      <Alert
        color="orange"
        role="alert"
        title={t("forms.builder.conflictTitle")}
        data-testid="save-conflict"
      >
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{t("forms.builder.conflictText")}</Text>
          <Group gap="xs">
            <Button size="sm" variant="default" onClick={onDiscard}>
              {t("forms.builder.loadTheirs")}
            </Button>
            <Button size="sm" variant="light" onClick={() => void dup.run()} loading={dup.busy}>
              {t("forms.builder.keepAsCopy")}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="red" role="alert" title={t("forms.builder.saveFailed")}>
      {errorMessage(t, error)}
    </Alert>
  );
}
