import type { GeoJsonGeometry } from "@kaveret/db";
import { smallestContaining } from "../residents/residents.geo.ts";
import { foldWord } from "./mapping.ts";

/**
 * What a row's names are matched against, loaded once per validation: the
 * department's communities (by name in any language, by statistical-area code,
 * with their ancestor chains for permission checks) and the chosen town's streets.
 */

export type CommunityInfo = {
  id: string;
  parentId: string | null;
  name: string;
  altNames: Record<string, string>;
  kind: string;
  level: string | null;
  statAreaCode: string | null;
  boundary: GeoJsonGeometry | null;
};

export type Found = { id: string } | "ambiguous" | null;

function addTo(map: Map<string, Set<string>>, key: string, id: string) {
  if (!key) return;
  const set = map.get(key) ?? new Set<string>();
  set.add(id);
  map.set(key, set);
}

function pick(set: Set<string> | undefined): Found {
  if (!set || set.size === 0) return null;
  if (set.size > 1) return "ambiguous";
  return { id: [...set][0]! };
}

/** A statistical-area code compared without leading zeros ("0012" is "12"). */
const codeKey = (code: string) => code.trim().replace(/^0+(?=\d)/, "");

export class CommunityIndex {
  private readonly byId = new Map<string, CommunityInfo>();
  private readonly names = new Map<string, Set<string>>();
  private readonly codes = new Map<string, Set<string>>();
  private readonly chains = new Map<string, string[]>();

  constructor(private readonly rows: CommunityInfo[]) {
    for (const c of rows) {
      this.byId.set(c.id, c);
      addTo(this.names, foldWord(c.name), c.id);
      for (const alt of Object.values(c.altNames)) addTo(this.names, foldWord(alt), c.id);
      if (c.statAreaCode) addTo(this.codes, codeKey(c.statAreaCode), c.id);
    }
  }

  get(id: string): CommunityInfo | undefined {
    return this.byId.get(id);
  }

  byName(name: string): Found {
    return pick(this.names.get(foldWord(name)));
  }

  byCode(code: string): Found {
    return pick(this.codes.get(codeKey(code)));
  }

  /** The community and its ancestors, nearest first. */
  chain(id: string): string[] {
    const cached = this.chains.get(id);
    if (cached) return cached;
    const out: string[] = [];
    let cur: string | null = id;
    while (cur && out.length < 32 && !out.includes(cur)) {
      out.push(cur);
      cur = this.byId.get(cur)?.parentId ?? null;
    }
    this.chains.set(id, out);
    return out;
  }

  towns(): CommunityInfo[] {
    return this.rows.filter((c) => c.kind === "geographic" && c.level === "town");
  }

  /** The smallest geographic community whose boundary holds the point. */
  containing(point: { lat: number; lon: number }): string | null {
    return smallestContaining(this.rows, point)?.id ?? null;
  }
}

export type StreetInfo = { id: string; name: string; altNames: Record<string, string> };

const STREET_PREFIXES = /^(רחוב|רח'|רח׳|רח|street|شارع)\s+/iu;
const STREET_SUFFIXES = /\s+(st\.?|street|rd\.?|road|ave\.?|avenue)$/iu;
const bare = (name: string) =>
  name.trim().replace(STREET_PREFIXES, "").replace(STREET_SUFFIXES, "");

export class StreetIndex {
  private readonly names = new Map<string, Set<string>>();

  constructor(rows: StreetInfo[]) {
    // "רחוב הגפן" is found as "הגפן" too, "HaGefen St." as "HaGefen".
    for (const s of rows) {
      for (const name of [s.name, ...Object.values(s.altNames)]) {
        addTo(this.names, foldWord(name), s.id);
        addTo(this.names, foldWord(bare(name)), s.id);
      }
    }
  }

  private lookup(text: string): Found {
    return pick(this.names.get(foldWord(text))) ?? pick(this.names.get(foldWord(bare(text))));
  }

  /**
   * A street by name ("הרצל", "רחוב הרצל", "شارع هرتسل"); when the cell also holds
   * the house number ("הרצל 12", "הרצל 12/3"), that comes back too.
   */
  find(text: string): { id: string; houseNumber: string | null } | "ambiguous" | null {
    const whole = this.lookup(text);
    if (whole) return whole === "ambiguous" ? whole : { id: whole.id, houseNumber: null };
    const m = /^(.*?)[\s,]+(\d{1,4}[א-תa-z]?(?:\/\d{1,4})?)$/iu.exec(text.trim());
    if (!m) return null;
    const street = this.lookup(m[1]!);
    if (!street || street === "ambiguous") return street;
    return { id: street.id, houseNumber: m[2]! };
  }
}
