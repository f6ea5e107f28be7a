import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";

export type PushMessage = {
  endpoint: string;
  p256dh: string;
  auth: string;
  /** The JSON the service worker receives (≤ 3 KB: push services refuse ~4 KB). */
  payload: string;
  /** The VAPID header for the endpoint's origin (VapidCache). */
  authorization: string;
  /** Seconds the push service keeps it for an offline device. */
  ttl: number;
  urgency: "normal" | "high";
};

/** The push service's answer: 201 sent; 404/410 the subscription is gone; 0 no answer. */
export type PushResult = { status: number; error: string | null };

/**
 * Worker threads that encrypt and send Web Push messages (encryption is a fresh ECDH per
 * message, CPU-bound). A batch is split across the workers; each answers per message.
 */
export class PushPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (results: PushResult[]) => void>();
  private next = 1;
  private closed = false;

  constructor(size = Math.max(1, Math.min(4, availableParallelism()))) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL("./push.worker.ts", import.meta.url));
      worker.on("message", (m: { id: number; results: PushResult[] }) => {
        const done = this.pending.get(m.id);
        this.pending.delete(m.id);
        done?.(m.results);
      });
      worker.on("error", () => undefined);
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Sends every message; results in the same order. */
  async send(messages: PushMessage[]): Promise<PushResult[]> {
    if (this.closed) throw new Error("push pool closed");
    if (messages.length === 0) return [];
    const per = Math.ceil(messages.length / this.workers.length);
    const parts: Promise<PushResult[]>[] = [];
    for (let w = 0; w * per < messages.length; w++) {
      const slice = messages.slice(w * per, (w + 1) * per);
      const id = this.next++;
      parts.push(
        new Promise((resolve) => {
          this.pending.set(id, resolve);
          this.workers[w]!.postMessage({ id, messages: slice });
        }),
      );
    }
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [, done] of this.pending) done([]);
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
