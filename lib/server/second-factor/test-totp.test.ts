// The tests' own TOTP (e2e/totp.ts) against RFC 6238 Appendix B, so that the codes the
// integration and e2e tests type in are right independently of the library the app uses.
import { describe, expect, it } from "vitest";
import { base32Decode, totpCode } from "@/e2e/totp";

// RFC 6238 Appendix B: SHA1 seed "12345678901234567890" (ASCII), 8 digits, X = 30, T0 = 0.
// Its base32 form is "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" (RFC 4648: "12345" → "GEZDGNBV", twice per 10 bytes).
const SEED_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("test TOTP helper", () => {
  it("decodes base32 as RFC 4648 does", () => {
    expect(base32Decode(SEED_BASE32).toString("ascii")).toBe("12345678901234567890");
    // "MZXW6YTBOI" is RFC 4648 §10's "foobar"
    expect(base32Decode("MZXW6YTBOI").toString("ascii")).toBe("foobar");
  });

  it.each(VECTORS)("matches RFC 6238 Appendix B at T = %i s", (seconds, expected) => {
    expect(totpCode(SEED_BASE32, seconds * 1000, 8)).toBe(expected);
  });

  it("gives the 6-digit code as the last six digits of the same truncation", () => {
    // 94287082 mod 10^6 = 287082
    expect(totpCode(SEED_BASE32, 59_000, 6)).toBe("287082");
  });
});
