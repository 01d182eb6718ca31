import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken } from "./session-token";

const SECRET = "a-test-secret-of-enough-length-0123456789";

describe("decodeSessionToken: the session cookie decoded once per token", () => {
  it("gives the token's payload, the same on a second request with the same token", async () => {
    const token = await encode({ token: { sub: "7", sid: "session-a" }, secret: SECRET, maxAge: 3600 });
    const first = await decodeSessionToken(token, SECRET);
    expect(first?.sid).toBe("session-a");
    expect(first?.sub).toBe("7");
    const second = await decodeSessionToken(token, SECRET);
    expect(second?.sid).toBe("session-a");
    // the kept payload cannot be changed by one request for the next
    expect(Object.isFrozen(second)).toBe(true);
  });

  it("refuses a token once it has expired, kept or not", async () => {
    const token = await encode({ token: { sub: "7", sid: "session-b" }, secret: SECRET, maxAge: 60 });
    const now = Date.now();
    expect((await decodeSessionToken(token, SECRET, now))?.sid).toBe("session-b");
    // exp = issue time + 60 s; jose allows clocks 15 s apart: 2 minutes later it is refused
    expect(await decodeSessionToken(token, SECRET, now + 120_000)).toBeNull();
    // the refused token was dropped, not kept as refused: asked again now (within its minute), it
    // is decoded anew and accepted
    expect((await decodeSessionToken(token, SECRET))?.sid).toBe("session-b");
  });

  it("refuses a forged or garbled token, and a token made with another secret", async () => {
    const token = await encode({ token: { sub: "7", sid: "session-c" }, secret: SECRET, maxAge: 3600 });
    expect(await decodeSessionToken(`${token.slice(0, -4)}AAAA`, SECRET)).toBeNull();
    expect(await decodeSessionToken("not-a-token", SECRET)).toBeNull();
    expect(await decodeSessionToken("", SECRET)).toBeNull();
    // kept under SECRET, then asked with another secret: decoded (and refused) with that secret
    expect((await decodeSessionToken(token, SECRET))?.sid).toBe("session-c");
    expect(await decodeSessionToken(token, "another-secret-of-enough-length-987654321")).toBeNull();
    const other = await encode({
      token: { sub: "8", sid: "session-d" },
      secret: "another-secret-of-enough-length-987654321",
      maxAge: 3600,
    });
    expect(await decodeSessionToken(other, SECRET)).toBeNull();
  });
});
