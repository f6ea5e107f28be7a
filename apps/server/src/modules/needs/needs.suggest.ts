import type { DbOrTx } from "@kaveret/db";
import type { Config } from "../../config/env.ts";
import type { EventBus, Unsubscribe } from "../../events/bus.ts";
import {
  parseModel,
  suggestCategory,
  trainClassifier,
  type NeedClassifierModel as Model,
} from "../../classifier/classifier.ts";
import { suggestUrgency } from "../../classifier/urgency.ts";
import { createLlmSuggester } from "../../classifier/llm-adapter.ts";
import * as repo from "./needs.repository.ts";

/**
 * Category and urgency suggestions for a new need: the department's own classifier
 * (trained on its labelled needs), kept in memory per department and reloaded when it is
 * retrained. A suggestion is stored with the need and shown to a person, who confirms;
 * nothing is routed by it.
 */

const MODEL_CACHE_MS = 60_000;
const cache = new Map<string, { model: Model | null; trainedAt: string | null; at: number }>();

async function modelOf(db: DbOrTx, departmentId: string): Promise<Model | null> {
  const hit = cache.get(departmentId);
  if (hit && Date.now() - hit.at < MODEL_CACHE_MS) return hit.model;
  const row = await repo.findModel(db, departmentId);
  const model = row ? parseModel(row.model) : null;
  cache.set(departmentId, {
    model,
    trainedAt: row?.trainedAt.toISOString() ?? null,
    at: Date.now(),
  });
  return model;
}

export function forgetModel(departmentId: string) {
  cache.delete(departmentId);
}

declare module "../../events/bus.ts" {
  interface EventTopics {
    /** A department's classifier was retrained: every instance drops its cached model. */
    need_models: { departmentId: string };
  }
}

/** Drops a department's cached model on every instance when it is retrained on any. */
export function forgetRetrainedModels(events: EventBus): Unsubscribe {
  return events.subscribe("need_models", ({ departmentId }) => forgetModel(departmentId));
}

/** The stored form of a suggestion (needs.suggestion). */
export async function suggestFor(
  db: DbOrTx,
  config: Config,
  departmentId: string,
  text: string,
): Promise<Record<string, unknown>> {
  const model = await modelOf(db, departmentId);
  const urgency = suggestUrgency(text);
  const base = {
    urgency: urgency.urgency,
    urgencyDrivers: urgency.drivers.map((d) => d.text),
  };
  const none = { ...base, source: "none", category: null, confidence: null, drivers: [] };
  const s = model ? suggestCategory(model, text, { top: 3 }) : null;
  const top = s?.enoughData ? s.suggestions[0] : undefined;
  // Unsure or untrained: a configured OpenAI-compatible model may give a second opinion.
  if ((!top || top.confidence < 0.5) && config.NEEDS_LLM_URL) {
    const llm = await llmOpinion(db, config, departmentId, text);
    if (llm) return { ...base, ...llm };
  }
  if (!top || !s) return none;
  return {
    ...base,
    source: "model",
    category: top.category,
    confidence: Math.round(top.confidence * 100) / 100,
    drivers: s.drivers.filter((d) => d.category === top.category).map((d) => d.word),
  };
}

async function llmOpinion(db: DbOrTx, config: Config, departmentId: string, text: string) {
  const categories = (await repo.categories(db, departmentId))
    .filter((c) => c.active)
    .map((c) => ({ code: c.code, label: c.labels.en || c.labels.he || c.code }));
  const suggester = createLlmSuggester({
    baseUrl: config.NEEDS_LLM_URL!,
    apiKey: config.NEEDS_LLM_API_KEY,
    model: config.NEEDS_LLM_MODEL,
    timeoutMs: 4000,
  });
  const answer = await suggester.suggest(text, categories);
  if (!answer) return null;
  return {
    source: "llm",
    category: answer.category,
    confidence: answer.confidence,
    // The model's reason stands in for driving words (it has no per-word weights).
    drivers: [],
    rationale: answer.rationale,
  };
}

/** Trains on the department's labelled needs, holding out a fifth to measure accuracy per language. */
export async function trainDepartmentModel(db: DbOrTx, departmentId: string, events?: EventBus) {
  const examples = await repo.labelledNeeds(db, departmentId, 20_000);
  const evaluation = evaluate(examples);
  const model = trainClassifier(examples.map((e) => ({ text: e.text, category: e.category })));
  await repo.saveModel(db, {
    departmentId,
    model: model as unknown as Record<string, unknown>,
    evaluation,
    examples: examples.length,
  });
  forgetModel(departmentId);
  // The other instances too (the cache would keep the old model up to MODEL_CACHE_MS).
  await events?.publish("need_models", { departmentId }).catch(() => undefined);
  return { examples: examples.length, evaluation };
}

type Evaluation = {
  accuracy: number | null;
  perLanguage: Record<string, { examples: number; accuracy: number | null }>;
};

/** Held-out accuracy: every fifth example (by position) is kept out of training. */
export function evaluate(
  examples: { text: string; category: string; language: string }[],
): Evaluation {
  const train = examples.filter((_, i) => i % 5 !== 0);
  const test = examples.filter((_, i) => i % 5 === 0);
  const perLanguage: Evaluation["perLanguage"] = {};
  for (const e of examples) {
    perLanguage[e.language] ??= { examples: 0, accuracy: null };
    perLanguage[e.language]!.examples += 1;
  }
  if (train.length < 20 || test.length === 0) return { accuracy: null, perLanguage };
  const model = trainClassifier(train.map((e) => ({ text: e.text, category: e.category })));
  const hits: Record<string, { n: number; ok: number }> = {};
  let ok = 0;
  for (const e of test) {
    const top = suggestCategory(model, e.text, { top: 1 }).suggestions[0];
    const right = top?.category === e.category;
    if (right) ok += 1;
    hits[e.language] ??= { n: 0, ok: 0 };
    hits[e.language]!.n += 1;
    if (right) hits[e.language]!.ok += 1;
  }
  for (const [lang, h] of Object.entries(hits)) {
    perLanguage[lang]!.accuracy = Math.round((h.ok / h.n) * 1000) / 1000;
  }
  return { accuracy: Math.round((ok / test.length) * 1000) / 1000, perLanguage };
}
