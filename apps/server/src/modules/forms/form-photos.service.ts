import { createHash } from "node:crypto";
import type { FormPhotoReceipt } from "@kaveret/contracts";
import type { Db, DbOrTx, FieldCipher } from "@kaveret/db";
import type { RequestContext } from "../../lib/context.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { auditFor, recordAudit, recordRead, type AuditEntry } from "../audit/audit.service.ts";
import { preparePhoto, type PhotoErrorCodes } from "../needs/needs.service.ts";
import * as repo from "./form-photos.repository.ts";
import { assertReadsResponses, loadForm } from "./forms.service.ts";
import { findOpenForm } from "./forms.repository.ts";
import { makeThumbnail } from "./form-photos.thumbs.ts";

/*
 * Photos answering a form's photo questions. Uploaded before the answer that names them
 * (staff typing in, the public link, a device syncing door-to-door answers): the same
 * checks as a need's photos (type from the bytes, ≤ 5 MB, EXIF/XMP and text chunks
 * removed, encrypted at rest). The id is made on the device, so an upload retried after
 * a lost answer is the same photo, and a different file under a taken id is refused.
 * The answer takes its photos in its own transaction (form-photos.answers.ts): an answer never
 * names a photo the server lacks, and a photo nobody's answer took is deleted by the
 * retention job after FORM_PHOTO_LIMITS.orphanDays.
 */

const ERRORS: PhotoErrorCodes = { tooLarge: "form.photo_too_large", type: "form.photo_type" };

/**
 * A public form stops taking photos while this many uploaded through its link in the last
 * day are still in no answer (each answer takes its photos at once, so only abandoned or
 * abusive uploads count): bounds what strangers can store before the orphans are removed.
 */
export const PUBLIC_UNANSWERED_PHOTOS_PER_DAY = 200;

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("base64url");

const receipt = (row: repo.PhotoRow): FormPhotoReceipt => ({
  id: row.id,
  contentType: row.contentType as FormPhotoReceipt["contentType"],
  bytes: row.bytes,
  width: row.width,
  height: row.height,
});

type Target = { departmentId: string; formId: string; status: string };

/** The stored photo when this id was already uploaded with the same file (a retry). */
async function replay(db: DbOrTx, t: Target, photoId: string, hash: string) {
  const existing = await repo.findPhoto(db, t.departmentId, photoId);
  if (!existing) return null;
  if (existing.formId !== t.formId || existing.sha256 !== hash) {
    throw new AppError("conflict", 409, "This photo id is taken by another photo");
  }
  return receipt(existing);
}

async function store(
  db: Db,
  cipher: FieldCipher,
  t: Target,
  photoId: string,
  data: Buffer,
  who: { source: "staff" | "public"; createdBy: string | null; audit: AuditEntry },
): Promise<FormPhotoReceipt> {
  const hash = sha256(data);
  const again = await replay(db, t, photoId, hash);
  if (again) return again;
  if (t.status !== "open") {
    throw new AppError("form.not_open", 409, "This form is not open for answers");
  }
  const photo = preparePhoto(cipher, data, ERRORS);
  // From the bytes as sent: the thumbnail is re-encoded and carries no metadata either.
  const thumb = await makeThumbnail(data);
  const inserted = await db.transaction(async (tx) => {
    const ok = await repo.insertPhoto(tx, {
      departmentId: t.departmentId,
      id: photoId,
      formId: t.formId,
      ...photo,
      thumbEnc: thumb ? cipher.encrypt(thumb.toString("base64")) : null,
      sha256: hash,
      source: who.source,
      createdBy: who.createdBy,
    });
    if (ok) await recordAudit(tx, who.audit);
    return ok;
  });
  if (!inserted) {
    // Two uploads of the same photo at once: the other one stored it.
    const raced = await replay(db, t, photoId, hash);
    if (raced) return raced;
  }
  return receipt({ id: photoId, formId: t.formId, responseId: null, sha256: hash, ...photo });
}

/** Staff (typing in an answer, or a device syncing): a photo for an answer to come. */
export async function uploadPhoto(
  ctx: RequestContext,
  formId: string,
  photoId: string,
  data: Buffer,
): Promise<FormPhotoReceipt> {
  const { row, departmentId } = await loadForm(ctx, formId);
  return store(ctx.db, ctx.cipher, { departmentId, formId, status: row.status }, photoId, data, {
    source: "staff",
    createdBy: ctx.actor.userId,
    audit: auditFor(ctx, {
      action: "form.photo",
      entityType: "form",
      entityId: formId,
      details: { photoId },
    }),
  });
}

/** Someone answering by the public link: a photo for the answer they are about to send. */
export async function uploadPublicPhoto(
  db: Db,
  cipher: FieldCipher,
  formId: string,
  photoId: string,
  data: Buffer,
): Promise<FormPhotoReceipt> {
  const row = await findOpenForm(db, formId);
  if (!row) throw new AppError("form.not_open", 404, "This survey is not open");
  const target = { departmentId: row.departmentId, formId, status: row.status };
  const again = await replay(db, target, photoId, sha256(data));
  if (again) return again;
  if (row.status !== "open") throw new AppError("form.not_open", 404, "This survey is not open");
  const waiting = await repo.recentPublicOrphans(
    db,
    row.departmentId,
    formId,
    new Date(Date.now() - 24 * 3600 * 1000),
  );
  if (waiting.count >= PUBLIC_UNANSWERED_PHOTOS_PER_DAY) {
    throw new AppError("rate_limited", 429, "Too many photos are waiting for answers; try later");
  }
  return store(db, cipher, target, photoId, data, {
    source: "public",
    createdBy: null,
    audit: {
      departmentId: row.departmentId,
      actorUserId: null,
      actorRole: "public",
      requestId: null,
      action: "form.photo",
      entityType: "form",
      entityId: formId,
      details: { photoId },
    },
  });
}

/**
 * A photo of an answer, or its thumbnail (`thumb`), for those who may read the answers
 * (audited as the answers are). The etag names the photo's content (an id is never given
 * to another file), so a page shown again revalidates instead of downloading.
 */
export async function readPhoto(
  ctx: RequestContext,
  formId: string,
  photoId: string,
  o: { thumb?: boolean } = {},
): Promise<{ contentType: string; etag: string; data: () => Promise<Buffer> }> {
  const { row, departmentId } = await loadForm(ctx, formId);
  await assertReadsResponses(ctx, row);
  const photo = await repo.answeredPhotoData(ctx.db, departmentId, formId, photoId, o);
  if (!photo) throw notFound("photo");
  if (!row.anonymous) {
    await recordRead(ctx, {
      entityType: "form_response",
      entityIds: [photo.responseId],
      fields: ["photo"],
    });
  }
  const decode = (enc: string) => Buffer.from(ctx.cipher.decrypt(enc), "base64");
  if (!o.thumb) {
    return {
      contentType: photo.contentType,
      etag: `"${photo.sha256}"`,
      data: async () => decode(photo.dataEnc!),
    };
  }
  const stored = photo.dataEnc;
  if (stored) {
    return {
      contentType: "image/jpeg",
      etag: `"${photo.sha256}.thumb"`,
      data: async () => decode(stored),
    };
  }
  // A photo stored before thumbnails: its thumbnail is made now, once, and kept.
  const full = await repo.answeredPhotoData(ctx.db, departmentId, formId, photoId);
  if (!full?.dataEnc) throw notFound("photo");
  const original = decode(full.dataEnc);
  const thumb = await makeThumbnail(original);
  if (!thumb) {
    // Nothing libvips can decode: the photo itself stands in (the same bytes, its own tag).
    return {
      contentType: photo.contentType,
      etag: `"${photo.sha256}"`,
      data: async () => original,
    };
  }
  await repo.saveThumbnail(
    ctx.db,
    departmentId,
    photoId,
    ctx.cipher.encrypt(thumb.toString("base64")),
  );
  return { contentType: "image/jpeg", etag: `"${photo.sha256}.thumb"`, data: async () => thumb };
}
