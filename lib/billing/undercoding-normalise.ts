// Normalisation of clinical shorthand and common misspellings before the undercoding vocabulary is matched
// (docs/undercoding.md, "Normalisation"). The rewritten text keeps a map back to the original, so every
// match still points at the words the therapist wrote.

/** A rewrite of a shorthand form, matched as a whole word, case-insensitive. */
interface Rewrite {
  pattern: string;
  to: string;
}

/** Shorthand seen in PT, OT and SLP daily notes, with what it stands for. */
export const SHORTHAND: readonly Rewrite[] = [
  { pattern: "x-?fers?|xfrs?|trn?sfrs?|trnsfers?|tran?sfrs?|tranfers?|trasfers?|transfrs?|transfr", to: "transfers" },
  { pattern: "x-?fer(?:red|ring)|trnsferr?ed|tranferr?ed", to: "transferred" },
  { pattern: "trng|trg|trn'?g|trning|traning|trainng", to: "training" },
  { pattern: "STS", to: "sit to stand" },
  { pattern: "sup", to: "supine" },
  { pattern: "dsg|drsg", to: "dressing" },
  { pattern: "grmg|grming", to: "grooming" },
  { pattern: "mgmt|mgt", to: "management" },
  { pattern: "stdg|stndg|stand'?g", to: "standing" },
  { pattern: "sim|simul", to: "simulation" },
  { pattern: "mob(?=\\s*:)|(?<=bed\\s)mob", to: "mobility" },
  { pattern: "strch|strech|stetch|strtch", to: "stretch" },
  { pattern: "streching|stretchng", to: "stretching" },
  { pattern: "stengthening|strenthening|strengthning|strengthing|strngthening", to: "strengthening" },
  { pattern: "hamstrng|hamstirng|hamsting", to: "hamstring" },
  { pattern: "retreiv(?:e|es|ed|ing)", to: "retrieving" },
  { pattern: "carryng|carying|caryying", to: "carrying" },
  { pattern: "supne|supin", to: "supine" },
  { pattern: "negotation|negociation", to: "negotiation" },
  { pattern: "stiars|staris|stairz|sairs|stiar|starirs", to: "stairs" },
  { pattern: "ADL'?s", to: "ADLs" },
];

/** Arrows and "<>" between two positions ("sit<>stand", "w/c<->mat", "sup>sit") read as "to". */
const ARROW = "\\s*(?:<->|<>|<=>|->|=>|>|→|↔|⇄)\\s*";

const REWRITE = new RegExp([...SHORTHAND.map((r) => `(\\b(?:${r.pattern})\\b)`), `((?<=[A-Za-z/])${ARROW}(?=[A-Za-z]))`].join("|"), "gi");

export interface NormalisedNote {
  /** The rewritten note, matched against the vocabulary. */
  text: string;
  /** For each character of `text`, where its source starts in the original note. */
  startOf: number[];
  /** For each character of `text`, where its source ends in the original note. */
  endOf: number[];
}

/** Rewrites shorthand and arrows; other text is kept as it was, character for character. */
export function normaliseNote(note: string): NormalisedNote {
  let text = "";
  const startOf: number[] = [];
  const endOf: number[] = [];
  const keep = (from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      text += note[i];
      startOf.push(i);
      endOf.push(i + 1);
    }
  };
  let last = 0;
  for (const match of note.matchAll(REWRITE)) {
    const index = match.index;
    keep(last, index);
    const group = match.slice(1).findIndex((g) => g !== undefined);
    const replacement = group < SHORTHAND.length ? (SHORTHAND[group]?.to ?? match[0]) : " to ";
    for (let i = 0; i < replacement.length; i += 1) {
      text += replacement[i];
      startOf.push(index);
      endOf.push(index + match[0].length);
    }
    last = index + match[0].length;
  }
  keep(last, note.length);
  return { text, startOf, endOf };
}

/** The original span of the normalised span [start, end). */
export function originalSpan(normalised: NormalisedNote, start: number, end: number): { start: number; end: number } {
  return { start: normalised.startOf[start] ?? 0, end: normalised.endOf[end - 1] ?? 0 };
}
