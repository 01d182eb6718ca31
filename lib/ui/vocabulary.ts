// What a screen must not say outside a "technical details" view ([data-technical]): the words of
// the 835 and of the code, which a biller, manager or owner does not read. The e2e sweep of every
// page (e2e/pages.spec.ts) runs each page's visible text through `codeWordsIn`.

export interface CodeWord {
  name: string;
  pattern: RegExp;
}

/** Abbreviations that are stored as enum values and are also the words people use (credentials, CMS files). */
export const ABBREVIATIONS_PEOPLE_USE = new Set(["PT", "PTA", "OT", "OTA", "SLP", "MUE", "GPCI", "KX"]);

const MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December";

/**
 * The patterns, given the stored enum values of the schema (prisma/schema.prisma): an ALL-CAPS
 * enum value ("REMIT_835", "SNOOZED", "ADMIN") on a screen is a code where a word belongs.
 */
export function codeWords(enumValues: readonly string[]): CodeWord[] {
  const shouted = [...new Set(enumValues)]
    .filter((v) => /^[A-Z][A-Z0-9_]*$/.test(v) && !ABBREVIATIONS_PEOPLE_USE.has(v))
    .sort((a, b) => b.length - a.length);
  const words: CodeWord[] = [
    { name: "sum sign", pattern: /Σ/ },
    {
      name: "X12 segment or element name",
      pattern: /\b(?:CLP|SVC|CAS|BPR|TRN|PLB|NM1|AMT|DTM|ISA|IEA|GS|GE|ST|SE|N1|REF|LX|TS3|MIA|MOA|QTY|LQ)\d{0,2}\b/,
    },
    { name: "cents", pattern: /\bcents?\b|\d+\s*¢/i },
    { name: "snake_case word", pattern: /\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b/ },
    { name: "camelCase field name", pattern: /\b[a-z]+(?:[A-Z][a-z0-9]+)+\b/ },
    { name: "name in capitals", pattern: /\b[A-Z]{6,}\b|\b[A-Z]{4,}(?: [A-Z]{2,})+\b/ },
    { name: "ISO date (the one date format is “Mar 14, 2026”)", pattern: /\b\d{4}-\d{2}-\d{2}\b/ },
    { name: "day before month (the one date format is “Mar 14, 2026”)", pattern: new RegExp(`\\b\\d{1,2} (?:${MONTHS})\\b`) },
  ];
  if (shouted.length > 0) words.push({ name: "stored enum value", pattern: new RegExp(`\\b(?:${shouted.join("|")})\\b`) });
  return words;
}

/** The enum values declared in a Prisma schema's text. */
export function enumValuesOf(schema: string): string[] {
  const values: string[] = [];
  for (const block of schema.matchAll(/^enum\s+\w+\s*\{([^}]*)\}/gm)) {
    for (const line of (block[1] ?? "").split("\n")) {
      const value = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(line.replace(/\/\/.*$/, ""));
      if (value?.[1]) values.push(value[1]);
    }
  }
  return values;
}

/** Every code word in a text, one entry per line and pattern: `name: "match" in “line”`. */
export function codeWordsIn(text: string, words: readonly CodeWord[]): string[] {
  const found: string[] = [];
  for (const line of text.split("\n")) {
    for (const word of words) {
      const match = word.pattern.exec(line);
      if (match) found.push(`${word.name}: "${match[0]}" in “${line.trim().slice(0, 120)}”`);
    }
  }
  return found;
}
