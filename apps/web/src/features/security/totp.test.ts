import { describe, expect, it } from "vitest";
import { totpSecretOf } from "./totp.ts";

describe("totpSecretOf", () => {
  it("extracts and groups the secret", () => {
    expect(
      totpSecretOf(
        "otpauth://totp/Kaveret:dana%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Kaveret",
      ),
    ).toBe("JBSW Y3DP EHPK 3PXP");
    expect(totpSecretOf("otpauth://totp/x")).toBeNull();
  });
});
