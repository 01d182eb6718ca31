import { describe, expect, it } from "vitest";
import { BYTES_PER_SLICE, ChunkDecoder, isAsciiBytes } from "./decode";
import { generate835 } from "@/prisma/generator/x12";
import { parse835, parse835Sync, parse835Text, read835 } from "./read835";
import { byteChunks, streamOf } from "@/prisma/generator/x12/chunks";
import { packedCode, type X12Segment, X12Tokenizer } from "./tokenizer";
import { dateInRange, parseX12Date, RangeTable } from "./values";

const encoder = new TextEncoder();

/** What a tokenizer fed by `feed` reports: each segment as `show` writes it, then issues. */
function tokenizeAs(show: (s: X12Segment) => string, feed: (t: X12Tokenizer) => void): string[] {
  const out: string[] = [];
  const t = new X12Tokenizer({
    segment: (s) => out.push(show(s)),
    warning: (i) => out.push(`W ${i.where}: ${i.message}`),
    error: (i) => out.push(`E ${i.where}: ${i.message}`),
  });
  feed(t);
  t.end();
  return out;
}

/** What TextDecoder makes of the same chunks (the reference the fast path must match). */
function reference(chunks: readonly Uint8Array[]): string {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  return chunks.map((c) => decoder.decode(c, { stream: true })).join("") + decoder.decode();
}

function decodeAll(chunks: readonly Uint8Array[]): string {
  const decoder = new ChunkDecoder();
  let text = "";
  for (const c of chunks) for (const piece of decoder.slices(c)) text += piece;
  return text + decoder.flush();
}

describe("ChunkDecoder", () => {
  it("tells ASCII bytes", () => {
    expect(isAsciiBytes(encoder.encode("ISA*00~"))).toBe(true);
    expect(isAsciiBytes(new Uint8Array(0))).toBe(true);
    expect(isAsciiBytes(encoder.encode("JOSÉ"))).toBe(false);
    expect(isAsciiBytes(new Uint8Array([0x41, 0x80]))).toBe(false);
  });

  it.each([
    ["plain ASCII", "CLP*A1*1*100*100~", [3, 5]],
    ["a character cut between chunks, then ASCII", "NM1*QC*1*JOSÉ*ANA~SVC*HC:97110~", [12, 1, 4]],
    ["a byte-order mark", "\uFEFFISA*00~", [1, 2, 50]],
    ["a cut character left at the end", "ABC\u00E9", [4]],
    ["invalid bytes", "AB\uFFFDCD", [2, 3]],
    ["four-byte characters", "X\u{1F600}Y*Z~", [2, 1, 1, 3]],
  ])("decodes %s as TextDecoder does", (_name, text, sizes) => {
    const chunks = byteChunks(text, sizes as number[]);
    expect(decodeAll(chunks)).toBe(reference(chunks));
  });

  it("decodes a lone continuation byte and a truncated sequence as TextDecoder does", () => {
    const chunks = [new Uint8Array([0x41, 0xc3]), new Uint8Array([0x41, 0x42]), new Uint8Array([0xa9, 0x43]), new Uint8Array([0xe2, 0x82])];
    expect(decodeAll(chunks)).toBe(reference(chunks));
  });

  it("marks only ASCII text as having the characters of its bytes", () => {
    const decoder = new ChunkDecoder();
    expect(decoder.decode(encoder.encode("AB*C~"))).toBe("AB*C~");
    expect(decoder.lastWasAscii).toBe(true);
    expect(decoder.decode(new Uint8Array([0x41, 0xc3]))).toBe("A");
    expect(decoder.lastWasAscii).toBe(false);
    // the next slice completes a character: it must go through the decoder
    expect(decoder.decode(new Uint8Array([0xa9, 0x41]))).toBe("éA");
    expect(decoder.lastWasAscii).toBe(false);
    expect(decoder.decode(encoder.encode("XY"))).toBe("XY");
    expect(decoder.lastWasAscii).toBe(true);
    expect(decoder.flush()).toBe("");
  });
});

describe("reading bytes (pushBytes) and text (push) give the same result", () => {
  /** A remit of a few MB: crosses several decoding slices, so segments straddle them. */
  const big = generate835({ seed: 7, targetBytes: 2 * BYTES_PER_SLICE + 300_000 }).text;

  it("on a remit larger than one slice, whole or in chunks of any size", async () => {
    const fromText = parse835Text(big);
    expect(fromText.errors).toEqual([]);
    expect(fromText.counts.claims).toBeGreaterThan(1000);
    const bytes = encoder.encode(big);
    expect(parse835Sync(bytes)).toEqual(fromText);
    expect(parse835Sync(byteChunks(big, [65_536, 5_000, 70_001, 4_096]))).toEqual(fromText);
    expect(await parse835(streamOf(byteChunks(big, [BYTES_PER_SLICE + 17, 333_333])))).toEqual(fromText);
  });

  it("with non-ASCII names, a byte-order mark, and a character cut at a slice end", () => {
    // names with accents here and there, one of them across the first slice boundary
    let text = `\uFEFF${big}`.replace(/NM1\*QC\*1\*SMITH\*/g, (m, at: number) => (at % 7 === 0 ? "NM1*QC*1*MUÑOZ*" : m));
    const at = text.indexOf("NM1*QC*1*", BYTES_PER_SLICE - 2_000);
    text = `${text.slice(0, at + 9)}JOSÉ${text.slice(at + 9)}`;
    const bytes = encoder.encode(text);
    const cut = encoder.encode(text.slice(0, at + 12)).length + 1; // between the two bytes of the É
    const fromText = parse835Text(text);
    expect(fromText.warnings[0].message).toMatch(/byte-order mark/);
    expect(parse835Sync(bytes)).toEqual(fromText);
    expect(parse835Sync([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(fromText);
    expect(parse835Sync(byteChunks(text, [cut, 4_097, BYTES_PER_SLICE]))).toEqual(fromText);
    const names = fromText.transactions.flatMap((t) => t.claims).map((c) => c.patient?.lastName);
    expect(names).toContain("MUÑOZ");
  });

  it("when text and bytes are mixed (text ends a cut character)", () => {
    const tokenize = (feed: (t: X12Tokenizer) => void) => tokenizeAs((s) => s.raw(), feed);
    const isa = "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*^*00501*000000001*0*P*:~";
    const bytes = encoder.encode(`${isa}GS*HP*A*B~NM1*QC*1*JOS\u00C9~`);
    const cut = bytes.length - 2; // inside the É
    const viaBytes = tokenize((t) => {
      t.pushBytes(bytes.subarray(0, cut));
      t.push("X~");
      t.pushBytes(bytes.subarray(cut));
    });
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const asText = decoder.decode(bytes.subarray(0, cut), { stream: true }) + decoder.decode() + "X~" + decoder.decode(bytes.subarray(cut));
    expect(viaBytes).toEqual(tokenize((t) => t.push(asText)));
    expect(viaBytes.some((s) => s.includes("\uFFFD"))).toBe(true);
  });

  it("across chunk ends where one side is not ASCII, and for a terminator that never comes", () => {
    const tokenize = (feed: (t: X12Tokenizer) => void) =>
      tokenizeAs((s) => `${s.number} ${s.idCode} ${s.raw()} ${s.cents(2)} ${s.code(1)}`, feed);
    const isa = "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*^*00501*000000001*0*P*:~";
    const filler = "AMT*B6*12.34~\n".repeat(600);
    const text = `${isa}GS*HP*A*B~ST*835*0001~${filler}NM1*QC*1*MU\u00D1OZ*JO~${filler}CAS*CO*45*-1.005~SE*3*0001~`;
    const bytes = encoder.encode(text);
    const inName = encoder.encode(text.slice(0, text.indexOf("OZ*JO"))).length;
    const asText = tokenize((t) => t.push(text));
    expect(asText.some((s) => s.includes("MU\u00D1OZ"))).toBe(true);
    // Cut right after the Ñ (non-ASCII before the cut, ASCII after), and inside it.
    for (const cut of [inName, inName - 1, inName + 3]) {
      expect(
        tokenize((t) => {
          t.pushBytes(bytes.subarray(0, cut));
          t.pushBytes(Buffer.from(bytes.subarray(cut)));
        }),
      ).toEqual(asText);
    }
    const endless = encoder.encode(`${isa}GS*HP*A*B~ST*835*0001~${"N3*".padEnd(1_100_000, "A")}`);
    const viaBytes = tokenize((t) => {
      for (let at = 0; at < endless.length; at += 100_000) t.pushBytes(endless.subarray(at, at + 100_000));
    });
    expect(viaBytes).toEqual(tokenize((t) => t.push(new TextDecoder().decode(endless))));
    expect(viaBytes.some((s) => /No segment terminator '~' within 1,000,000 characters/.test(s))).toBe(true);
  });

  it("read835 streams bytes as parse835 reads them", async () => {
    const bytes = encoder.encode(big);
    let claims = 0;
    let end: unknown = null;
    for await (const event of read835(bytes)) {
      if (event.type === "claim") claims++;
      if (event.type === "end") end = event.counts;
    }
    const whole = parse835Text(big);
    expect(claims).toBe(whole.counts.claims);
    expect(end).toEqual(whole.counts);
  });
});

describe("packed codes", () => {
  it("packs 1-3 character codes, length included", () => {
    expect(packedCode("472")).toBe((3 << 24) | 0x343732);
    expect(packedCode("B6")).toBe((2 << 16) | 0x4236);
    expect(packedCode("4")).not.toBe(packedCode("04"));
    expect(packedCode("")).toBe(-1);
    expect(packedCode("4721")).toBe(-1);
    expect(packedCode("\u0100")).toBe(-1);
  });

  it("packs an element as packedCode packs the same text", () => {
    const seen: number[][] = [];
    const t = new X12Tokenizer({
      segment: (s) => {
        const row: number[] = [];
        for (let k = 0; k <= s.count; k++) row.push(s.packed(k));
        seen.push(row);
      },
      warning: () => {},
      error: () => {},
    });
    t.push("ISA*00*          *00*          *ZZ*A              *ZZ*B              *260101*1200*^*00501*000000001*0*P*:~");
    t.push("DTM*472*20260101~AMT*B6*1~REF**6R*ABCD~");
    t.end();
    expect(seen[1]).toEqual([packedCode("DTM"), packedCode("472"), -1, -1]);
    expect(seen[2]).toEqual([packedCode("AMT"), packedCode("B6"), packedCode("1"), -1]);
    expect(seen[3]).toEqual([packedCode("REF"), -1, packedCode("6R"), -1, -1]);
  });
});

describe("value caches", () => {
  it("reads thousands of distinct dates right, whatever their cache slots", () => {
    const text = Array.from({ length: 9_000 }, (_, i) => {
      const d = new Date(Date.UTC(1990, 0, 1) + i * 86_400_000 * 3).toISOString().slice(0, 10).replaceAll("-", "");
      return d;
    }).join("|");
    for (let round = 0; round < 2; round++) {
      for (let at = 0; at < text.length; at += 9) {
        const raw = text.slice(at, at + 8);
        expect(dateInRange(text, at, at + 8)).toBe(parseX12Date(raw));
      }
    }
    expect(dateInRange("20230229", 0, 8)).toBeNull();
    expect(dateInRange("20240229", 0, 8)).toBe("2024-02-29");
    expect(dateInRange("20230229", 0, 8)).toBeNull();
  });

  it("RangeTable tells apart keys of the same length", () => {
    const table = new RangeTable<number>(4);
    const text = "HC:97110|HC:97112|HC:97110";
    table.set(text, 0, 8, 1);
    expect(table.get(text, 9, 17)).toBeUndefined();
    table.set(text, 9, 17, 2);
    expect(table.get(text, 18, 26)).toBe(1);
    expect(table.get(text, 9, 17)).toBe(2);
    expect(table.get("HC:9711", 0, 7)).toBeUndefined();
  });

  it("RangeTable keeps short, long and non-ASCII keys apart", () => {
    const table = new RangeTable<string>(6);
    const keys = [
      "HC:97110",
      "HC:97110:GP",
      "HC:97110:GP:KX",
      "HC:97110:GP:KX:59",
      "HC:97110:GP:KX:59:XU",
      "HC:97110:GP:KX:59:XU:76",
      "HC:97110:GP:KX:59:XU:76:77",
      "HC:97110:GP:KX:59:XU:76:77:78",
      "HC:9711\u00e9",
      "HC:9711\u00e9:GP:KX:59:XU:76:77",
      "",
      "A",
      "A\u0000",
    ];
    const text = keys.join("|");
    const ranges: [number, number][] = [];
    let at = 0;
    for (const key of keys) {
      ranges.push([at, at + key.length]);
      at += key.length + 1;
    }
    ranges.forEach(([from, to], i) => {
      table.set(text, from, to, keys[i]);
    });
    ranges.forEach(([from, to], i) => {
      expect(table.get(text, from, to)).toBe(keys[i]);
      expect(table.get(`#${keys[i]}#`, 1, keys[i].length + 1)).toBe(keys[i]);
    });
    expect(table.get("HC:97110:GP:KX:59:XU:76:7", 0, 25)).toBeUndefined();
    expect(table.get("HC:97110:GP:KX:59:XU:76:77:79", 0, 29)).toBeUndefined();
    expect(table.get("HC:9711\u00e8", 0, 8)).toBeUndefined();
    table.clear();
    expect(table.get(text, ranges[2][0], ranges[2][1])).toBeUndefined();
  });
});
