// Documentation text per service line. Therapeutic-activity notes use functional language
// (transfers, carrying, simulating home and community tasks); therapeutic-exercise notes use
// exercise language (sets, repetitions, strengthening, stretching) with no functional goal.
// The generator deliberately puts some functional notes on 97110 lines (undercoding
// candidates) and some exercise notes on 97530 lines (downcoding risk): DOMAIN.md §4.
import type { Random } from "./random";

type Template = (rng: Random) => string;

const ASSIST = [
  "contact guard assist",
  "stand-by assist",
  "minimal assist",
  "moderate assist of one",
  "supervision",
  "modified independence",
];
const DEVICES = ["a rolling walker", "a single-point cane", "a quad cane", "no device", "a rollator"];
const BANDS = ["yellow", "red", "green", "blue"];
const REGIONS = [
  "the lumbar paraspinals",
  "the right upper trapezius",
  "the left knee",
  "the right shoulder",
  "the cervical spine",
  "the left ankle",
  "the thoracic spine",
];

const sets = (rng: Random) => rng.int(2, 3);
const reps = (rng: Random) => rng.pick([8, 10, 12, 15]);
const weight = (rng: Random) => rng.pick([1, 2, 3, 4, 5]);

/** Functional, whole-body task language (reads as 97530). */
export const FUNCTIONAL_NOTES: readonly Template[] = [
  (r) =>
    `Sit-to-stand transfers from low chair x${r.int(5, 12)} and car transfer simulation with ${r.pick(ASSIST)}; cues for hand placement and hip hinge.`,
  (r) =>
    `Simulated grocery retrieval from floor to counter height, carrying a ${weight(r) + 3} lb bag ${r.pick([25, 40, 50, 75])} ft; dynamic trunk control with ${r.pick(ASSIST)}.`,
  (r) => `Stair negotiation ${r.int(4, 14)} steps with rail while carrying a laundry basket to simulate the home task; ${r.pick(ASSIST)}.`,
  (r) => `Toilet transfer training with grab bar x${r.int(3, 8)}; integrated standing balance for clothing management during the transfer.`,
  (r) =>
    `Kitchen task simulation: reaching to upper cabinet and retrieving dishes in standing, ${r.int(4, 10)} min tolerance; ${r.pick(ASSIST)}.`,
  (r) =>
    `Floor-to-stand transfer practice for fall recovery, ${r.int(2, 5)} trials with ${r.pick(ASSIST)}; patient able to execute the half-kneel strategy.`,
  (r) =>
    `Dynamic reaching outside base of support to retrieve objects from a shelf, weight shifting to simulate bed making; ${r.pick(ASSIST)}.`,
  (r) =>
    `Lifting and carrying a ${weight(r) * 3 + 5} lb box from floor to waist height x${r.int(5, 10)} to simulate work demands; body mechanics cues.`,
  (r) => `Ball catch and throw in standing on foam, ${r.int(15, 30)} trials, integrating balance reactions with an upper extremity task.`,
  (r) => `Navigate an obstacle course simulating the community (curb, uneven surface, doorway) with ${r.pick(DEVICES)}; ${r.pick(ASSIST)}.`,
  (r) => `Tub transfer bench training and simulated shower entry; patient performed ${r.int(2, 5)} trials with ${r.pick(ASSIST)}.`,
  (r) =>
    `Laundry task simulation: lifting wet clothes from washer to dryer, ${r.int(2, 4)} loads, with squat mechanics and trunk rotation.`,
  (r) =>
    `Bed mobility and supine-to-sit transfer practice x${r.int(4, 8)}, then pushing a cart ${r.pick([50, 100, 150])} ft to simulate shopping.`,
  (r) =>
    `Meal preparation task at counter: carry pot from stove to sink, ${r.int(3, 6)} rounds of the sequence, ${r.pick(ASSIST)} for balance.`,
];

/** Isolated strengthening / range-of-motion language with no functional goal (reads as 97110). */
export const EXERCISE_NOTES: readonly Template[] = [
  (r) => `${sets(r)}x${reps(r)} seated knee extension with ${weight(r)} lb ankle weight to strengthen quadriceps.`,
  (r) => `Supine straight leg raise ${sets(r)}x${reps(r)} and bridges ${sets(r)}x${reps(r)} for hip and quad strengthening.`,
  (r) => `Theraband shoulder external rotation, ${r.pick(BANDS)} band, ${sets(r)}x${reps(r)} for rotator cuff strengthening.`,
  () => "Hamstring and calf stretch 3 x 30 seconds each, bilateral.",
  (r) => `Recumbent bike ${r.int(6, 10)} min warm-up, then sidelying hip abduction ${sets(r)}x${reps(r)}.`,
  (r) => `AAROM shoulder flexion with wand ${sets(r)}x${reps(r)}; isolated scapular retraction ${sets(r)}x${reps(r)}.`,
  (r) => `Heel raises ${sets(r)}x${reps(r)} and mini squats ${sets(r)}x${reps(r)} to target gastroc and quad strength.`,
  (r) => `Cervical ROM: chin tucks ${sets(r)}x${reps(r)}, upper trapezius stretch 3 x 30 sec.`,
  (r) =>
    `Grip strengthening with ${r.pick(["yellow", "red", "green"])} putty ${r.int(4, 8)} min; wrist curls ${weight(r)} lb ${sets(r)}x${reps(r)}.`,
  (r) => `Isometric quad sets ${sets(r)}x${reps(r)} with 5 second hold; ankle pumps x${r.pick([20, 30])}.`,
  (r) => `Leg press ${r.pick([40, 50, 60, 70])} lb ${sets(r)}x${reps(r)}; standing hip extension with cable ${sets(r)}x${reps(r)}.`,
  (r) => `Clamshells with band ${sets(r)}x${reps(r)} and prone hip extension ${sets(r)}x${reps(r)} to strengthen gluteals.`,
];

const NEURO_NOTES: readonly Template[] = [
  (r) =>
    `Static and dynamic balance training on foam with eyes closed, tandem and single-leg stance ${r.int(3, 5)} x 20 sec; ${r.pick(ASSIST)}.`,
  (r) => `Proprioceptive training with weight shifts and perturbations in standing, ${r.int(8, 15)} min; improved postural responses.`,
  () => "Neuromuscular re-education for scapular control with tactile cues and PNF diagonals; improved motor control.",
  (r) => `Vestibular gaze stabilization (VOR x1) ${r.int(3, 4)} x 30 sec with head turns; mild dizziness resolved with rest.`,
];
const GAIT_NOTES: readonly Template[] = [
  (r) =>
    `Gait training with ${r.pick(DEVICES)} ${r.pick([100, 150, 200, 300])} ft x${r.int(2, 4)} on level surfaces; cues for step length and heel strike.`,
  (r) => `Gait training on ramp and uneven surface with ${r.pick(DEVICES)}; ${r.pick(ASSIST)}; cadence improving.`,
  () => "Pre-gait weight shifting and step-through pattern at parallel bars; decreased trunk lean noted.",
];
const MANUAL_NOTES: readonly Template[] = [
  (r) =>
    `Soft tissue mobilization to ${r.pick(REGIONS)} and grade ${r.pick(["II", "III", "III-IV"])} joint mobilizations; pain decreased from ${r.int(5, 8)}/10 to ${r.int(2, 4)}/10.`,
  (r) => `Manual therapy: myofascial release and trigger point release to ${r.pick(REGIONS)}; improved tissue extensibility.`,
  () => "Passive joint mobilization to the glenohumeral joint, posterior glides; improved end-range mobility.",
];
const SELF_CARE_NOTES: readonly Template[] = [
  (r) => `Lower body dressing training with reacher and sock aid; patient donned socks with ${r.pick(ASSIST)}.`,
  () => "Home safety and energy conservation training for meal preparation; patient verbalized pacing strategies.",
  (r) => `Bathing and grooming training at sink in standing, ${r.int(5, 10)} min; instructed in adaptive equipment use.`,
  () => "Instructed caregiver in safe shower routine and use of tub bench; return demonstration completed.",
];
const DIAGNOSES = [
  "s/p right total knee arthroplasty",
  "s/p left total hip arthroplasty",
  "chronic low back pain with radiculopathy",
  "right rotator cuff repair",
  "falls with gait instability",
  "CVA with left hemiparesis",
  "Parkinson's disease",
  "cervical radiculopathy",
  "left distal radius fracture, ORIF",
  "deconditioning after hospital stay",
  "lumbar spinal stenosis",
  "right ankle sprain",
];
const SLP_TREATMENT_NOTES: readonly Template[] = [
  (r) =>
    `Expressive language treatment with word retrieval tasks; ${r.pick([60, 70, 75, 80, 85])}% accuracy with ${r.pick(["minimal", "moderate"])} cues.`,
  (r) => `Articulation therapy for /${r.pick(["r", "s", "l", "th"])}/ at word level; ${r.pick([55, 65, 75, 85])}% accuracy.`,
  () => "Cognitive-communication treatment: sequencing and recall of a 4-step task; recall improved with written cues.",
  (r) => `Fluency shaping with easy onset in structured conversation, ${r.int(3, 6)} min; dysfluencies reduced.`,
];
const SWALLOW_NOTES: readonly Template[] = [
  () => "Swallowing treatment: chin tuck with thin liquids and effortful swallow x10; no overt signs of aspiration.",
  () => "Dysphagia treatment: Masako maneuver and Shaker exercise; trials of soft solids tolerated.",
];

function evaluationNote(rng: Random, code: string): string {
  const dx = rng.pick(DIAGNOSES);
  if (code === "92522")
    return "Evaluation of speech sound production; standardized articulation testing completed, plan of care established.";
  if (code === "92523") {
    return `Evaluation of speech sound production and language comprehension/expression; ${rng.pick(["mild", "moderate"])} deficits, plan of care established.`;
  }
  if (code === "97164" || code === "97168") {
    return `Re-evaluation: ${dx}; progress toward goals reviewed, plan of care updated for ${rng.int(4, 8)} more weeks.`;
  }
  const complexity = code === "97161" || code === "97165" ? "low" : code === "97162" || code === "97166" ? "moderate" : "high";
  return `Initial evaluation (${complexity} complexity): ${dx}. Plan of care ${rng.int(2, 3)}x/week for ${rng.int(4, 12)} weeks.`;
}

/** Functional-language note, as a real 97530 line would carry. */
export function functionalNote(rng: Random): string {
  return rng.pick(FUNCTIONAL_NOTES)(rng);
}

/** Exercise-language note, as a real 97110 line would carry. */
export function exerciseNote(rng: Random): string {
  return rng.pick(EXERCISE_NOTES)(rng);
}

/** The note for a line whose content matches its code. */
export function noteForCode(rng: Random, cpt: string): string {
  switch (cpt) {
    case "97530":
      return functionalNote(rng);
    case "97110":
      return exerciseNote(rng);
    case "97112":
      return rng.pick(NEURO_NOTES)(rng);
    case "97116":
      return rng.pick(GAIT_NOTES)(rng);
    case "97140":
      return rng.pick(MANUAL_NOTES)(rng);
    case "97535":
      return rng.pick(SELF_CARE_NOTES)(rng);
    case "92507":
      return rng.pick(SLP_TREATMENT_NOTES)(rng);
    case "92526":
      return rng.pick(SWALLOW_NOTES)(rng);
    default:
      return evaluationNote(rng, cpt);
  }
}
