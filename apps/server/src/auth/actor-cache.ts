import type { Actor } from "../policy/actor.ts";

/**
 * A very short-lived cache of actors by session token and scope. Every API
 * request needs its actor; under load most requests come from sessions seen
 * a moment ago. Changes made through this instance (roles, deactivation,
 * sign-in steps, sign-out) clear the affected entries at once; on other
 * instances they take effect within the TTL (ACTOR_CACHE_MS, default 2 s).
 */
export class ActorCache {
  private readonly entries = new Map<string, { actor: Actor | null; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string): Actor | null | undefined {
    if (this.ttlMs <= 0) return undefined;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.actor;
  }

  set(key: string, actor: Actor | null): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Drop the oldest entry (Map keeps insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { actor, expires: Date.now() + this.ttlMs });
  }

  /** Forget every cached actor of this user (roles or status changed). */
  invalidateUser(userId: string): void {
    for (const [key, value] of this.entries) {
      if (value.actor?.userId === userId) this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
