import { describe, expect, it } from "vitest";
import { FORM_SCHEMA_VERSION, type FormDefinition } from "./model.ts";
import { isPhotoId, photoAnswers } from "./photos.ts";

const form: FormDefinition = {
  schemaVersion: FORM_SCHEMA_VERSION,
  settings: { title: "t", id: "t", defaultLanguage: "he", languages: ["he"] },
  questions: [
    { type: "image", name: "front" },
    {
      type: "group",
      name: "g",
      children: [{ type: "image", name: "yard" }],
    },
    {
      type: "repeat",
      name: "rooms",
      children: [
        { type: "text", name: "room" },
        { type: "image", name: "room_photo" },
      ],
    },
    { type: "text", name: "note" },
  ],
  choiceLists: [],
};

const A = "0b7f5c2e-8a41-4f7e-9d3a-5e2b1c4d6f80";
const B = "1c8e6d3f-9b52-4a8f-8e4b-6f3c2d5e7a91";
const C = "2d9f7e4a-ac63-4b9a-9f5c-7a4d3e6f8ba2";

describe("photo answers", () => {
  it("finds every photo, in groups and repeats, with its path", () => {
    expect(
      photoAnswers(form, {
        front: A,
        yard: B,
        rooms: [{ room: "kitchen" }, { room: "bath", room_photo: C }],
        note: A,
      }),
    ).toEqual([
      { path: ["front"], id: A },
      { path: ["yard"], id: B },
      { path: ["rooms", 1, "room_photo"], id: C },
    ]);
  });

  it("ignores empty answers and badly shaped repeats", () => {
    expect(photoAnswers(form, { front: "", rooms: "x" })).toEqual([]);
  });

  it("tells a photo id from a file name", () => {
    expect(isPhotoId(A)).toBe(true);
    expect(isPhotoId("IMG_0042.jpg")).toBe(false);
    expect(isPhotoId(7)).toBe(false);
  });
});
