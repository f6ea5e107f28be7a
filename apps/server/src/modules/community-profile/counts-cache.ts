/**
 * A short-lived cache of recounts. Counting a town's residents at a million rows
 * takes about a second; the community page asks for the same figures many times a
 * minute. Values are fresh for `freshMs`; until `staleMs` a stale value is served
 * at once while one recount runs in the background. Per process: each app
 * instance keeps its own (the figures are approximate for at most `freshMs`).
 */
export class CountsCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  private readonly running = new Map<string, Promise<T>>();

  constructor(
    private readonly options: {
      freshMs: number;
      staleMs: number;
      maxEntries: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** The cached value, or a recount (shared by concurrent callers). */
  async get(key: string, recount: () => Promise<T>): Promise<T> {
    if (this.options.freshMs <= 0) return recount();
    const hit = this.entries.get(key);
    const age = hit ? this.now() - hit.at : Infinity;
    if (hit && age < this.options.freshMs) return hit.value;
    if (hit && age < this.options.staleMs) {
      // Serve the stale value; refresh once in the background (a failed refresh keeps it).
      this.refresh(key, recount).catch(() => undefined);
      return hit.value;
    }
    return this.refresh(key, recount);
  }

  /** Forgets every value whose key starts with the prefix (e.g. a department's). */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private refresh(key: string, recount: () => Promise<T>): Promise<T> {
    const pending = this.running.get(key);
    if (pending) return pending;
    const started = this.now();
    const p = recount()
      .then((value) => {
        if (this.entries.size >= this.options.maxEntries) {
          const oldest = this.entries.keys().next().value;
          if (oldest !== undefined) this.entries.delete(oldest);
        }
        this.entries.delete(key);
        this.entries.set(key, { value, at: started });
        return value;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, p);
    return p;
  }
}
