import { and, eq, isNotNull, sql } from "drizzle-orm";
import { normalizeForSearch } from "@kaveret/contracts";
import { schema, type Db, type FieldCipher } from "@kaveret/db";
import { demoNeedTexts } from "../../classifier/demo-corpus.ts";
import { mulberry32, pick } from "../../classifier/random.ts";
import { smallestContaining } from "../residents/residents.geo.ts";
import * as repo from "./needs.repository.ts";
import { trainDepartmentModel } from "./needs.suggest.ts";
import * as communities from "../communities/communities.repository.ts";

/**
 * The demo department's needs queue: reports in Hebrew, Arabic, Russian, English and
 * Amharic from every channel over the last two months, most triaged and categorised by a
 * person (they train the classifier), some new, a few urgent, some resolved — placed near
 * residents' homes so they fall in the neighbourhoods.
 */
export async function seedDemoNeeds(
  db: Db,
  cipher: FieldCipher,
  options: { departmentName?: string; count?: number } = {},
): Promise<number> {
  const [dept] = await db
    .select({ id: schema.departments.id })
    .from(schema.departments)
    .where(eq(schema.departments.name, options.departmentName ?? "המחלקה לשירותים חברתיים עין הדר"))
    .limit(1);
  if (!dept) return 0;
  const departmentId = dept.id;
  const count = options.count ?? 240;
  const random = mulberry32(20261125);
  const homes = await db
    .select({
      lat: sql<number>`${schema.residents.lat}`,
      lon: sql<number>`${schema.residents.lon}`,
    })
    .from(schema.residents)
    .where(and(eq(schema.residents.departmentId, departmentId), isNotNull(schema.residents.lat)))
    .limit(400);
  const areas = await communities.geographicBoundaries(db, departmentId);
  const staff = await repo.assignableStaff(db, departmentId);
  const workers = staff.filter((s) => s.roles.includes("community_worker"));
  const manager = staff.find((s) => s.roles.includes("manager"));
  await repo.ensureDefaultCategories(db, departmentId);
  const texts = demoNeedTexts({ count, seed: 7 });
  const channels = [
    "web",
    "web",
    "web",
    "widget",
    "phone",
    "phone",
    "face_to_face",
    "sms",
    "whatsapp",
  ] as const;
  const now = Date.now();
  await db.transaction(async (tx) => {
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i]!;
      const ageDays = Math.floor(random() * 60);
      const createdAt = new Date(now - ageDays * 86_400_000 - Math.floor(random() * 86_400_000));
      // Older reports are mostly dealt with; the last few days' are new.
      const roll = random();
      const status =
        ageDays < 3
          ? roll < 0.7
            ? "new"
            : "triaged"
          : roll < 0.15
            ? "triaged"
            : roll < 0.35
              ? "in_progress"
              : roll < 0.75
                ? "resolved"
                : roll < 0.88
                  ? "referred"
                  : "closed";
      const labelled = status !== "new" || random() < 0.2;
      const home = homes.length && random() < 0.8 ? pick(homes, random) : null;
      const point = home
        ? {
            lat: Number(home.lat) + (random() - 0.5) * 0.0008,
            lon: Number(home.lon) + (random() - 0.5) * 0.0008,
          }
        : null;
      const communityId = point ? (smallestContaining(areas, point)?.id ?? null) : null;
      const assignee = status === "new" || !workers.length ? null : pick(workers, random).id;
      const number = await repo.nextNumber(tx, departmentId, "need");
      const id = crypto.randomUUID();
      const channel = pick(channels, random);
      const staffChannel = channel === "phone" || channel === "face_to_face";
      await repo.insertNeed(tx, {
        departmentId,
        id,
        number,
        channel,
        category: labelled ? t.category : null,
        urgency: t.urgency,
        status,
        description: t.text,
        searchText: normalizeForSearch(t.text),
        language: t.language,
        lat: point?.lat ?? null,
        lon: point?.lon ?? null,
        communityId,
        assigneeId: assignee,
        contactEnc:
          random() < 0.3
            ? cipher.encryptJson({
                name: "",
                phone: `+9725${String(20000000 + i * 7919).slice(0, 8)}`,
                email: null,
              })
            : null,
        createdAt,
        updatedAt: createdAt,
        resolvedAt: ["resolved", "referred", "closed"].includes(status) ? createdAt : null,
        createdBy: staffChannel ? (manager?.id ?? null) : null,
      });
      const events: (typeof schema.needEvents.$inferInsert)[] = [
        { departmentId, needId: id, kind: "created", toValue: channel, at: createdAt },
      ];
      if (status !== "new") {
        events.push({
          departmentId,
          needId: id,
          kind: "status",
          actorId: manager?.id ?? null,
          fromValue: "new",
          toValue: status,
          text:
            status === "referred"
              ? "הופנה לגורם המטפל"
              : status === "closed"
                ? "טופל על ידי גורם אחר"
                : null,
          at: new Date(createdAt.getTime() + 3_600_000),
        });
      }
      if (assignee) {
        events.push({
          departmentId,
          needId: id,
          kind: "assigned",
          actorId: manager?.id ?? null,
          toValue: assignee,
          at: new Date(createdAt.getTime() + 3_600_000),
        });
      }
      await repo.insertEvents(tx, events);
    }
  });
  await trainDepartmentModel(db, departmentId);
  return texts.length;
}
