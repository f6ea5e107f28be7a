import { describe, expect, it } from "vitest";
import { displayPhone } from "./display.ts";

describe("phone display", () => {
  it("writes Israeli numbers the local way and leaves others alone", () => {
    expect(displayPhone("+972541286284")).toBe("054-128-6284");
    expect(displayPhone("+97246123401")).toBe("04-612-3401");
    expect(displayPhone("+12025550123")).toBe("+12025550123");
  });
});
