import { describe, expect, it } from "vitest";
import { generate835 } from "@/prisma/generator/x12";
import { parse835Sync, parse835Text } from "./read835";
import { header, interchange, isa } from "@/prisma/generator/x12/hand-written";
import { X12Tokenizer } from "./tokenizer";

/** Segments as arrays of elements, plus issues, for a text fed in the given pieces. */
function tokenize(...pieces: string[]) {
  return tokenizePieces(pieces);
}

function tokenizePieces(pieces: readonly string[]) {
  const segments: string[][] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const tokenizer = new X12Tokenizer({
    segment: (s) => {
      const elements: string[] = [];
      for (let k = 0; k < s.count; k++) elements.push(s.element(k));
      segments.push([String(s.number), ...elements]);
    },
    warning: (i) => warnings.push(`${i.where}: ${i.message}`),
    error: (i) => errors.push(`${i.where}: ${i.message}`),
  });
  for (const p of pieces) tokenizer.push(p);
  tokenizer.end();
  return { segments, warnings, errors };
}

const body = [...header("100"), "CLP*A1*1*100*100**12*ICN1", "NM1*QC*1*DOE*JANE****MI*M1"];

describe("delimiters are read from the ISA", () => {
  it("reads the standard delimiters", () => {
    const { segments, errors, warnings } = tokenize(interchange([body]));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(segments[0].slice(0, 2)).toEqual(["1", "ISA"]);
    expect(segments[0][17]).toBe(":");
    const clp = segments.find((s) => s[1] === "CLP");
    expect(clp).toEqual(["10", "CLP", "A1", "1", "100", "100", "", "12", "ICN1"]);
  });

  it.each([
    ["|", "^", "~"],
    ["|", ">", "\n"],
    ["^", ":", "~"],
    ["*", ">", "\r\n"],
    ["!", "\\", "'"],
    ["\u001d", "\u001f", "\u001c"],
  ])("element %j, component %j, terminator %j", (element, component, terminator) => {
    const repetition = element === "^" ? "U" : "^";
    const text = interchange([[...body, "SVC*HC:97110:GP*100*100"]], { element, component, terminator, repetition });
    const result = parse835Text(text);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.counts).toEqual({ transactions: 1, claims: 1, serviceLines: 1, paidCents: 10000 });
    const line = result.transactions[0].claims[0].serviceLines[0];
    expect(line.procedure).toEqual({ qualifier: "HC", code: "97110", modifiers: ["GP"] });
  });

  it("accepts newlines after terminators, CRLF, and blank lines", () => {
    const text = interchange([body], { terminator: "~\r\n\r\n" });
    const result = parse835Text(text);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.counts.claims).toBe(1);
  });

  it("reads an ISA wider than 106 characters by counting its separators", () => {
    const wide = interchange([body]).replace("PAYERSENDER    ", "A MUCH LONGER SENDER NAME      ");
    const result = parse835Text(wide);
    expect(result.errors).toEqual([]);
    expect(result.counts.claims).toBe(1);
    expect(result.warnings).toEqual([
      {
        where: "segment 1 (ISA)",
        message:
          "The interchange header (ISA) is 122 characters long instead of the standard 106; its delimiters were read from its content.",
      },
    ]);
  });

  it("handles an empty ISA16 followed by the terminator and GS on the same line", () => {
    const text = interchange([[...body, "SVC*HC>97110>GP*100*100"]], { emptyComponent: true, terminator: "~" });
    expect(text).toContain("*P*~GS*");
    const result = parse835Text(text);
    expect(result.errors).toEqual([]);
    expect(result.counts.serviceLines).toBe(1);
    expect(result.transactions[0].claims[0].serviceLines[0].procedure.code).toBe("97110");
    expect(result.warnings.map((w) => w.message)).toEqual([
      "The interchange header leaves the component separator (ISA16) empty; it will be detected where codes are read.",
      "The interchange header declares no component separator (ISA16 is empty); '>' was detected in the procedure code.",
    ]);
  });

  it("tells an empty ISA16 + '~' + newline from ':' + newline terminator", () => {
    const emptyComponent = interchange([body], { emptyComponent: true, terminator: "~\n" });
    expect(emptyComponent).toContain("*P*~\nGS*");
    const a = parse835Text(emptyComponent);
    expect(a.errors).toEqual([]);
    expect(a.warnings.map((w) => w.where)).toEqual(["segment 1 (ISA), element 16"]);
    expect(a.counts.claims).toBe(1);
    const newlineTerminated = interchange([body], { terminator: "\n" });
    expect(newlineTerminated).toContain("*P*:\nGS*");
    const b = parse835Text(newlineTerminated);
    expect(b.errors).toEqual([]);
    expect(b.warnings).toEqual([]);
    expect(b.counts.claims).toBe(1);
  });

  it("takes a new interchange's own delimiters", () => {
    const first = interchange([body]);
    const second = interchange([[...header("55.50"), "CLP*B2*1*60*55.5**12*ICN2", "CAS*CO*45*4.5"]], {
      element: "|",
      component: "^",
      terminator: "\n",
      controlNumber: "000000002",
    });
    const result = parse835Text(first + second);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.counts).toEqual({ transactions: 2, claims: 2, serviceLines: 0, paidCents: 15550 });
    expect(result.transactions[1].claims[0].patientControlNumber).toBe("B2");
  });
});

describe("text around the interchange", () => {
  it("skips a UTF-8 byte-order mark with a warning", () => {
    const bytes = new TextEncoder().encode(`\uFEFF${interchange([body])}`);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const result = parse835Sync(bytes);
    expect(result.errors).toEqual([]);
    expect(result.counts.claims).toBe(1);
    expect(result.warnings).toEqual([{ where: "start of file", message: "The file starts with a byte-order mark (BOM); it was skipped." }]);
  });

  it("skips prose before the ISA (even mentioning VISA and ISA)", () => {
    const prose = "Remittance for VISA holders.\nThe ISA below is real.\n\n";
    const result = parse835Text(prose + interchange([body]));
    expect(result.errors).toEqual([]);
    expect(result.counts.claims).toBe(1);
    expect(result.warnings).toEqual([
      {
        where: "segment 1 (ISA)",
        message: `Skipped ${prose.length} characters of text before the interchange header (ISA).`,
      },
    ]);
  });

  it("warns about prose after the IEA but rejects X12 data outside any interchange", () => {
    const text = interchange([body]);
    const prose = parse835Text(`${text}\nEnd of report\n`);
    expect(prose.errors).toEqual([]);
    expect(prose.warnings[0].message).toMatch(/Skipped 16 characters of text after the interchange trailer/);
    const data = parse835Text(`${text}CLP*X*1*5*5**12*Z~\n`);
    expect(data.errors[0].message).toMatch(/outside any interchange/);
  });

  it("rejects a file without an ISA", () => {
    const result = parse835Text("ST*835*0001~BPR*I*5*C*CHK~SE*3*0001~");
    expect(result.errors).toEqual([
      {
        where: "file",
        message: "No interchange header (ISA) found: this is not an X12 835 file, or its beginning is missing.",
      },
    ]);
  });

  it("rejects an empty file", () => {
    expect(parse835Text("").errors[0].message).toBe("The file is empty.");
  });

  it("rejects an ISA whose delimiters cannot be determined", () => {
    const short = parse835Text("ISA*00*          *00*\nGS*HP~");
    expect(short.errors).toEqual([
      {
        where: "segment 1 (ISA)",
        message: "The interchange header (ISA) has only 4 elements where 16 are required, so its delimiters cannot be determined.",
      },
    ]);
    const clash = parse835Text(`${isa()}*~GS*HP~`.replace("*P*:*~", "*P**~"));
    expect(clash.errors.length).toBeGreaterThan(0);
    expect(clash.errors[0].where).toBe("segment 1 (ISA)");
  });

  it("reports a terminator that never comes instead of buffering forever", () => {
    const text = `${isa()}~GS*HP*A*B*20260101*1200*1*X*005010X221A1~ST*835*0001~${"N3*".padEnd(1_100_000, "A")}`;
    const result = parse835Text(text);
    expect(result.errors.some((e) => /No segment terminator '~' within 1,000,000 characters/.test(e.message))).toBe(true);
  });
});

describe("segments across chunk boundaries", () => {
  it("gives the same segments whatever the chunking", () => {
    const text = `Leading words\n${interchange([body])}${interchange([body], { element: "|", terminator: "\n" })}`;
    const whole = tokenize(text);
    for (const size of [1, 2, 3, 7, 64, 105, 106, 107]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
      expect(tokenize(...pieces)).toEqual(whole);
    }
  });

  it("completes a segment that straddles a large chunk", () => {
    const text = interchange([body]);
    const cut = text.indexOf("CLP*A1") + 5;
    const padding = "\n".repeat(10_000);
    const whole = tokenize(text + padding);
    expect(tokenize(text.slice(0, cut), text.slice(cut) + padding)).toEqual(whole);
  });

  it("gives the same segments for chunks around the gathering size", () => {
    const { text } = generate835({ seed: 4, claimCount: 120 });
    const whole = tokenize(text);
    for (const sizes of [[4095], [4096], [4097], [5000, 3, 9000, 1], [70_000]]) {
      const pieces: string[] = [];
      for (let i = 0, k = 0; i < text.length; k++) {
        const size = sizes[k % sizes.length];
        pieces.push(text.slice(i, i + size));
        i += size;
      }
      expect(tokenize(...pieces)).toEqual(whole);
    }
  });

  it("does not slow down on a huge unterminated segment fed byte by byte", { timeout: 10_000 }, () => {
    const text = `${isa()}~GS*HP*A*B*20260101*1200*1*X*005010X221A1~ST*835*0001~N3*${"A".repeat(300_000)}`;
    const started = Date.now();
    const pieces = Array.from(text);
    const result = tokenizePieces(pieces);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.segments.at(-1)?.[1]).toBe("N3");
  });

  it("looks at each character of 900,000-character segments at most twice, whatever the piece size", { timeout: 20_000 }, () => {
    // Five NTE segments of 900,000 characters each (899 elements of 1,000 characters after
    // "NTE*ADD", padded with X) between an ordinary header and trailer.
    const note = `NTE*ADD${`*${"N".repeat(999)}`.repeat(899)}`.padEnd(900_000, "X");
    const text = interchange([[...body, note, note, "CLP*A2*1*5*5**12*ICN2", note, note, note]]);
    /** Each segment's number, id, element count and length, the issues, and the characters scanned. */
    const read = (feed: (t: X12Tokenizer) => void) => {
      const segments: string[] = [];
      const issues: string[] = [];
      const tokenizer = new X12Tokenizer({
        segment: (s) => void segments.push(`${s.number} ${s.id} ${s.count} ${s.end - s.start} ${s.element(s.count - 1).slice(-8)}`),
        warning: (i) => issues.push(i.where),
        error: (i) => issues.push(i.where),
      });
      feed(tokenizer);
      tokenizer.end();
      return { segments, issues, scanned: tokenizer.charsScanned };
    };
    const whole = read((t) => t.push(text));
    expect(whole.issues).toEqual([]);
    expect(whole.segments.filter((s) => s.includes(" NTE 901 900000 "))).toHaveLength(5);
    const bytes = new TextEncoder().encode(text);
    for (const size of [16_384, 4_000, 65_536, 1_000_003]) {
      const asText = read((t) => {
        for (let i = 0; i < text.length; i += size) t.push(text.slice(i, i + size));
      });
      const asBytes = read((t) => {
        for (let i = 0; i < bytes.length; i += size) t.pushBytes(bytes.subarray(i, i + size));
      });
      for (const r of [asText, asBytes]) {
        expect(r.segments).toEqual(whole.segments);
        expect(r.issues).toEqual([]);
        // Rescanning the unfinished segment for every 16 KB piece would look at some
        // 900,000² / 16,384 / 2 ≈ 25 million characters per segment: over 25 times the file.
        expect(r.scanned, `pieces of ${size}`).toBeLessThanOrEqual(2.1 * text.length);
      }
    }
  });

  it("reports a long segment whose terminator never comes, in pieces as in one text", () => {
    const text = `${isa()}~GS*HP*A*B*20260101*1200*1*X*005010X221A1~ST*835*0001~${"N3*".padEnd(1_100_000, "A")}`;
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += 16_384) pieces.push(text.slice(i, i + 16_384));
    const result = tokenizePieces(pieces);
    expect(result.errors).toEqual([
      "segment 4: No segment terminator '~' within 1,000,000 characters; the rest of the interchange cannot be read.",
    ]);
    expect(result.segments.map((s) => s[1])).toEqual(["ISA", "GS", "ST"]);
  });

  it("stays linear on long runs of segments without element separators", { timeout: 10_000 }, () => {
    const lines: string[] = new Array(200_000).fill("NOSEPARATORHERE");
    const text = interchange([[...body, ...lines]], { terminator: "\n" });
    const started = Date.now();
    const result = tokenize(text.slice(0, 70_000), text.slice(70_000));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.segments.length).toBe(200_000 + 14);
  });
});
