/**
 * Splitting a call list among callers (pure; emergency.service runs it, split.test.ts and
 * the integration tests check it). The rule:
 *
 * 1. Calls are grouped by building (street + house number; a call without an address is
 *    its own group) and buildings by street. Streets are taken in the order of their most
 *    urgent call, buildings within a street likewise, so the riskiest calls are handed
 *    out first when callers are few.
 * 2. A caller may take a call when they share a language with the resident (a resident
 *    with no language recorded is taken to speak Hebrew) and — for a volunteer — when the
 *    resident consented to emergency contact (otherwise only staff call them).
 * 3. A building goes to one caller when one can take all its calls; otherwise its calls
 *    are placed one by one (e.g. one neighbour speaks only Amharic).
 * 4. Among those who may take it, the choice is: a caller already holding this building,
 *    then one already holding this street, then the least loaded; a caller at their
 *    limit (`maxCalls`, default an even share of the list) is passed over while another
 *    can take it, so loads stay even but streets stay together.
 * 5. Calls nobody may take stay unassigned (and are reported).
 */

export type SplitCall = {
  id: string;
  rank: number;
  streetId: string | null;
  houseNumber: string | null;
  languages: readonly string[];
  consented: boolean;
};

export type SplitCaller = {
  userId: string;
  languages: readonly string[];
  /** Staff may call anyone; volunteers only residents who consented. */
  staff: boolean;
  maxCalls?: number;
  /** Calls they already hold (kept when not reassigning everything). */
  load?: number;
};

export type SplitResult = {
  assignments: Map<string, string>;
  unassigned: string[];
  perCaller: Map<string, { calls: number; streets: Set<string>; buildings: Set<string> }>;
};

const buildingKey = (c: SplitCall) =>
  c.streetId ? `${c.streetId}|${(c.houseNumber ?? "").trim().toLowerCase()}` : `call:${c.id}`;
const streetKey = (c: SplitCall) => c.streetId ?? `call:${c.id}`;

export function canTake(caller: SplitCaller, call: SplitCall): boolean {
  if (!caller.staff && !call.consented) return false;
  const speaks = call.languages.length ? call.languages : ["he"];
  return speaks.some((l) => caller.languages.includes(l));
}

export function splitCalls(
  calls: readonly SplitCall[],
  callers: readonly SplitCaller[],
): SplitResult {
  const perCaller = new Map(
    callers.map((c) => [
      c.userId,
      { calls: 0, streets: new Set<string>(), buildings: new Set<string>() },
    ]),
  );
  const assignments = new Map<string, string>();
  const unassigned: string[] = [];
  if (callers.length === 0) return { assignments, unassigned: calls.map((c) => c.id), perCaller };

  const existing = callers.reduce((s, c) => s + (c.load ?? 0), 0);
  const share = Math.max(1, Math.ceil((calls.length + existing) / callers.length));
  const load = new Map(callers.map((c) => [c.userId, c.load ?? 0]));
  const limit = (c: SplitCaller) => c.maxCalls ?? share;

  // Streets, then buildings, in the order of their most urgent call.
  const streets = new Map<string, Map<string, SplitCall[]>>();
  for (const call of [...calls].sort((a, b) => a.rank - b.rank)) {
    const s = streetKey(call);
    const b = buildingKey(call);
    if (!streets.has(s)) streets.set(s, new Map());
    const buildings = streets.get(s)!;
    if (!buildings.has(b)) buildings.set(b, []);
    buildings.get(b)!.push(call);
  }

  const choose = (candidates: SplitCaller[], street: string, building: string, size: number) => {
    const fits = candidates.filter((c) => load.get(c.userId)! + size <= limit(c));
    const pool = fits.length ? fits : candidates;
    return [...pool].sort((a, b) => {
      const pa = perCaller.get(a.userId)!;
      const pb = perCaller.get(b.userId)!;
      const ha = pa.buildings.has(building) ? 1 : 0;
      const hb = pb.buildings.has(building) ? 1 : 0;
      if (ha !== hb) return hb - ha;
      const sa = pa.streets.has(street) ? 1 : 0;
      const sb = pb.streets.has(street) ? 1 : 0;
      if (sa !== sb) return sb - sa;
      return load.get(a.userId)! - load.get(b.userId)!;
    })[0];
  };
  const give = (caller: SplitCaller, call: SplitCall, street: string, building: string) => {
    assignments.set(call.id, caller.userId);
    load.set(caller.userId, load.get(caller.userId)! + 1);
    const p = perCaller.get(caller.userId)!;
    p.calls += 1;
    // Only real streets and buildings count (a call with no address is its own group).
    if (call.streetId) {
      p.streets.add(street);
      p.buildings.add(building);
    }
  };

  for (const [street, buildings] of streets) {
    for (const [building, group] of buildings) {
      const whole = callers.filter((c) => group.every((call) => canTake(c, call)));
      const one = whole.length ? choose(whole, street, building, group.length) : undefined;
      if (one) {
        for (const call of group) give(one, call, street, building);
        continue;
      }
      for (const call of group) {
        const who = choose(
          callers.filter((c) => canTake(c, call)),
          street,
          building,
          1,
        );
        if (who) give(who, call, street, building);
        else unassigned.push(call.id);
      }
    }
  }
  return { assignments, unassigned, perCaller };
}
