/**
 * Matching a help request with volunteer offers (pure; documented here once).
 *
 * An offer is a candidate when it is active, covers the request's category, and — when
 * both have a place — the request lies within the volunteer's radius. Candidates are
 * scored out of 100:
 *
 * - distance: up to 40 points, falling linearly from 40 at the door to 0 at the edge of
 *   the volunteer's radius (20 when either place is unknown);
 * - language: 30 points when the volunteer speaks one of the request's languages (15 when
 *   the request names none);
 * - skills: up to 20 points, the share of the request's skills the volunteer has
 *   (case-insensitive; 20 when the request asks for none);
 * - load: 10 points for a volunteer holding no request now, 5 for one, 0 for more;
 * - a vehicle adds 5 points for transport and evacuation (capped at 100).
 *
 * Best first; ties by distance, then offer id.
 */

export type MatchRequest = {
  category: string;
  lat: number | null;
  lon: number | null;
  languages: readonly string[];
  skills: readonly string[];
};

export type MatchOffer = {
  id: string;
  active: boolean;
  categories: readonly string[];
  languages: readonly string[];
  skills: readonly string[];
  lat: number | null;
  lon: number | null;
  radiusKm: number;
  hasVehicle: boolean;
  activeClaims: number;
};

export type Match<O extends MatchOffer> = {
  offer: O;
  score: number;
  distanceMeters: number | null;
  languageMatch: boolean;
  skillsMatched: string[];
};

/** Great-circle distance in metres (haversine). */
export function distanceMeters(
  a: { lat: number; lon: number },
  b: { lat: number; lon: number },
): number {
  const R = 6_371_000;
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

const placeOf = (x: { lat: number | null; lon: number | null }) =>
  x.lat !== null && x.lon !== null ? { lat: x.lat, lon: x.lon } : null;

/** Whether the offer may take the request at all (category, radius). */
export function offerCovers(offer: MatchOffer, request: MatchRequest): number | null | false {
  if (!offer.active || !offer.categories.includes(request.category)) return false;
  const from = placeOf(offer);
  const to = placeOf(request);
  if (!from || !to) return null;
  const d = distanceMeters(from, to);
  return d <= offer.radiusKm * 1000 ? d : false;
}

export function matchOffers<O extends MatchOffer>(request: MatchRequest, offers: readonly O[]) {
  const wanted = request.skills.map((s) => s.trim().toLowerCase());
  const out: Match<O>[] = [];
  for (const offer of offers) {
    const d = offerCovers(offer, request);
    if (d === false) continue;
    const distance = d === null ? 20 : 40 * (1 - d / (offer.radiusKm * 1000));
    const languageMatch = request.languages.some((l) => offer.languages.includes(l));
    const language = request.languages.length === 0 ? 15 : languageMatch ? 30 : 0;
    const has = new Set(offer.skills.map((s) => s.trim().toLowerCase()));
    const skillsMatched = wanted.filter((s) => has.has(s));
    const skills = wanted.length === 0 ? 20 : (20 * skillsMatched.length) / wanted.length;
    const load = offer.activeClaims === 0 ? 10 : offer.activeClaims === 1 ? 5 : 0;
    const vehicle =
      offer.hasVehicle && (request.category === "transport" || request.category === "evacuation")
        ? 5
        : 0;
    const score = Math.min(100, Math.round(distance + language + skills + load + vehicle));
    out.push({
      offer,
      score,
      distanceMeters: d === null ? null : Math.round(d),
      languageMatch,
      skillsMatched,
    });
  }
  return out.sort(
    (a, b) =>
      b.score - a.score ||
      (a.distanceMeters ?? Infinity) - (b.distanceMeters ?? Infinity) ||
      (a.offer.id < b.offer.id ? -1 : 1),
  );
}
