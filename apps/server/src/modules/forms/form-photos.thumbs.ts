import sharp from "sharp";
import { FORM_PHOTO_LIMITS } from "@kaveret/contracts";

/*
 * The small version of a survey photo that the responses and analysis pages show (64–88
 * CSS pixels, so 320 on the longest side is sharp on a 2× screen): a JPEG a few KB large
 * instead of the photo's megabytes. Made once — when the photo is uploaded, or at its first
 * read for photos stored before thumbnails existed — and kept, encrypted like the photo.
 */

/**
 * Photos are at most 5 MB, but a PNG that small can still say 30000 × 30000 pixels (a
 * decompression bomb): larger than this, no thumbnail is made (the page shows the photo).
 */
const MAX_INPUT_PIXELS = 40_000_000;

/** Libvips' own cache would keep decoded images around between unrelated requests. */
sharp.cache(false);

/**
 * A JPEG of at most FORM_PHOTO_LIMITS.thumbPixels on its longest side (never enlarged;
 * transparency on white), without any metadata; null when the image cannot be decoded.
 */
export async function makeThumbnail(image: Buffer): Promise<Buffer | null> {
  try {
    return await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
      .resize({
        width: FORM_PHOTO_LIMITS.thumbPixels,
        height: FORM_PHOTO_LIMITS.thumbPixels,
        fit: "inside",
        withoutEnlargement: true,
      })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 72 })
      .toBuffer();
  } catch {
    // Not decodable by libvips (or too many pixels): the photo itself stands in.
    return null;
  }
}
