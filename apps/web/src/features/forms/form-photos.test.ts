import { describe, expect, it } from "vitest";
import { FORM_PHOTO_LIMITS } from "@kaveret/contracts";
import { PHOTO_MAX_BYTES, PHOTO_TYPES } from "../public-report/photo-files.ts";
import { ApiError } from "../../api/client.ts";
import {
  DEFAULT_MAX_PIXELS,
  PhotoRefused,
  maxPixelsOf,
  photoIssue,
  photoProblem,
  preparePickedPhoto,
  sniffPhotoType,
  uploadAnswerPhotos,
} from "./form-photos.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const JPEG = [0xff, 0xd8, 0xff, 0xe0, 0, 0x10];
const A = "0b7f5c2e-8a41-4f7e-9d3a-5e2b1c4d6f80";
const B = "1c8e6d3f-9b52-4a8f-8e4b-6f3c2d5e7a91";

describe("photo checks on the device (the server's, ahead of it)", () => {
  it("uses the server's limits", () => {
    expect(PHOTO_TYPES).toEqual(FORM_PHOTO_LIMITS.types);
    expect(PHOTO_MAX_BYTES).toBe(FORM_PHOTO_LIMITS.bytes);
  });

  it("tells the type by the file's bytes, not its name or claimed type", () => {
    expect(sniffPhotoType(bytes(...JPEG))).toBe("image/jpeg");
    expect(sniffPhotoType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe("image/png");
    const webp = new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 ");
    expect(sniffPhotoType(webp)).toBe("image/webp");
    expect(sniffPhotoType(new TextEncoder().encode("GIF89a......"))).toBeNull();
  });

  it("refuses what the server would: too large, not an image, empty", async () => {
    expect(await photoProblem(new Blob([bytes(...JPEG)], { type: "image/jpeg" }))).toBeNull();
    const big = new Blob([bytes(...JPEG), new Uint8Array(5 * 1024 * 1024)], { type: "image/jpeg" });
    expect(await photoProblem(big)).toBe("form.photo_too_large");
    const exe = new Blob([new TextEncoder().encode("MZ pretending")], { type: "image/jpeg" });
    expect(await photoProblem(exe)).toBe("form.photo_type");
    expect(await photoProblem(new Blob([]))).toBe("form.photo_type");
    await expect(preparePickedPhoto(exe, 1024)).rejects.toMatchObject({ code: "form.photo_type" });
  });

  it("reads XLSForm max-pixels, within reason", () => {
    expect(maxPixelsOf({ "max-pixels": "1024" })).toBe(1024);
    expect(maxPixelsOf({ "max-pixels": "12" })).toBe(DEFAULT_MAX_PIXELS);
    expect(maxPixelsOf(undefined)).toBe(DEFAULT_MAX_PIXELS);
  });
});

describe("uploading an answer's photos before the answer", () => {
  const blob = new Blob([bytes(...JPEG)], { type: "image/jpeg" });

  it("uploads each photo once, in order", async () => {
    const sent: string[] = [];
    const n = await uploadAnswerPhotos(
      [
        { path: ["a"], id: A },
        { path: ["r", 0, "p"], id: B },
        { path: ["c"], id: A },
      ],
      () => blob,
      async (id) => {
        sent.push(id);
      },
    );
    expect(sent).toEqual([A, B]);
    expect(n).toBe(2);
  });

  it("a refused photo stops the send at its question; other failures pass as they came", async () => {
    const refuse = async (id: string) => {
      if (id === B) throw new ApiError(413, "form.photo_too_large", "too large");
    };
    const err = await uploadAnswerPhotos(
      [
        { path: ["a"], id: A },
        { path: ["rooms", 1, "p"], id: B },
      ],
      () => blob,
      refuse,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PhotoRefused);
    expect(photoIssue(err as PhotoRefused)).toEqual({
      path: ["rooms", 1, "p"],
      code: "photo_too_large",
      message: "",
    });
    const offline = new ApiError(0, "network_error", "Network error");
    await expect(
      uploadAnswerPhotos(
        [{ path: ["a"], id: A }],
        () => blob,
        () => Promise.reject(offline),
      ),
    ).rejects.toBe(offline);
  });

  it("a photo the device no longer holds is left for the server to name", async () => {
    const sent: string[] = [];
    await uploadAnswerPhotos(
      [{ path: ["a"], id: A }],
      () => undefined,
      async (id) => {
        sent.push(id);
      },
    );
    expect(sent).toEqual([]);
  });
});
