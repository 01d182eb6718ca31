// The undercoding classifier (DOMAIN.md §4): the example practice's expected candidates, the committed
// precision/recall on the hand-labelled notes, and the negation/context rules of docs/undercoding.md.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyNote, type NoteClassification, undercodingCandidates } from "./undercoding";

const fixtureDir = path.resolve(import.meta.dirname, "../../e2e/fixtures/example-practice");
const noteSetDir = path.resolve(import.meta.dirname, "../../e2e/fixtures/undercoding");

type LabelledDirection = "could_be_97530" | "reads_as_exercise" | null;
/** One labelled note of e2e/fixtures/undercoding/*.jsonl; `ambiguous` notes are kept out of the figures. */
interface LabelledNote {
  id: string;
  cpt: string;
  note: string;
  label: LabelledDirection | "ambiguous";
  kind?: string;
  discipline?: string;
  style?: string;
}
const LABELS = new Set(["could_be_97530", "reads_as_exercise", "none", "ambiguous"]);

/** Reads a JSON-lines note set; "none" is the null label. */
function readNoteSet(file: string): LabelledNote[] {
  const lines = readFileSync(path.join(noteSetDir, file), "utf8").split("\n");
  return lines
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      const row = JSON.parse(l) as Record<string, unknown>;
      if (typeof row.note !== "string" || typeof row.cpt !== "string" || !LABELS.has(String(row.label))) {
        throw new Error(`${file} line ${i + 1}: needs a note, a cpt and one of the four labels`);
      }
      return { ...(row as unknown as LabelledNote), label: row.label === "none" ? null : (row.label as LabelledNote["label"]) };
    });
}

const labelledNotes = readNoteSet("labelled-notes.jsonl");
const articleExampleNotes = readNoteSet("article-examples.jsonl");
const developmentNotes = readNoteSet("development.jsonl");
/**
 * The first held-back half. Its figures were printed and reported, so it can no longer be an honest held-back
 * measure: since round 3 it is development data, studied and held to the development floors.
 */
const retiredHeldBackNotes = readNoteSet("retired-held-back.jsonl");
/** The current held-back half, written blind to the rules and added when it is ready; never read while tuning. */
const HELD_BACK_FILE = "held-back-2.jsonl";

type Row = Record<string, string>;
function readCsv(file: string): Row[] {
  return parse(readFileSync(path.join(fixtureDir, file), "utf8"), { columns: true, bom: true, skip_empty_lines: true }) as Row[];
}

const DIRECTIONS = ["could_be_97530", "reads_as_exercise"] as const;

interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

function score(notes: readonly LabelledNote[], direction: (typeof DIRECTIONS)[number]): Score {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const n of notes) {
    if (n.label === "ambiguous") continue;
    const predicted = classifyNote(n.note, n.cpt).direction;
    if (predicted === direction && n.label === direction) truePositives += 1;
    else if (predicted === direction) falsePositives += 1;
    else if (n.label === direction) falseNegatives += 1;
  }
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    precision: truePositives / (truePositives + falsePositives),
    recall: truePositives / (truePositives + falseNegatives),
  };
}

/** The surface text of each match. */
function texts(note: string, c: NoteClassification, key: "functionalTerms" | "exerciseTerms" | "functionalGoalTerms"): string[] {
  return c[key].map((m) => note.slice(m.start, m.end).toLowerCase());
}

describe("example practice (e2e/fixtures/example-practice)", () => {
  it("finds exactly the expected candidate lines of visits.csv, in both directions", () => {
    const lineInVisit = new Map<string, number>();
    const produced = new Set<string>();
    for (const row of readCsv("visits.csv")) {
      const visitId = row.visit_id ?? "";
      const line = lineInVisit.get(visitId) ?? 0;
      lineInVisit.set(visitId, line + 1);
      const { direction } = classifyNote(row.note ?? "", row.cpt ?? "");
      if (direction !== null) produced.add(`${visitId}|${line}|${row.cpt}|${direction}`);
    }
    const expected = new Set(readCsv("expected-undercoding.csv").map((r) => `${r.visit_id}|${r.line}|${r.cpt}|${r.direction}`));
    expect(expected.size).toBeGreaterThan(0);
    expect([...produced].filter((k) => !expected.has(k))).toEqual([]);
    expect([...expected].filter((k) => !produced.has(k))).toEqual([]);
  });
});

describe("hand-labelled notes (e2e/fixtures/undercoding/labelled-notes.jsonl)", () => {
  it("has at least 150 well-formed notes covering both codes, both directions, and empty notes", () => {
    expect(labelledNotes.length).toBeGreaterThanOrEqual(150);
    const ids = [...labelledNotes, ...articleExampleNotes].map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const direction of DIRECTIONS) {
      expect(labelledNotes.filter((n) => n.label === direction).length).toBeGreaterThanOrEqual(30);
    }
    expect(labelledNotes.some((n) => n.note.trim() === "")).toBe(true);
    // A label only ever names a direction its billed code can have.
    for (const n of [...labelledNotes, ...articleExampleNotes]) {
      if (n.label === "could_be_97530") expect(n.cpt).toBe("97110");
      if (n.label === "reads_as_exercise") expect(n.cpt).toBe("97530");
    }
  });

  // Committed floors, a little below the measured figures reported in docs/undercoding.md.
  const committed = {
    own: {
      could_be_97530: { precision: 0.9, recall: 0.95 },
      reads_as_exercise: { precision: 0.97, recall: 0.95 },
    },
    articles: {
      could_be_97530: { precision: 0.9, recall: 0.9 },
      reads_as_exercise: { precision: 0.9, recall: 0.88 },
    },
  } as const;

  for (const direction of DIRECTIONS) {
    it(`keeps precision and recall of ${direction} on the labelled notes`, () => {
      const s = score(labelledNotes, direction);
      expect(s.precision).toBeGreaterThanOrEqual(committed.own[direction].precision);
      expect(s.recall).toBeGreaterThanOrEqual(committed.own[direction].recall);
    });
    it(`keeps precision and recall of ${direction} on the article examples`, () => {
      const s = score(articleExampleNotes, direction);
      expect(s.precision).toBeGreaterThanOrEqual(committed.articles[direction].precision);
      expect(s.recall).toBeGreaterThanOrEqual(committed.articles[direction].recall);
    });
  }
});

function report(name: string, notes: readonly LabelledNote[]): void {
  const ambiguous = notes.filter((n) => n.label === "ambiguous").length;
  const lines = DIRECTIONS.map((d) => {
    const s = score(notes, d);
    return `  ${d.padEnd(18)} TP ${s.truePositives} FP ${s.falsePositives} FN ${s.falseNegatives}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`;
  });
  console.log(`${name}: ${notes.length} notes (${ambiguous} ambiguous, not scored)\n${lines.join("\n")}`);
}

describe("development and held-back halves (e2e/fixtures/undercoding)", () => {
  it("development half: at least 220 well-formed notes across PT, OT and SLP, both styles, every trap", () => {
    expect(developmentNotes.length).toBeGreaterThanOrEqual(220);
    const ids = developmentNotes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of ["PT", "OT", "SLP"]) expect(developmentNotes.some((n) => n.discipline === d)).toBe(true);
    for (const style of ["terse", "narrative"]) expect(developmentNotes.some((n) => n.style === style)).toBe(true);
    for (const kind of [
      "sport",
      "work",
      "adl",
      "shorthand",
      "goal_vs_done",
      "tense_negation",
      "word_sense",
      "unknown_exercise",
      "ambiguous",
    ]) {
      expect(developmentNotes.filter((n) => n.kind === kind).length, kind).toBeGreaterThanOrEqual(8);
    }
    for (const n of developmentNotes) {
      if (n.label === "could_be_97530") expect(n.cpt).toBe("97110");
      if (n.label === "reads_as_exercise") expect(n.cpt).toBe("97530");
    }
  });

  it("retired held-back half (development since round 3): at least 200 well-formed notes, ids of their own", () => {
    expect(retiredHeldBackNotes.length).toBeGreaterThanOrEqual(200);
    const ids = [...developmentNotes, ...retiredHeldBackNotes].map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const n of retiredHeldBackNotes) {
      if (n.label === "could_be_97530") expect(n.cpt).toBe("97110");
      if (n.label === "reads_as_exercise") expect(n.cpt).toBe("97530");
    }
  });

  // The development sets are the ones the rules were tuned on (with the older labelled notes): these are
  // the figures reached, kept as floors (target: precision ≥ 0.95, recall ≥ 0.90 in both directions).
  for (const direction of DIRECTIONS) {
    it(`development half: ${direction} precision ≥ 0.95 and recall ≥ 0.90`, () => {
      const s = score(developmentNotes, direction);
      expect(s.precision).toBeGreaterThanOrEqual(0.95);
      expect(s.recall).toBeGreaterThanOrEqual(0.9);
    });
    it(`retired held-back half (development): ${direction} precision ≥ 0.95 and recall ≥ 0.90`, () => {
      const s = score(retiredHeldBackNotes, direction);
      expect(s.precision).toBeGreaterThanOrEqual(0.95);
      expect(s.recall).toBeGreaterThanOrEqual(0.9);
    });
  }

  it("prints precision and recall per direction for every set", () => {
    report("development half (tuned on)", developmentNotes);
    report("retired held-back half (development since round 3, tuned on)", retiredHeldBackNotes);
    report("older labelled notes (tuned on)", labelledNotes);
    report("article examples", articleExampleNotes);
  });

  // The held-back half is written blind to the rules by someone who does not read them, and is never read
  // while changing them. Its figures are printed and reported, never asserted: a floor chosen after seeing
  // them would be tuning on them. It runs once the file is in the repository.
  it(`held-back half (${HELD_BACK_FILE}): loads, has at least 200 notes, and its figures are printed`, () => {
    const heldBack = readNoteSet(HELD_BACK_FILE);
    expect(heldBack.length).toBeGreaterThanOrEqual(200);
    for (const n of heldBack) classifyNote(n.note, n.cpt);
    report("held-back half (never tuned on)", heldBack);
  });
});

describe("classifyNote", () => {
  it("flags a 97110 line that describes a functional task, naming the words", () => {
    const note = "Simulated lifting a laundry basket from floor to counter height, dynamic trunk control.";
    const c = classifyNote(note, "97110");
    expect(c.direction).toBe("could_be_97530");
    expect(texts(note, c, "functionalTerms")).toEqual(["simulated", "lifting", "laundry", "dynamic"]);
    expect(c.matchedTerms).toEqual(["simulate", "lift", "household task", "dynamic"]);
    expect(c.explanation).toContain('"Simulated"');
    expect(c.explanation).toContain("97530");
  });

  it("flags a 97530 line that reads as exercise with no functional goal, naming the words", () => {
    const note = "Isolated hamstring stretch and calf stretch, 3 x 30 seconds each.";
    const c = classifyNote(note, "97530");
    expect(c.direction).toBe("reads_as_exercise");
    expect(texts(note, c, "exerciseTerms")).toEqual(["isolated", "stretch", "stretch", "3 x 30"]);
    expect(c.matchedTerms).toEqual(["isolate", "stretch", "sets x repetitions"]);
    expect(c.explanation).toMatch(/reads as exercise/);
  });

  it("leaves correctly coded lines alone", () => {
    expect(classifyNote("Theraband ER 3x15, scapular retraction.", "97110").direction).toBeNull();
    expect(classifyNote("Toilet transfers x5 with grab bar, CGA.", "97530").direction).toBeNull();
  });

  it("reviews only 97110 and 97530, whatever the note says", () => {
    for (const cpt of ["97112", "97535", "97140", "97116", "97150", "97161", "", "9711O"]) {
      const c = classifyNote("Car transfer simulation; quad sets 3x10.", cpt);
      expect(c.direction).toBeNull();
      expect(c.explanation).toMatch(/only 97110 and 97530/);
    }
    // Surrounding spaces in the code are tolerated.
    expect(classifyNote("Car transfer simulation.", " 97110 ").direction).toBe("could_be_97530");
  });

  it("returns null with an explanation for empty notes", () => {
    for (const note of ["", "   ", null, undefined]) {
      const c = classifyNote(note, "97530");
      expect(c.direction).toBeNull();
      expect(c.functionalTerms).toEqual([]);
      expect(c.exerciseTerms).toEqual([]);
      expect(c.explanation).toMatch(/empty/);
    }
  });

  it("recognises word forms and multi-word phrases", () => {
    for (const note of [
      "Retrieving cones from the floor.",
      "Pt lifted a 10 lb box to shelf.",
      "Carries groceries 50 ft.",
      "Practiced getting in and out of the car.",
      "Ascended and descended 12 steps with rail.",
      "Bed to chair transfer with SBA.",
      "Toileting and clothing management.",
      "Donning socks with sock aid.",
    ]) {
      expect(classifyNote(note, "97110").direction, note).toBe("could_be_97530");
    }
  });

  describe("negation", () => {
    it("does not count negated functional tasks", () => {
      for (const note of [
        "Did not simulate car transfer due to pain; LAQ 3x15.",
        "Pt unable to perform stair negotiation secondary to dizziness.",
        "No lifting, carrying or reaching per precautions; isometrics.",
        "Car transfer deferred due to rain. Heel slides 2x15.",
        "Stairs not attempted today. SLR 2x10.",
        "Pt declined kitchen task; seated marching.",
      ]) {
        const c = classifyNote(note, "97110");
        expect(c.direction, note).toBeNull();
        expect(c.functionalTerms, note).toEqual([]);
        expect(
          c.ignoredTerms.some((m) => m.reason === "negated"),
          note,
        ).toBe(true);
      }
    });

    it("treats 'unable to … independently' and 'did not … consistently' as done with help", () => {
      expect(classifyNote("Unable to perform tub transfer independently; mod A.", "97110").direction).toBe("could_be_97530");
      expect(classifyNote("Did not catch ball consistently in tandem stance.", "97110").direction).toBe("could_be_97530");
      expect(classifyNote("Unable to perform car transfer without mod A.", "97110").direction).toBe("could_be_97530");
    });

    it("keeps a negation to its clause", () => {
      const c = classifyNote("No stretching today. Practiced toilet transfers x5.", "97530");
      expect(c.direction).toBeNull();
      expect(c.ignoredTerms.map((m) => m.term)).toEqual(["stretch"]);
      expect(classifyNote("Did not simulate lifting, focused on isolated quad strengthening 3x10.", "97530").direction).toBe(
        "reads_as_exercise",
      );
    });

    it("does not read 'no pain with stairs' as a negation", () => {
      const c = classifyNote("Stair negotiation 12 steps, no pain with stairs.", "97110");
      expect(c.direction).toBe("could_be_97530");
      expect(c.ignoredTerms).toEqual([]);
    });

    it("counts an explicit 'no functional goal' as exercise language", () => {
      expect(classifyNote("Strengthening 2 sets, no functional component addressed.", "97530").direction).toBe("reads_as_exercise");
      expect(classifyNote("No functional goal established yet.", "97530").direction).toBe("reads_as_exercise");
      const c = classifyNote("No functional tasks performed; quad sets 3x10.", "97110");
      expect(c.direction).toBeNull();
      expect(c.functionalTerms).toEqual([]);
    });
  });

  describe("context", () => {
    it.each([
      ["Transfer of care to Dr. Lee discussed; SLR 3x10.", "transfer of care"],
      ["Pt will be transferred to another clinic next week. Hip abduction 3x15.", "move between providers"],
      ["Transferred to mat table with SBA; bridges 3x10.", "positioning"],
      ["Lateral weight transfer in standing, hip abduction 3x10.", "weight transfer"],
      ["Good carryover of HEP; clamshells 3x15.", "carryover"],
      ["Pt carried out HEP daily.", "carried out"],
      ["Ambulated 150 ft with rolling walker. LAQ 3x10.", "rolling walker"],
      ["Wound dressing clean, dry and intact. Heel slides.", "wound dressing"],
      ["Epley maneuver R x2.", "vestibular maneuver"],
      ["Pt reached goal of 120 deg flexion; AROM.", "reached a goal"],
      ["Functional Reach Test 9 in. Hip strengthening 3x12.", "outcome measure"],
      ["Straight leg lifts, heel lifts 3x15.", "exercise lifts"],
      ["Pt lifted 5 lb dumbbell overhead 3x10.", "gym weight"],
      ["Pt paused to catch his breath; rows 3x12.", "catch breath"],
      ["Dynamic hamstring stretching as warm-up.", "dynamic stretch"],
      ["Sensory integration on platform swing.", "sensory integration"],
      ["Retrieved outside records from prior PT; leg press 3x10.", "records"],
      ["Word retrieval tasks with semantic cueing.", "word retrieval"],
      ["Pt hemodynamically stable. Ther ex 2x10.", "hemodynamic"],
      ["Pt able to perform HEP independently. Hamstring stretch.", "perform HEP"],
      ["Heel raises at kitchen counter 3x15.", "kitchen counter as support"],
      ["Lifting precautions reviewed; isometrics.", "precautions"],
    ])("%s → not a functional task (%s)", (note) => {
      const c = classifyNote(note, "97110");
      expect(c.direction).toBeNull();
      expect(c.functionalTerms).toEqual([]);
    });

    it("counts functional words in a goal as a goal, not as the task performed", () => {
      const note = "Straight leg raises 3x10 to strengthen quads for stair climbing.";
      const c = classifyNote(note, "97110");
      expect(c.direction).toBeNull();
      expect(texts(note, c, "functionalGoalTerms")).toEqual(["stair"]);
      expect(c.explanation).toMatch(/only as a goal/);
      // On a 97530 line a goal named beside exercise alone reads as exercise: 97530 needs the functional
      // task performed, and the explanation says the functional words were only a goal.
      const onActivities = classifyNote("Goal: independent car transfers. Today: SLR, bridges 3x10.", "97530");
      expect(onActivities.direction).toBe("reads_as_exercise");
      expect(onActivities.explanation).toMatch(/"car transfers" appears only as a goal/);
      // …but a goal beside the functional task performed is a well-written 97530 note.
      expect(classifyNote("Goal: independent car transfers. Practiced car transfers x4 with min A.", "97530").direction).toBeNull();
    });

    it("reads an assistance level followed by 'for' as how the task went, not as a goal", () => {
      expect(classifyNote("Requires moderate assistance for car transfers.", "97110").direction).toBe("could_be_97530");
      expect(classifyNote("Min A for toilet transfers, cues for sequencing.", "97110").direction).toBe("could_be_97530");
    });

    it("does not count what the patient reports or what is planned", () => {
      const reported = classifyNote("Pt reports difficulty carrying groceries. Quad sets 3x10.", "97530");
      expect(reported.direction).toBe("reads_as_exercise");
      expect(reported.ignoredTerms.every((m) => m.reason === "reported")).toBe(true);
      const planned = classifyNote("Plan: progress to car transfers next visit. Clamshells 3x15.", "97530");
      expect(planned.direction).toBe("reads_as_exercise");
      expect(planned.ignoredTerms.map((m) => m.reason)).toContain("planned");
    });

    it("explains what it did not count and why", () => {
      const c = classifyNote("Transfer of care discussed. Hamstring stretch 3 x 30 sec.", "97530");
      expect(c.direction).toBe("reads_as_exercise");
      expect(c.explanation).toMatch(/Not counted: "Transfer" \(not a task here: a transfer of care or records\)/);
    });
  });

  it("gives spans into the original note for highlighting", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.constantFrom(...labelledNotes.map((n) => n.note)),
          fc.array(fc.constantFrom(...labelledNotes.map((n) => n.note)), { maxLength: 4 }).map((parts) => parts.join(" ")),
        ),
        fc.constantFrom("97110", "97530", "97112", ""),
        (note, cpt) => {
          const c = classifyNote(note, cpt);
          const all = [...c.functionalTerms, ...c.exerciseTerms, ...c.functionalGoalTerms, ...c.ignoredTerms];
          for (const m of all) {
            expect(m.start).toBeGreaterThanOrEqual(0);
            expect(m.end).toBeGreaterThan(m.start);
            expect(m.end).toBeLessThanOrEqual(note.length);
          }
          // No character is claimed by two terms.
          const sorted = [...all].sort((a, b) => a.start - b.start);
          for (let i = 1; i < sorted.length; i += 1) expect(sorted[i]?.start).toBeGreaterThanOrEqual(sorted[i - 1]?.end ?? 0);
          if (cpt !== "97110") expect(c.direction).not.toBe("could_be_97530");
          if (cpt !== "97530") expect(c.direction).not.toBe("reads_as_exercise");
          if (c.direction === "could_be_97530") expect(c.functionalTerms.length).toBeGreaterThan(0);
          if (c.direction === "reads_as_exercise") {
            expect(c.exerciseTerms.length).toBeGreaterThan(0);
            expect(c.functionalTerms.length).toBe(0);
          }
          expect(c.explanation.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// One test per kind of note the issue found misread, each with notes written here (not taken from the sets).
describe("traps of real notes", () => {
  const flagged = (cpt: string, notes: string[], direction: "could_be_97530" | "reads_as_exercise" | null) => {
    for (const note of notes) expect(classifyNote(note, cpt).direction, note).toBe(direction);
  };

  it("sport-specific drills are functional work", () => {
    flagged(
      "97110",
      [
        "Racket shadow swings fh x15, split step and recover to center.",
        "Drop jump from 12 in box with soft landing x8, then lateral hops over line.",
        "Basketball layup footwork and dribbling around cones 3 rounds.",
        "Ballet: plie to releve x10 at barre, then pirouette prep.",
        "Soccer: receiving a pass and kicking at goal, 20 reps.",
      ],
      "could_be_97530",
    );
    // …but a sport named only as the goal, or "tennis elbow", is not a drill.
    flagged("97110", ["Tennis elbow: wrist extensor eccentrics 3x15.", "Leg press 3x10 for his return to hockey."], null);
    flagged("97530", ["Medicine ball chest pass 3x10 seated."], "reads_as_exercise");
  });

  it("work-specific tasks are functional work", () => {
    flagged(
      "97110",
      [
        "Ladder climbing 8 rungs with tool belt, reaching overhead at top.",
        "Crouch to kneel for low stocking of shelves x10.",
        "Push/pull 60 lb cart 100 ft to mimic hospital linen cart.",
        "Keyboarding at workstation 10 min with posture cues.",
      ],
      "could_be_97530",
    );
  });

  it("ADL and IADL tasks beyond the short list are functional work", () => {
    flagged(
      "97110",
      [
        "Loading the washer and folding towels at table in standing.",
        "Donned winter coat and zipped it with one hand, min A.",
        "Self-feeding with a built-up spoon, cutting soft food with rocker knife.",
        "Kneeling down to the floor and getting back up with a chair, to garden.",
        "Pt practiced getting in and out of a low couch x5.",
        "Paying the bus fare from a wallet, stepping onto the bus step.",
      ],
      "could_be_97530",
    );
  });

  it("shorthand and misspellings are read as the words they stand for, and highlighted as written", () => {
    flagged(
      "97110",
      [
        "w/c<>mat xfer x4 SBA.",
        "Sit<>stand x10 from low chair.",
        "Xfer trng bed->w/c, squat pivot mod A.",
        "Toilet trnsfrs w/ grab bar CGA.",
        "sup>sit via log roll, min A.",
        "Retreiving items from low shelf, carryng cup to table.",
      ],
      "could_be_97530",
    );
    const note = "Tub xfr trng x3 with bench.";
    const c = classifyNote(note, "97110");
    expect(c.direction).toBe("could_be_97530");
    // The term is the canonical word; the span is what the therapist wrote.
    expect(c.functionalTerms.map((m) => [m.term, note.slice(m.start, m.end)])).toEqual([["tub transfer", "Tub xfr"]]);
    flagged("97530", ["HS strch 3x30s, calf strech, stengthening glutes 3x10."], "reads_as_exercise");
  });

  it("a 97530 note naming a functional goal while charting only isolated exercise reads as exercise", () => {
    const note = "LTG: independent stairs at home. Quad sets, SLR and heel raises 3x10.";
    const c = classifyNote(note, "97530");
    expect(c.direction).toBe("reads_as_exercise");
    expect(texts(note, c, "functionalGoalTerms")).toEqual(["stairs"]);
    expect(c.explanation).toContain('"stairs" appears only as a goal');
    flagged(
      "97530",
      [
        "To improve transfers: bridges 3x12 and glute sets.",
        "Pt wants to get back to carrying groceries. Bicep curls 5 lb 3x12, rows 3x12.",
        "Strengthening for car transfers: hip abduction 3x15, mini squats 3x10.",
      ],
      "reads_as_exercise",
    );
    // The same goal beside the functional task performed is a well-written 97530 note.
    flagged("97530", ["LTG: independent stairs. Stair training 2 flights with rail, CGA."], null);
  });

  it("planned, deferred, skipped and not-tolerated functional work is not counted as done", () => {
    const cases = [
      "Stair training deferred due to knee effusion. SLR 3x10.",
      "Will begin car transfers next week. Bridges 3x10.",
      "Kitchen task skipped, pt dizzy. Seated AROM 2x10.",
      "Curb practice was attempted but not tolerated; hamstring stretching.",
      "Tub transfer to be trialed next visit. Shoulder AROM.",
      "Pt refused dressing training. Putty 10 min.",
      "Held stair work per MD. Ankle pumps, quad sets.",
      "Pt too fatigued to attempt toilet transfers; seated marching.",
    ];
    for (const note of cases) {
      const c = classifyNote(note, "97110");
      expect(c.direction, note).toBeNull();
      expect(c.functionalTerms, note).toEqual([]);
      expect(
        c.ignoredTerms.some((m) => m.reason === "negated" || m.reason === "planned"),
        note,
      ).toBe(true);
    }
    // The same notes on a 97530 line read as exercise: the functional work did not happen.
    expect(classifyNote("Floor transfers not tolerated; SLR 3x10, clamshells 3x15.", "97530").direction).toBe("reads_as_exercise");
    // Work deferred and then done counts.
    expect(classifyNote("Stair training deferred for pain, then completed 8 steps w/ rail after ice.", "97110").direction).toBe(
      "could_be_97530",
    );
  });

  it("words with a functional and a non-functional sense are read in their sense", () => {
    // Joint angles and measures are not reaching.
    flagged("97110", ["Shoulder flexion AROM reached 135°; pulleys 5 min.", "Knee flexion reached 120 degrees after heel slides."], null);
    // SLP head lifts and swallowing maneuvers are exercises, not lifting or maneuvering.
    flagged("97110", ["Shaker head lifts 3x60s, Mendelsohn maneuver x10.", "Supraglottic swallow maneuver x10."], null);
    flagged("97530", ["Shaker head lifts 3x30s, effortful swallow x10, Masako maneuver x10."], "reads_as_exercise");
    // An arm/leg reach in a bird dog is not functional reaching.
    flagged("97110", ["Quadruped opposite arm/leg reach 2x10."], null);
    // A "Ther ex:" heading over functional tasks, and sets/reps written for functional drills.
    flagged("97530", ["Ther ex: toilet transfers x4, reaching to floor for objects in standing."], null);
    flagged("97530", ["Loading the dishwasher 3 sets of 5 plates, carrying laundry basket 30 ft."], null);
    flagged("97110", ["Ther ex: floor to stand via half kneel x5, carry 10 lb basket 3x30 ft."], "could_be_97530");
  });

  it("work of an earlier session, or planned to start, is not counted as done today", () => {
    const cases: [string, RegExp][] = [
      ["Car transfers were practiced at the last visit; today bridges, clamshells 3x15.", /earlier session/],
      ["Previously worked on stair negotiation; today LAQ 3x15, SLR 3x10.", /earlier session/],
      ["Curb step-up/down will be added once pain < 4/10. Today: bridges 3x12.", /planned/],
      ["Dressing practice will start next visit; pulleys 5 min.", /planned/],
      ["Floor recovery trng d/c'd from POC per pt request; hamstring curls 3x12.", /negated/],
      ["Shower transfer not yet safe to attempt; seated DB flexion 3x10.", /negated/],
      ["Pt asked about starting stair practice after follow-up. Quad sets 2x20.", /reported/],
    ];
    for (const [note, why] of cases) {
      const c = classifyNote(note, "97110");
      expect(c.direction, note).toBeNull();
      expect(c.functionalTerms, note).toEqual([]);
      expect(c.explanation, note).toMatch(why);
    }
    // "w/o mod A" says how the transfer was done with help: it was done.
    expect(classifyNote("Unable to complete car transfer w/o mod A; practiced x3 with cues.", "97110").direction).toBe("could_be_97530");
  });

  it("a functional task named as the goal, the reason or the patient's job is not the task performed", () => {
    for (const note of [
      "Grip strengthening w/ putty 3x2min so that pt may resume buttoning shirts independently.",
      "Quad strengthening targeting sit to stand from low couch. LAQ 3x15.",
      "Ankle 4-way band 3x15 needed before progressing to cutting drills in soccer.",
      "Shoulder flexion AROM 3x10. Functional target: reach top shelf by d/c.",
      "Goals reviewed: indep car xfers, stairs w/ 1 rail. Today: LAQ 3x15.",
    ]) {
      const c = classifyNote(note, "97110");
      expect(c.direction, note).toBeNull();
      expect(c.functionalGoalTerms.length, note).toBeGreaterThan(0);
    }
    // A reason and a job description are the patient's life, listed as not counted with why.
    const cause = classifyNote("Wrist ext eccentrics 3x15 because lifting a skillet is painful.", "97110");
    expect(cause.direction).toBeNull();
    expect(cause.explanation).toContain('"lifting" (a reason given ("because"), not a task done)');
    const job = classifyNote("Works as a warehouse picker lifting 40 lb boxes. Lumbar ext 3x10.", "97110");
    expect(job.direction).toBeNull();
    expect(job.explanation).toContain("the patient's job described");
    // On a 97530 line the goal beside exercise alone reads as exercise, naming the goal.
    const onActivities = classifyNote("Goals reviewed: indep car xfers. Today: LAQ 3x15, SLR 3x10.", "97530");
    expect(onActivities.direction).toBe("reads_as_exercise");
    expect(onActivities.explanation).toContain('"car xfers" appears only as a goal');
  });

  it("more words in another sense: sleep hygiene, reaching into a stretch, navigating an app, a heavy door", () => {
    flagged("97110", ["Educated on sleep hygiene; pulleys 5 min, isometrics 10x5 sec."], null);
    flagged("97110", ["Hamstring stretch in long sitting reaching toward the toes 3x30s."], null);
    flagged("97110", ["Pt navigated HEP app on phone; tendon glides x10."], null);
    flagged("97110", ["Practiced opening heavy clinic door w/ RW x5, CGA."], "could_be_97530");
  });

  it("a stair or curb an exercise is done on, reaching for range of motion, a form, a problem or stopped work is no task", () => {
    for (const note of [
      "Heel drops off bottom step 3x15, calf raises on stair 3x15 w/ rail.",
      "Toe taps to curb height step 2x20.",
      "Reaching to therapist's hand at end range flexion 2x10 for AROM.",
      "ADL questionnaire and LEFS completed; putty 3x2 min.",
      "Pt with difficulty with dressing d/t shoulder pain. AAROM flexion w/ wand 3x10.",
      "Decreased ADL independence due to shoulder weakness. AROM shoulder flexion 2x10.",
      "Carrying the laundry basket had to be stopped immediately; seated scapular retraction 3x15.",
    ]) {
      const c = classifyNote(note, "97110");
      expect(c.direction, note).toBeNull();
      expect(c.functionalTerms, note).toEqual([]);
      expect(c.ignoredTerms.length, note).toBeGreaterThan(0);
    }
    expect(classifyNote("Heel drops off step 3x15, calf raises on stair 3x15.", "97530").direction).toBe("reads_as_exercise");
    // The same words with the task done still count, and a problem ends where the task done is named ("during").
    flagged(
      "97110",
      ["Stair negotiation 2 flights w/ rail, step-to pattern, CGA.", "Curb step up/down w/ SPC x4, min A."],
      "could_be_97530",
    );
    flagged("97110", ["Difficulty with sequencing during car transfers x3, min cues."], "could_be_97530");
  });

  it("exercise it did not know reads as exercise: foam rolling, thoracic mobility, quadruped, yoga, swallowing", () => {
    for (const note of [
      "Foam rolling quads and ITB 5 min.",
      "Thoracic mobility: thread the needle 2x10, open books.",
      "Quadruped rock backs 2x10, fire hydrants 3x10.",
      "Downward dog 3x30s, cobra, pigeon pose.",
      "Effortful swallow 3x10, tongue base retraction, EMST 5x5.",
      "Cat-camel x10, child's pose 3x30s.",
    ]) {
      const c = classifyNote(note, "97530");
      expect(c.direction, note).toBe("reads_as_exercise");
      expect(c.exerciseTerms.length, note).toBeGreaterThan(0);
    }
  });

  // Round 3: kinds found in the retired held-back half, each tested on notes written here.
  it("a report heading, a report verb or work done before the visit is not today's task", () => {
    for (const note of [
      // "incl." does not end the sentence of the heading; the heading holds until "Tx".
      "Hx: indep w/ household tasks incl. laundry and yard work. Tx: bridges 3x10, clamshells 3x10.",
      "He says carrying groceries up to the apartment went better; progressed rows to green band 3x15.",
      "Pt had already showered and dressed before arrival. Theraputty pinch 3x2 min, tendon glides x10.",
    ]) {
      const c = classifyNote(note, "97110");
      expect(c.direction, note).toBeNull();
      expect(c.functionalTerms, note).toEqual([]);
      expect(
        c.ignoredTerms.some((m) => m.reason === "reported"),
        note,
      ).toBe(true);
    }
    // The heading ends where today's session starts: the task done today still counts.
    flagged("97110", ["PLOF: indep w/ ADLs. Today practiced tub transfer w/ bench x4, CGA."], "could_be_97530");
  });

  it("lifting a limb, an unavailable simulator and a problem named after its words are no task", () => {
    const limb = classifyNote("Prone Ys 2x10; she lifted both arms to shoulder height without shrugging.", "97110");
    expect(limb.direction).toBeNull();
    expect(limb.explanation).toContain("lifting a limb is a movement, not lifting an object");
    flagged("97110", ["Lifted a 10 lb box from floor to counter x8 with a neutral spine."], "could_be_97530");
    const unavailable = classifyNote("Kitchen sim unavailable today so completed seated knee ext 3x15, ankle pumps.", "97530");
    expect(unavailable.direction).toBe("reads_as_exercise");
    expect(unavailable.explanation).toContain('negated by "unavailable"');
    for (const note of [
      "Getting off the toilet is her biggest concern, so we did hip ext and sit-to-stand prep: glute sets 3x10, bridges 3x12.",
      "Buttoning remains difficult; composite fist 3x10, putty 3x2 min.",
    ]) {
      const c = classifyNote(note, "97530");
      expect(c.direction, note).toBe("reads_as_exercise");
      expect(
        c.ignoredTerms.some((m) => m.detail.startsWith("a problem named")),
        note,
      ).toBe(true);
    }
  });

  it("a task on the schedule but not done, a job heading, someone else's chores and a short plan are not today's task", () => {
    for (const note of [
      "Laundry folding was on the schedule but the table was in use; seated rows 3x12, biceps curls 3x12.",
      "Work demands: pushing carts, lifting 30# totes overhead. Today: prone Ys 2x10, band rows 3x15.",
      "Her daughter now does the grocery shopping and yard work. Hand gripper 3x15, putty 3x2 min.",
      "Tub transfers next visit. Quad sets 2x10, SAQ 3x15.",
    ]) {
      const c = classifyNote(note, "97110");
      expect(c.direction, note).toBeNull();
      expect(c.functionalTerms, note).toEqual([]);
    }
    // The short plan is only a short clause: a task done in a longer clause before "next visit" still counts.
    flagged("97110", ["Practiced car transfers x4 with min A and will add curb work next visit."], "could_be_97530");
    // A job heading over dosed or simulated work heads the work done.
    flagged("97110", ["Job demands: pallet jack pulls x6, tote lifts floor to shoulder 3 rounds."], "could_be_97530");
    const other = classifyNote("Her daughter now does the grocery shopping. Putty 3x2 min.", "97110");
    expect(other.explanation).toContain("done by someone else");
  });

  it("a task called the hardest thing, or a goal with a colon after it, is not done; flights climbed are stairs", () => {
    const hardest = classifyNote("Kneeling to the floor is the most difficult task for him; bridges 3x12, wall sits 3x30s.", "97530");
    expect(hardest.direction).toBe("reads_as_exercise");
    const colon = classifyNote("Curb goal: up/down w/ cane. Today: LAQ 3x15, step-ups 2x10.", "97110");
    expect(colon.direction).toBeNull();
    expect(texts("Curb goal: up/down w/ cane. Today: LAQ 3x15, step-ups 2x10.", colon, "functionalGoalTerms")).toContain("curb");
    flagged("97110", ["Climbed two flights w/ 1 rail, reciprocal, SBA.", "3 flights up and down with rail, CGA."], "could_be_97530");
    // "wt shift" is a weight shift, not a transfer.
    flagged("97530", ["Wt shift transfers A/P in stance 2x15, hip abd 3x10."], "reads_as_exercise");
  });

  it("the home described, education about a task, another day, a lift device or an injury are not the task performed", () => {
    for (const note of [
      "Home layout: split level, 6 stairs between floors, walk-in shower. Tx: SAQ 3x15, glute sets 10x5s.",
      "Lives with son in a duplex and does her own laundry in the basement. Bridges 3x10, clamshells 3x12.",
      "Educated pt on joint protection when carrying groceries; wrist isometrics 10x5s.",
      "Indep w/ dressing per caregiver. Shoulder pulleys 5 min, wand flexion 2x10.",
      "Strained calf pushing a stroller uphill yesterday; gentle calf stretch 3x30s, ankle alphabet x2.",
      "Transported via mechanical lift to the mat. Supine heel slides 2x15, quad sets 2x10.",
      "She threw out her neck last month; chin tucks 2x10, scap retraction 3x10.",
    ]) {
      const c = classifyNote(note, "97110");
      expect(c.direction, note).toBeNull();
      expect(c.functionalTerms, note).toEqual([]);
      expect(c.ignoredTerms.length, note).toBeGreaterThan(0);
    }
    // Education during the task done, or with practice of it, still counts; so does a task that "was difficult"
    // (how it went today); help at home from someone else and a numbered goal heading do not.
    flagged(
      "97110",
      [
        "Educated on hip precautions during car transfers x3, min A.",
        "Educated on tub transfer sequence, then 4 trials w/ bench, CGA.",
        "Tub transfer was difficult for pt, required mod A x3.",
      ],
      "could_be_97530",
    );
    flagged(
      "97530",
      [
        "Her son helps with bathing at home. Seated knee ext 3x12, hip abd 3x12.",
        "LTG 3/5: indep bed mobility. Tx: bridges 3x10, SLR 3x10.",
      ],
      "reads_as_exercise",
    );
    // A caregiver helping in the session is the task trained.
    flagged("97530", ["Caregiver assists with car transfer x3 while pt sequences, CGA."], null);
  });

  it("SOAP headings, a problem that limits an ability, a painful task at home and reach-outs are not the task performed", () => {
    for (const note of [
      'S: "putting on my shoes is easier." O: hamstring strch 3x30s, LAQ 3x12. P: cont.',
      "Hip weakness affects her ability to climb stairs and get into the tub; leg press 3x10, hip abd 3x12.",
      "Carrying the laundry basket was very painful at home this morning, so tx was heat and isometrics 10x5s.",
      "Her neighbor typically does the vacuuming and laundry for her. Rows 3x12, wall push-ups 2x10.",
      "Serratus reach-outs 3x10 w/ band, prone Y's 2x10.",
    ]) {
      const c = classifyNote(note, "97110");
      expect(c.direction, note).toBeNull();
      expect(c.functionalTerms, note).toEqual([]);
    }
    // The subjective heading ends at the next heading: the task charted under "O:" counts.
    flagged("97110", ["S: pt wants to bake again. O: baked muffins standing at counter 15 min, SBA."], "could_be_97530");
    flagged(
      "97530",
      [
        "A: limited IADL indep d/t weak grip. O: gripper 3x15, putty 3x2 min.",
        "To get him back to carrying firewood, did farmer holds 3x30s and deadlifts 3x8.",
      ],
      "reads_as_exercise",
    );
  });

  it("today's dose of a task named as done earlier counts; reaching lying down or in a shoulder exercise does not", () => {
    flagged("97110", ["Stairs done last week w/ 2 rails; today x3 flights w/ 1 rail, SBA."], "could_be_97530");
    flagged("97110", ["Stairs done last week w/ 2 rails; today LAQ 3x12, SAQ 3x12."], null);
    flagged(
      "97110",
      ["Reaching toward ceiling w/ 1# in sidelying 2x12, prone Ts 2x10.", "Shoulder scaption w/ 2# reaching to eye level 3x10."],
      null,
    );
    // Reaching standing for objects is still the task.
    flagged("97110", ["Reaching for cans on upper shelf standing x10 ea arm, SBA."], "could_be_97530");
  });

  it("a functional word with 'goal(s)' after it is a goal, and more tasks: doors, escalators, deceleration, misspelt stairs", () => {
    const goal = classifyNote("Transfers/tub goal. Tx: LAQ 3x12, hip abd 3x12.", "97530");
    expect(goal.direction).toBe("reads_as_exercise");
    expect(goal.explanation).toContain('"Transfers" appears only as a goal');
    expect(texts("Transfers/tub goal. Tx: LAQ 3x12, hip abd 3x12.", goal, "functionalGoalTerms")).toContain("transfers");
    // "goal met" after a comma is not a goal scope over the task done before it.
    flagged("97110", ["Car transfers x4 w/ min A, goal met."], "could_be_97530");
    flagged(
      "97110",
      [
        "Pushed her walker through the narrow bathroom doorway x5 with verbal cues for sequencing.",
        "Practiced stepping on and off a moving walkway simulation; escalator entry x4 w/ CGA.",
        "Accel/decel drills over 15 yd, 3 cone cuts ea side.",
        "Stiars x2 flights w/ 1 rail, step-over-step, SBA.",
      ],
      "could_be_97530",
    );
  });
});

describe("ambiguous notes, for practices that review them as possible (reviewAmbiguous)", () => {
  it("is off by default: no possible outcome, the same directions as before", () => {
    for (const n of [...developmentNotes, ...labelledNotes]) {
      const c = classifyNote(n.note, n.cpt);
      expect("possible" in c, n.id).toBe(false);
    }
  });

  it("moves a note with strong functional and exercise evidence to possible, out of the counted direction", () => {
    const note = "Goblet squats 3x10, then squat to pick up laundry from the floor x5.";
    expect(classifyNote(note, "97110").direction).toBe("could_be_97530");
    const c = classifyNote(note, "97110", { reviewAmbiguous: true });
    expect(c.direction).toBeNull();
    expect(c.possible?.direction).toBe("could_be_97530");
    expect(c.possible?.reason).toContain('"pick up laundry"');
    expect(c.explanation).toMatch(/^Possible 97530, not counted: strong evidence both ways/);
    // The same on a 97530 line: functional work beside as much named exercise is a possible exercise note.
    const onActivities = classifyNote("Bridges 3x10, clamshells 3x10, then toilet transfer x1.", "97530", { reviewAmbiguous: true });
    expect(onActivities.direction).toBeNull();
    expect(onActivities.possible?.direction).toBe("reads_as_exercise");
  });

  it("flags functional work only attempted as possible", () => {
    const c = classifyNote("Car transfer attempted then stopped for pain; seated rest.", "97110", { reviewAmbiguous: true });
    expect(c.direction).toBeNull();
    expect(c.possible).toEqual({ direction: "could_be_97530", reason: 'the functional work was only attempted ("Car transfer")' });
  });

  it("flags an exercise that is also the movement of its functional goal as possible", () => {
    const note = "Mini squats 3x12 to prepare for lifting his toddler.";
    expect(classifyNote(note, "97110").direction).toBeNull();
    expect(classifyNote(note, "97110", { reviewAmbiguous: true }).possible?.direction).toBe("could_be_97530");
    // Only when the exercise is done for the goal, in the same sentence: a goal stated apart leaves it clear.
    expect(
      classifyNote("Goal: stairs to 2nd floor. Today: step-ups 3x10, lunges 2x10.", "97110", { reviewAmbiguous: true }).possible,
    ).toBeNull();
  });

  it("leaves clear notes alone", () => {
    for (const [note, cpt] of [
      // The squat is how the lift was done ("squat technique"), not an exercise beside it.
      ["Warm-up stretching, then lifted a laundry basket from floor to table x6 with cues for squat technique.", "97530"],
      ["Toilet transfers x5 with grab bar, CGA.", "97110"],
      ["Hip abduction 3x15, clamshells 3x15.", "97530"],
      ["Theraband rows 3x15.", "97110"],
    ] as const) {
      const c = classifyNote(note, cpt, { reviewAmbiguous: true });
      expect(c.possible, note).toBeNull();
      expect(c.direction, note).toBe(classifyNote(note, cpt).direction);
    }
  });

  it("prints, with the option on, the counted figures and how many ambiguous notes are shown as possible", () => {
    const withOption = (notes: readonly LabelledNote[]) =>
      notes.map((n) => ({ ...n, possible: classifyNote(n.note, n.cpt, { reviewAmbiguous: true }).possible ?? null }));
    const dev = withOption(developmentNotes);
    const ambiguous = dev.filter((n) => n.label === "ambiguous");
    const caught = ambiguous.filter((n) => n.possible !== null).length;
    const clearMoved = dev.filter((n) => n.label !== "ambiguous" && n.possible !== null).length;
    console.log(
      `development half with reviewAmbiguous: ${caught} of ${ambiguous.length} ambiguous notes shown as possible; ${clearMoved} clearly labelled notes moved to possible`,
    );
    const others: [string, readonly LabelledNote[]][] = [
      ["retired held-back half", retiredHeldBackNotes],
      ["held-back half", readNoteSet(HELD_BACK_FILE)],
    ];
    for (const [name, notes] of others) {
      const set = withOption(notes);
      const setAmbiguous = set.filter((n) => n.label === "ambiguous");
      console.log(
        `${name} with reviewAmbiguous: ${setAmbiguous.filter((n) => n.possible !== null).length} of ${setAmbiguous.length} ambiguous notes shown as possible; ${set.filter((n) => n.label !== "ambiguous" && n.possible !== null).length} clearly labelled notes moved to possible`,
      );
    }
    // Reached on the development half: 9 of 25 ambiguous notes caught, no clear note moved. Moving a clear
    // note takes it out of the counted loss, so that is held at zero; a third of the ambiguous ones caught.
    expect(caught * 3).toBeGreaterThanOrEqual(ambiguous.length);
    expect(clearMoved).toBe(0);
  });
});

describe("undercodingCandidates", () => {
  it("returns, per line in order, the classification of candidates and null otherwise", () => {
    const lines = [
      { cpt: "97165", note: "" },
      { cpt: "97110", note: "Toilet transfer training with controlled lowering." },
      { cpt: "97530", note: "Seated knee extension, 3 sets of 15 repetitions." },
      { cpt: "97110", note: "Theraband rows 3x15." },
      { cpt: "97530", note: null },
    ];
    const before = structuredClone(lines);
    const result = undercodingCandidates(lines);
    expect(result.map((r) => r?.direction ?? null)).toEqual([null, "could_be_97530", "reads_as_exercise", null, null]);
    expect(result[1]?.matchedTerms).toEqual(["toilet transfer"]);
    // A review aid: the billed lines are left exactly as they were.
    expect(lines).toEqual(before);
  });
});
