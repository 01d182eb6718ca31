// COPY's text format as the remit writer writes it: fields escaped, arrays quoted, rows kept as
// bytes. What PostgreSQL reads back is tested against a real server in bulk-write.int.test.ts.
import { describe, expect, it } from "vitest";
import { CopyRows, copyInt, copyText, copyTextArray } from "./copy";

describe("COPY text fields", () => {
  it("writes null as \\N and escapes backslash, tab, newline and carriage return", () => {
    expect(copyText(null)).toBe("\\N");
    expect(copyText(undefined)).toBe("\\N");
    expect(copyText("")).toBe("");
    expect(copyText("97110")).toBe("97110");
    expect(copyText("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    // the two characters \N are text, not null
    expect(copyText("\\N")).toBe("\\\\N");
    expect(copyInt(null)).toBe("\\N");
    expect(copyInt(-1250)).toBe("-1250");
  });

  it("writes letters-and-digits arrays as they are, and quotes every element of any other", () => {
    expect(copyTextArray([])).toBe("{}");
    expect(copyTextArray(["GP", "KX"])).toBe("{GP,KX}");
    expect(copyTextArray(["N640", "M15"])).toBe("{N640,M15}");
    // unquoted, NULL would be a null element
    expect(copyTextArray(["GP", "null"])).toBe('{"GP","null"}');
    expect(copyTextArray(["G P"])).toBe('{"G P"}');
    // element "a,b" then a quote and a backslash escaped for the array, then the backslashes for COPY
    expect(copyTextArray(["a,b", 'say "hi"', "back\\slash", "{x} y"])).toBe('{"a,b","say \\\\"hi\\\\"","back\\\\\\\\slash","{x} y"}');
  });
});

describe("CopyRows", () => {
  it("keeps rows as bytes, grows as needed and copies ranges of another buffer", () => {
    const fixed = new CopyRows(8);
    const a = fixed.append("first\trow");
    const endA = fixed.length;
    const b = fixed.append("é\tsecond");
    const endB = fixed.length;
    expect(a).toBe(0);
    expect(b).toBe(endA);
    expect(endB - b).toBe(Buffer.byteLength("é\tsecond"));

    const out = new CopyRows(4);
    out.appendFrom(fixed, b, endB);
    out.append("\t1\n");
    out.appendFrom(fixed, a, endA);
    out.append("\t2\n");
    expect(out.bytes().toString("utf8")).toBe("é\tsecond\t1\nfirst\trow\t2\n");
  });
});
