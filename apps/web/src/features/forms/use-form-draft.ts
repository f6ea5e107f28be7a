import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Form } from "@kaveret/contracts";
import type { FormDefinition } from "@kaveret/forms";
import { readDefinition } from "./form-definition.ts";
import { formQuery, updateForm } from "./forms.api.ts";

/** What the builder edits: the form's title, privacy and definition. */
export interface FormDraft {
  title: string;
  anonymous: boolean;
  definition: FormDefinition;
}

export interface FormDraftController {
  draft: FormDraft | null;
  /** Changed since the last save. */
  dirty: boolean;
  /** Question names still made from their labels (new questions, until renamed by hand). */
  autoNames: ReadonlySet<string>;
  change: (fn: (d: FormDraft) => FormDraft, autoNames?: (names: Set<string>) => void) => void;
  discard: () => void;
  saving: boolean;
  /** Saves with the version the draft started from; rejects with the server's ApiError. */
  save: () => Promise<Form | null>;
}

const fromForm = (form: Form): FormDraft | null => {
  const definition = readDefinition(form.definition);
  return definition ? { title: form.title, anonymous: form.anonymous, definition } : null;
};

const sameContent = (a: Form, b: Form) =>
  a.title === b.title &&
  a.anonymous === b.anonymous &&
  JSON.stringify(a.definition) === JSON.stringify(b.definition);

/**
 * The builder's working copy of a form, kept on the form page so switching tabs loses
 * nothing. When the server's form changes underneath (published, closed) and only its
 * status moved, the draft keeps its edits and takes the new version; when its content
 * changed (someone else saved), the old version stays and saving says version_conflict.
 */
export function useFormDraft(form: Form): FormDraftController {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<FormDraft | null>(() => fromForm(form));
  const [dirty, setDirty] = useState(false);
  const [version, setVersion] = useState(form.version);
  const [seen, setSeen] = useState(form);
  const [autoNames, setAutoNames] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const draftRef = useRef(draft);
  useEffect(() => {
    draftRef.current = draft;
  }, [draft]);

  if (form !== seen) {
    setSeen(form);
    if (!dirty) {
      setDraft(fromForm(form));
      setVersion(form.version);
    } else if (sameContent(form, seen)) {
      setVersion(form.version);
    }
  }

  const change = useCallback(
    (fn: (d: FormDraft) => FormDraft, names?: (names: Set<string>) => void) => {
      setDraft((d) => (d ? fn(d) : d));
      setDirty(true);
      if (names) {
        setAutoNames((prev) => {
          const next = new Set(prev);
          names(next);
          return next;
        });
      }
    },
    [],
  );

  const discard = useCallback(() => {
    setDraft(fromForm(form));
    setVersion(form.version);
    setDirty(false);
    setAutoNames(new Set());
  }, [form]);

  const save = useCallback(async () => {
    const sent = draftRef.current;
    if (!sent) return null;
    setSaving(true);
    try {
      // The questions go only when they changed: a form with answers may still be renamed.
      const before = fromForm(form)?.definition;
      const changed = JSON.stringify(before) !== JSON.stringify(sent.definition);
      const title = sent.title.trim();
      const saved = await updateForm(form.id, {
        version,
        title,
        anonymous: sent.anonymous,
        ...(changed
          ? {
              definition: {
                ...sent.definition,
                settings: {
                  ...sent.definition.settings,
                  title: title || sent.definition.settings.title,
                },
              } as unknown as Record<string, unknown>,
            }
          : {}),
      });
      // Edits made while saving stay unsaved.
      if (draftRef.current === sent) setDirty(false);
      setVersion(saved.version);
      queryClient.setQueryData(formQuery(form.id).queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: ["forms", "list"] });
      return saved;
    } finally {
      setSaving(false);
    }
  }, [form, version, queryClient]);

  return { draft, dirty, autoNames, change, discard, saving, save };
}
