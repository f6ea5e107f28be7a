import { useId, useRef, useState } from "react";
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  FileButton,
  Group,
  Input,
  NativeSelect,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import {
  answerText,
  type FieldState,
  type Geopoint,
  type NodeState,
  type RepeatState,
} from "@kaveret/forms";
import { langAttribute, languageDirection, languageName } from "./form-languages.ts";
import {
  coordinateText,
  geopointFrom,
  parseDecimal,
  parseInteger,
  pathKey,
  type ParsedNumber,
  type RunnerIssue,
} from "./runner-answers.ts";
import type { FormRunnerController } from "./use-form-runner.ts";
import { PhotoRefused, maxPixelsOf, type RunnerPhotos } from "./form-photos.ts";
import { useMemoryPhotos } from "./use-memory-photos.ts";

/*
 * The form runner: renders the engine's state of a form (evaluateForm) as a long,
 * sectioned page — groups as fieldsets, repeats with add/remove, selects with their
 * filtered choices, calculated values read-only — and writes each answer back through
 * the controller (useFormRunner). Pure on @kaveret/forms, no API calls: the public
 * survey page, staff typing in paper answers, the builder's preview and the offline
 * door-to-door flow all use it. Photos are kept where the page says (`photos`: in memory,
 * or on the device for offline answers); the answer holds each photo's id.
 */

export interface FormRunnerProps {
  runner: FormRunnerController;
  /** Offer the form's languages when it has more than one. */
  languagePicker?: boolean;
  /** Called after the person picks a form language (the public page follows with its own texts). */
  onLanguageChange?: (language: string) => void;
  disabled?: boolean;
  /** Where picked photos are kept until the answer is sent (in memory when not given). */
  photos?: RunnerPhotos;
}

/** Puts the keyboard on the first question showing a problem (after a send was refused). */
export function focusFirstProblem(root: HTMLElement | null): boolean {
  const field = root?.querySelector<HTMLElement>('[data-invalid="true"]');
  if (!field) return false;
  const target = field.querySelector<HTMLElement>(
    "input:not([type=hidden]):not([disabled]), textarea, select, button",
  );
  (target ?? field).focus();
  field.scrollIntoView?.({ block: "center" });
  return true;
}

/** The message of an issue in the reader's language (the form's own message when it wrote one). */
export function issueText(t: TFunction, issue: RunnerIssue): string {
  if (issue.fromForm && issue.message) return issue.message;
  return t(`formRunner.issue.${issue.code}`, { defaultValue: issue.message || issue.code });
}

/** Section titles (group and repeat legends) stand out from the questions in them. */
const LEGEND = { legend: { fontWeight: 700, fontSize: "var(--mantine-font-size-md)" } };

interface Ctx {
  runner: FormRunnerController;
  disabled: boolean;
  /** Messages to show next to a field (engine issues when due, plus the server's). */
  messages: (field: FieldState) => string[];
  showAll: boolean;
  photos: RunnerPhotos;
}

export function FormRunner({
  runner,
  languagePicker = true,
  onLanguageChange,
  disabled = false,
  photos,
}: FormRunnerProps) {
  const { t } = useTranslation();
  const inMemory = useMemoryPhotos();
  const { state, form, language } = runner;
  if (!state) {
    return (
      <Alert color="yellow" role="status" data-testid="runner-unavailable">
        {t("formRunner.cannotRun")}
      </Alert>
    );
  }
  const serverByPath = new Map<string, RunnerIssue[]>();
  for (const i of runner.serverIssues) {
    const key = pathKey(i.path);
    serverByPath.set(key, [...(serverByPath.get(key) ?? []), i]);
  }
  const messages = (field: FieldState): string[] => {
    const key = pathKey(field.path);
    const shown = runner.submitted || runner.touched.has(key) ? field.issues : [];
    const out = shown.map((i) => issueText(t, i));
    for (const s of serverByPath.get(key) ?? []) {
      // The engine's own issue of the same kind says it in the form's words already.
      if (shown.some((i) => i.code === s.code)) continue;
      out.push(issueText(t, s));
    }
    return out;
  };
  const ctx: Ctx = {
    runner,
    disabled,
    messages,
    showAll: runner.submitted,
    photos: photos ?? inMemory,
  };
  const dir = language === "default" ? undefined : languageDirection(language);

  return (
    <Stack gap="lg" dir={dir} lang={langAttribute(language)} data-testid="form-runner">
      {languagePicker && form.settings.languages.length > 1 ? (
        <RunnerLanguages
          runner={runner}
          onChange={(l) => {
            runner.setLanguage(l);
            onLanguageChange?.(l);
          }}
        />
      ) : null}
      <NodeList nodes={state.nodes} ctx={ctx} />
    </Stack>
  );
}

/** Buttons with each of the form's languages, named in itself. */
export function RunnerLanguages({
  runner,
  onChange,
}: {
  runner: Pick<FormRunnerController, "form" | "language">;
  onChange: (language: string) => void;
}) {
  const { t } = useTranslation();
  const { settings } = runner.form;
  return (
    <Group gap={4} wrap="wrap" role="group" aria-label={t("formRunner.language")}>
      {settings.languages.map((l) => (
        <Button
          key={l}
          size="compact-md"
          variant={l === runner.language ? "filled" : "default"}
          aria-pressed={l === runner.language}
          lang={langAttribute(l)}
          onClick={() => onChange(l)}
          data-testid={`runner-lang-${l}`}
        >
          {languageName(l, settings, t("formRunner.unnamedLanguage"))}
        </Button>
      ))}
    </Group>
  );
}

function NodeList({ nodes, ctx }: { nodes: readonly NodeState[]; ctx: Ctx }) {
  return (
    <>
      {nodes.map((n) =>
        n.relevant ? <NodeView key={pathKey(n.path)} node={n} ctx={ctx} /> : null,
      )}
    </>
  );
}

function NodeView({ node, ctx }: { node: NodeState; ctx: Ctx }) {
  if (node.kind === "group") {
    if (!node.label) {
      return (
        <Stack gap="lg" data-group={node.node.name}>
          <NodeList nodes={node.children} ctx={ctx} />
        </Stack>
      );
    }
    return (
      <Fieldset legend={node.label} radius="md" styles={LEGEND} data-group={node.node.name}>
        <Stack gap="lg">
          <NodeList nodes={node.children} ctx={ctx} />
        </Stack>
      </Fieldset>
    );
  }
  if (node.kind === "repeat") return <RepeatView node={node} ctx={ctx} />;
  return <FieldView field={node} ctx={ctx} />;
}

function RepeatView({ node, ctx }: { node: RepeatState; ctx: Ctx }) {
  const { t } = useTranslation();
  const label = node.label || node.node.name;
  return (
    <Fieldset legend={label} radius="md" styles={LEGEND} data-repeat={node.node.name}>
      <Stack gap="md">
        {node.instances.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("formRunner.noInstances")}
          </Text>
        ) : null}
        {node.instances.map((inst) => (
          <Fieldset
            key={inst.index}
            variant="filled"
            radius="md"
            legend={t("formRunner.instance", { label, n: inst.index + 1 })}
            data-testid={`instance-${node.node.name}-${inst.index}`}
          >
            <Stack gap="lg">
              <NodeList nodes={inst.children} ctx={ctx} />
              {!node.fixedCount ? (
                <Group>
                  <Button
                    variant="subtle"
                    color="red"
                    size="compact-md"
                    disabled={ctx.disabled}
                    onClick={() => ctx.runner.removeInstance(node.path, inst.index)}
                  >
                    {t("formRunner.removeInstance", { label, n: inst.index + 1 })}
                  </Button>
                </Group>
              ) : null}
            </Stack>
          </Fieldset>
        ))}
        {!node.fixedCount ? (
          <Group>
            <Button
              variant="light"
              disabled={ctx.disabled}
              onClick={() => ctx.runner.addInstance(node.path)}
              data-testid={`add-${node.node.name}`}
            >
              {node.instances.length === 0
                ? t("formRunner.addFirst", { label })
                : t("formRunner.addInstance", { label })}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Fieldset>
  );
}

/** A field's value as plain text for read-only display. */
function valueText(field: FieldState): string {
  const v = field.value;
  if (v === undefined || v === null || v === "") return "";
  if (field.choices) {
    const names = Array.isArray(v) ? (v as string[]) : [String(v)];
    return names.map((n) => field.choices?.find((c) => c.name === n)?.label ?? n).join(", ");
  }
  if (field.node.type === "geopoint" && typeof v === "object") {
    const p = v as Geopoint;
    return `${coordinateText(p.latitude)}, ${coordinateText(p.longitude)}`;
  }
  return answerText(v);
}

function FieldView({ field, ctx }: { field: FieldState; ctx: Ctx }) {
  const type = field.node.type;
  const key = pathKey(field.path);
  const errors = ctx.messages(field);
  const [localProblem, setLocalProblem] = useState<string | null>(null);
  const shownProblem =
    localProblem && (ctx.showAll || ctx.runner.touched.has(key)) ? localProblem : null;
  const allErrors = shownProblem ? [shownProblem, ...errors] : errors;
  const error = allErrors.length > 0 ? allErrors.join(" · ") : undefined;
  const label = field.label || field.node.name;
  const hint = field.hint || undefined;
  // Touched on every change too, not only on leaving: a message appearing on blur would
  // move the page under a pointer already pressing the next control.
  const set = (v: unknown) => {
    ctx.runner.setValue(field.path, v);
    ctx.runner.touch(field.path);
  };
  const touch = () => ctx.runner.touch(field.path);
  const readOnly = field.readOnly && type !== "note";
  const disabled = ctx.disabled;
  const base = {
    label,
    description: hint,
    error,
    required: field.required,
    disabled,
  };

  let body: React.ReactNode;
  if (field.hidden) {
    // Calculations show only when the author gave them a label; device data never.
    if (type !== "calculate" || !field.label) return null;
    body = <ReadOnlyValue label={label} hint={hint} value={valueText(field)} />;
  } else if (type === "note") {
    body = (
      <Paper withBorder p="sm" radius="md" bg="gray.0">
        <Stack gap={4}>
          {field.label ? (
            <Text fw={600} style={{ whiteSpace: "pre-wrap" }}>
              {field.label}
            </Text>
          ) : null}
          {field.hint ? (
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {field.hint}
            </Text>
          ) : null}
          {valueText(field) ? <Text size="sm">{valueText(field)}</Text> : null}
        </Stack>
      </Paper>
    );
  } else if (readOnly) {
    body = <ReadOnlyValue label={label} hint={hint} value={valueText(field)} />;
  } else {
    switch (type) {
      case "text": {
        const multiline = /\bmultiline\b/.test(field.node.appearance ?? "");
        const value = typeof field.value === "string" ? field.value : "";
        body = multiline ? (
          <Textarea
            {...base}
            autosize
            minRows={3}
            value={value}
            onChange={(e) => set(e.currentTarget.value === "" ? undefined : e.currentTarget.value)}
            onBlur={touch}
          />
        ) : (
          <TextInput
            {...base}
            value={value}
            onChange={(e) => set(e.currentTarget.value === "" ? undefined : e.currentTarget.value)}
            onBlur={touch}
          />
        );
        break;
      }
      case "integer":
      case "decimal":
        body = (
          <NumberField
            base={base}
            kind={type}
            value={typeof field.value === "number" ? field.value : undefined}
            onValue={set}
            onProblem={setLocalProblem}
            onBlur={touch}
          />
        );
        break;
      case "date":
        body = (
          <TextInput
            {...base}
            type="date"
            value={typeof field.value === "string" ? field.value : ""}
            onChange={(e) => {
              set(e.currentTarget.value === "" ? undefined : e.currentTarget.value);
            }}
            onBlur={touch}
          />
        );
        break;
      case "select_one":
        body = <SelectOne field={field} base={base} set={set} touch={touch} />;
        break;
      case "select_multiple": {
        const value = Array.isArray(field.value) ? (field.value as string[]) : [];
        body =
          (field.choices ?? []).length === 0 ? (
            <NoChoices label={label} hint={hint} />
          ) : (
            <Checkbox.Group
              {...base}
              withAsterisk={field.required}
              value={value}
              onChange={(v) => {
                set(v.length > 0 ? v : undefined);
                touch();
              }}
            >
              <Stack gap="xs" mt={6}>
                {(field.choices ?? []).map((c) => (
                  <Checkbox key={c.name} value={c.name} label={c.label} disabled={disabled} />
                ))}
              </Stack>
            </Checkbox.Group>
          );
        break;
      }
      case "geopoint":
        body = (
          <GeopointField
            base={base}
            value={field.value as Geopoint | undefined}
            onValue={set}
            onProblem={setLocalProblem}
            onBlur={touch}
          />
        );
        break;
      case "image":
        body = (
          <ImageField
            base={base}
            value={typeof field.value === "string" ? field.value : undefined}
            maxPixels={maxPixelsOf(field.node.type === "image" ? field.node.parameters : undefined)}
            photos={ctx.photos}
            onValue={set}
            onProblem={(problem) => {
              setLocalProblem(problem);
              touch();
            }}
          />
        );
        break;
      default:
        body = <ReadOnlyValue label={label} hint={hint} value={valueText(field)} />;
    }
  }
  return (
    <div
      data-field={key}
      data-invalid={allErrors.length > 0 ? "true" : undefined}
      data-testid={`q-${key}`}
    >
      {body}
    </div>
  );
}

interface BaseProps {
  label: string;
  description: string | undefined;
  error: string | undefined;
  required: boolean;
  disabled: boolean;
}

function ReadOnlyValue({
  label,
  hint,
  value,
}: {
  label: string;
  hint: string | undefined;
  value: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
      <Text data-testid="runner-readonly" style={{ overflowWrap: "anywhere" }}>
        {value || t("formRunner.noValue")}
      </Text>
    </Stack>
  );
}

function NoChoices({ label, hint }: { label: string; hint: string | undefined }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
      <Text size="sm" c="dimmed">
        {t("formRunner.noChoices")}
      </Text>
    </Stack>
  );
}

function SelectOne({
  field,
  base,
  set,
  touch,
}: {
  field: FieldState;
  base: BaseProps;
  set: (v: unknown) => void;
  touch: () => void;
}) {
  const { t } = useTranslation();
  const choices = field.choices ?? [];
  const value = typeof field.value === "string" ? field.value : "";
  if (choices.length === 0) return <NoChoices label={base.label} hint={base.description} />;
  // Long lists, or the author's "minimal" look, as a drop-down.
  if (/\bminimal\b/.test(field.node.appearance ?? "") || choices.length > 12) {
    return (
      <NativeSelect
        {...base}
        value={value}
        data={[
          { value: "", label: t("formRunner.choose") },
          ...choices.map((c) => ({ value: c.name, label: c.label })),
        ]}
        onChange={(e) => {
          set(e.currentTarget.value === "" ? undefined : e.currentTarget.value);
          touch();
        }}
        onBlur={touch}
      />
    );
  }
  return (
    <Radio.Group
      {...base}
      withAsterisk={field.required}
      value={value}
      onChange={(v) => {
        set(v === "" ? undefined : v);
        touch();
      }}
    >
      <Stack gap="xs" mt={6}>
        {choices.map((c) => (
          <Radio key={c.name} value={c.name} label={c.label} disabled={base.disabled} />
        ))}
        {value !== "" && !field.required ? (
          <Group>
            <Button
              variant="subtle"
              size="compact-sm"
              disabled={base.disabled}
              onClick={() => set(undefined)}
            >
              {t("formRunner.clearChoice")}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Radio.Group>
  );
}

const numberText = (n: number | undefined) => (n === undefined ? "" : String(n));

/** A number typed as text: kept as typed (so "2," or "-" can be on the way), read on change. */
function NumberField({
  base,
  kind,
  value,
  onValue,
  onProblem,
  onBlur,
}: {
  base: BaseProps;
  kind: "integer" | "decimal";
  value: number | undefined;
  onValue: (v: number | undefined) => void;
  onProblem: (problem: string | null) => void;
  onBlur: () => void;
}) {
  const { t } = useTranslation();
  const parse = (s: string): ParsedNumber =>
    kind === "integer" ? parseInteger(s) : parseDecimal(s);
  const [text, setText] = useState(numberText(value));
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    // Changed from outside (a reset, a calculation): show it, unless it is our own unreadable text.
    setSeen(value);
    const mine = parse(text);
    if (!(value === undefined && mine === null) && mine !== value) setText(numberText(value));
  }
  return (
    <TextInput
      {...base}
      inputMode={kind === "integer" ? "numeric" : "decimal"}
      dir="ltr"
      value={text}
      onChange={(e) => {
        const s = e.currentTarget.value;
        setText(s);
        const n = parse(s);
        onProblem(
          n === null
            ? t(kind === "integer" ? "formRunner.invalidInteger" : "formRunner.invalidDecimal")
            : null,
        );
        onValue(n === null ? undefined : n);
      }}
      onBlur={onBlur}
    />
  );
}

function GeopointField({
  base,
  value,
  onValue,
  onProblem,
  onBlur,
}: {
  base: BaseProps;
  value: Geopoint | undefined;
  onValue: (v: Geopoint | undefined) => void;
  onProblem: (problem: string | null) => void;
  onBlur: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [lat, setLat] = useState(coordinateText(value?.latitude));
  const [lon, setLon] = useState(coordinateText(value?.longitude));
  const [seen, setSeen] = useState(value);
  const [status, setStatus] = useState<"idle" | "locating" | "denied" | "unavailable" | "done">(
    "idle",
  );
  if (value !== seen) {
    setSeen(value);
    const mine = geopointFrom(lat, lon).value;
    if (value && (mine?.latitude !== value.latitude || mine?.longitude !== value.longitude)) {
      setLat(coordinateText(value.latitude));
      setLon(coordinateText(value.longitude));
    } else if (!value && mine) {
      setLat("");
      setLon("");
    }
  }
  const typed = (nextLat: string, nextLon: string) => {
    setLat(nextLat);
    setLon(nextLon);
    const r = geopointFrom(nextLat, nextLon);
    onProblem(r.problem ? t(`formRunner.geoProblem.${r.problem}`) : null);
    onValue(r.value);
  };
  const locate = () => {
    if (!("geolocation" in navigator)) {
      setStatus("unavailable");
      return;
    }
    setStatus("locating");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const point: Geopoint = {
          latitude: Math.round(pos.coords.latitude * 1e6) / 1e6,
          longitude: Math.round(pos.coords.longitude * 1e6) / 1e6,
          ...(Number.isFinite(pos.coords.accuracy)
            ? { accuracy: Math.round(pos.coords.accuracy) }
            : {}),
        };
        setLat(coordinateText(point.latitude));
        setLon(coordinateText(point.longitude));
        onProblem(null);
        onValue(point);
        onBlur();
        setStatus("done");
      },
      (err) => setStatus(err.code === err.PERMISSION_DENIED ? "denied" : "unavailable"),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };
  return (
    <Input.Wrapper
      label={base.label}
      description={base.description}
      error={base.error}
      required={base.required}
      labelElement="div"
      id={id}
    >
      <Stack
        gap="xs"
        mt={6}
        role="group"
        aria-labelledby={`${id}-label`}
        aria-describedby={base.error ? `${id}-error` : undefined}
      >
        <Group gap="sm" wrap="wrap">
          <Button
            variant="light"
            onClick={locate}
            loading={status === "locating"}
            disabled={base.disabled}
          >
            {t("formRunner.geo.useLocation")}
          </Button>
          <Text size="sm" role="status" aria-live="polite">
            {status === "locating"
              ? t("formRunner.geo.locating")
              : status === "denied"
                ? t("formRunner.geo.denied")
                : status === "unavailable"
                  ? t("formRunner.geo.unavailable")
                  : value?.accuracy !== undefined
                    ? t("formRunner.geo.accuracy", { m: value.accuracy })
                    : ""}
          </Text>
        </Group>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label={t("formRunner.geo.latitude")}
            inputMode="decimal"
            dir="ltr"
            value={lat}
            disabled={base.disabled}
            error={base.error ? true : undefined}
            onChange={(e) => typed(e.currentTarget.value, lon)}
            onBlur={onBlur}
          />
          <TextInput
            label={t("formRunner.geo.longitude")}
            inputMode="decimal"
            dir="ltr"
            value={lon}
            disabled={base.disabled}
            error={base.error ? true : undefined}
            onChange={(e) => typed(lat, e.currentTarget.value)}
            onBlur={onBlur}
          />
        </SimpleGrid>
      </Stack>
    </Input.Wrapper>
  );
}

/**
 * A photo question: take or choose a photo, see it, replace or remove it. The photo is
 * checked (type, size) and brought down in size on the device; the answer is its id.
 */
function ImageField({
  base,
  value,
  maxPixels,
  photos,
  onValue,
  onProblem,
}: {
  base: BaseProps;
  value: string | undefined;
  maxPixels: number;
  photos: RunnerPhotos;
  onValue: (v: string | undefined) => void;
  onProblem: (problem: string | null) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const reset = useRef<() => void>(null);
  const [busy, setBusy] = useState(false);
  const url = value ? photos.url(value) : null;

  const pick = async (file: File | null) => {
    if (!file) return;
    setBusy(true);
    try {
      const next = await photos.add(file, maxPixels);
      if (value) photos.remove(value);
      onProblem(null);
      onValue(next);
    } catch (err) {
      onProblem(
        t(
          `formRunner.photo.problem.${err instanceof PhotoRefused ? err.code.replace("form.", "") : "not_kept"}`,
        ),
      );
    } finally {
      setBusy(false);
      // The same file may be picked again after a problem.
      reset.current?.();
    }
  };

  return (
    <Input.Wrapper
      label={base.label}
      description={base.description}
      error={base.error}
      required={base.required}
      labelElement="div"
      id={id}
    >
      <Stack
        gap="xs"
        mt={6}
        role="group"
        aria-labelledby={`${id}-label`}
        aria-describedby={base.error ? `${id}-error` : undefined}
      >
        {value ? (
          url ? (
            <img
              src={url}
              alt={t("formRunner.photo.preview", { label: base.label })}
              data-testid="photo-preview"
              style={{
                display: "block",
                maxWidth: "100%",
                maxHeight: 240,
                objectFit: "contain",
                borderRadius: "var(--mantine-radius-md)",
                border: "1px solid var(--mantine-color-gray-3)",
              }}
            />
          ) : (
            <Text size="sm" data-testid="photo-missing">
              {t("formRunner.photo.missing")}
            </Text>
          )
        ) : null}
        <Group gap="xs" wrap="wrap">
          <FileButton
            onChange={(f) => void pick(f)}
            accept="image/*"
            resetRef={reset}
            disabled={base.disabled || busy}
          >
            {(props) => (
              <Button {...props} variant="light" loading={busy} data-testid="photo-pick">
                {value ? t("formRunner.photo.replace") : t("formRunner.photo.choose")}
              </Button>
            )}
          </FileButton>
          {value ? (
            <Button
              variant="subtle"
              color="red"
              disabled={base.disabled || busy}
              onClick={() => {
                photos.remove(value);
                onProblem(null);
                onValue(undefined);
              }}
            >
              {t("formRunner.photo.remove")}
            </Button>
          ) : null}
        </Group>
        <Text size="xs" c="dimmed">
          {t("formRunner.photo.hint")}
        </Text>
      </Stack>
    </Input.Wrapper>
  );
}
