import { describe, expect, it } from "vitest";
import { embedderOrigin, heightMessage, HEIGHT_MESSAGE } from "./embed-height.ts";

const CITY = "https://www.city.example";

describe("the embedded report page's height messages", () => {
  it("go to the site the loader names, when the department lists it", () => {
    expect(embedderOrigin(CITY, "", [CITY])).toBe(CITY);
    // Listed with a trailing slash, named with a path: the same origin.
    expect(embedderOrigin(`${CITY}/services/report`, "", [`${CITY}/`])).toBe(CITY);
    expect(embedderOrigin("https://WWW.City.Example", "", [CITY])).toBe(CITY);
  });

  it("fall back to the referrer's origin when the loader names none", () => {
    expect(embedderOrigin(undefined, `${CITY}/page?x=1`, [CITY])).toBe(CITY);
    expect(embedderOrigin("https://evil.example", `${CITY}/page`, [CITY])).toBe(CITY);
  });

  it("go nowhere for a site the department does not list, or no site at all", () => {
    expect(embedderOrigin("https://evil.example", "https://evil.example/", [CITY])).toBeNull();
    expect(embedderOrigin("http://www.city.example", "", [CITY])).toBeNull();
    expect(embedderOrigin("https://www.city.example:8443", "", [CITY])).toBeNull();
    expect(embedderOrigin(CITY, "", [])).toBeNull();
    expect(embedderOrigin(undefined, "", [CITY])).toBeNull();
    expect(
      embedderOrigin("javascript:alert(1)", "not a url", [CITY, "javascript:alert(1)"]),
    ).toBeNull();
  });

  it("say a whole height in the shape the loader accepts", () => {
    expect(heightMessage(812.2)).toEqual({ type: HEIGHT_MESSAGE, height: 813 });
  });
});
