// Undercoding review aid: 97530 (therapeutic activities) versus 97110 (therapeutic exercise), DOMAIN.md §4.
// An explainable rule-based reading of the note text: which functional and exercise words it uses,
// in what context. It flags lines for a person to confirm or dismiss and never changes a billed code.
// Vocabulary, negation and context rules, and measured precision/recall: docs/undercoding.md.

/** The two review directions (FORMATS.md, undercoding export). */
export type UndercodingDirection = "could_be_97530" | "reads_as_exercise";

/** A vocabulary term found in a note: `note.slice(start, end)` is the matched text, for highlighting. */
export interface Match {
  /** The vocabulary term (canonical form, e.g. "car transfer", "stretch"). */
  term: string;
  start: number;
  end: number;
}

/** Why a matched term did not count. */
export type IgnoredReason = "negated" | "not_a_task" | "reported" | "planned";

export interface IgnoredMatch extends Match {
  kind: "functional" | "exercise";
  reason: IgnoredReason;
  /** Plain-language reason, shown in the explanation. */
  detail: string;
}

export interface NoteClassification {
  direction: UndercodingDirection | null;
  /** Functional-task terms describing what was done in the session (not negated, not a goal, not a report). */
  functionalTerms: Match[];
  /** Exercise terms (not negated, not a report or plan). */
  exerciseTerms: Match[];
  /** The distinct terms behind the classification, in order of appearance (for the export's matched_terms). */
  matchedTerms: string[];
  /** Which words led to the classification, in plain language. */
  explanation: string;
  /** Functional terms named only as the goal of the work ("to improve stair climbing"). */
  functionalGoalTerms: Match[];
  /** Terms found but not counted: negated, reported by the patient, planned, or not a task in context. */
  ignoredTerms: IgnoredMatch[];
}

export const THERAPEUTIC_EXERCISE_CODE = "97110";
export const THERAPEUTIC_ACTIVITIES_CODE = "97530";

// ─── Vocabulary ──────────────────────────────────────────────────────────────────────────

type Kind = "functional" | "exercise";

/** A context in which a vocabulary word is not what it seems ("transfer of care"). All given parts must hold. */
interface NotATask {
  /** Tested against the text before the match; should end with `$`. */
  before?: RegExp;
  /** Tested against the text after the match; should start with `^`. */
  after?: RegExp;
  /** Tested against the matched text itself. */
  self?: RegExp;
  why: string;
}

interface VocabularyEntry {
  term: string;
  kind: Kind;
  pattern: RegExp;
  /** Counts only as a stated goal (walking, driving): on its own it is not a therapeutic activity. */
  goalOnly?: boolean;
  notATask?: NotATask[];
}

function words(source: string): RegExp {
  return new RegExp(`\\b(?:${source})\\b`, "gi");
}

function functional(term: string, source: string, notATask: NotATask[] = []): VocabularyEntry {
  return { term, kind: "functional", pattern: words(source), notATask };
}

function goalOnly(term: string, source: string): VocabularyEntry {
  return { term, kind: "functional", pattern: words(source), goalOnly: true };
}

function exercise(term: string, source: string, notATask: NotATask[] = []): VocabularyEntry {
  return { term, kind: "exercise", pattern: words(source), notATask };
}

const POSSESSIVE = "(?:(?:the|a|an|his|her|their|pt'?s|patient'?s|own|clinic)\\s+)*";

const FUNCTIONAL_VOCABULARY: VocabularyEntry[] = [
  functional(
    "car transfer",
    [
      "(?:car|vehicle|auto)[\\s-]+transfers?",
      `transfer(?:s|red|ring)?\\s+(?:in(?:to)?\\s+and\\s+out\\s+of|in\\/out\\s+of|into|out\\s+of)\\s+${POSSESSIVE}(?:car|vehicle)`,
      `(?:get(?:s|ting)?\\s+|got\\s+)?(?:in(?:to)?\\s+and\\s+out\\s+of|in\\/out\\s+of|entering\\s+and\\s+exiting|enter(?:s|ed|ing)?|exit(?:s|ed|ing)?)\\s+${POSSESSIVE}(?:car|vehicle)`,
    ].join("|"),
  ),
  functional("toilet transfer", "(?:toilet|commode)[\\s-]+transfers?"),
  functional(
    "tub transfer",
    [
      "(?:tub|bathtub|shower)[\\s-]+(?:bench\\s+)?transfers?",
      "transfer(?:s|red|ring)?\\s+(?:in(?:to)?\\s+and\\s+out\\s+of|in\\/out\\s+of|into|out\\s+of)\\s+(?:the\\s+)?(?:tub|bathtub|shower)",
    ].join("|"),
  ),
  functional("bed transfer", "bed[\\s-]+(?:to|->|→)[\\s-]*(?:chair|w\\/c|wheelchair|commode)(?:\\s+transfers?)?"),
  functional(
    "floor transfer",
    [
      "floor[\\s-]+(?:transfers?|recovery)",
      "floor[\\s-]+to[\\s-]+(?:stand|chair)",
      "(?:get(?:s|ting)?|got|stand(?:s|ing)?)\\s+up\\s+(?:off|from)\\s+(?:the\\s+)?floor",
      "(?:ris(?:e|es|ing)|rose)\\s+(?:up\\s+)?(?:off|from)\\s+(?:the\\s+)?floor",
    ].join("|"),
  ),
  functional("slide board transfer", "slide[\\s-]?board(?:\\s+transfers?)?|transfer\\s+board"),
  functional("transfer", "transfer(?:s|red|ring)?", [
    { after: /^\s+(?:of\s+)?(?:care|records?|files?|charts?|services)\b/i, why: "a transfer of care or records" },
    {
      after:
        /^\s+(?:(?:him|her|them|pt|patient|the\s+patient)\s+)?(?:to|from)\s+(?:(?:a|an|the|another|other|different|new|his|her|their)\s+)*(?:clinics?|facility|facilities|locations?|office|providers?|therapists?|PT|OT|SLP|programs?|hospitals?|SNF|rehab|ED|ER|ICU|outpatient|inpatient|acute|neuro|home\s+health|HH|practices?|sites?|branch|services?|team|MD|physician|doctor|Dr|specialists?|skilled\s+nursing|nursing|ALF|assisted\s+living)(?=\W|$)/i,
      why: "a move between providers",
    },
    { before: /\b(?:weight|energy|care|file|record|data|call|fluid|heat)[\s-]*$/i, why: "a weight shift or other non-task transfer" },
    {
      self: /^transferred$/i,
      after:
        /^\s+(?:onto|to)\s+(?:the\s+)?(?:mat|table|plinth|treatment\s+table|high[\s-]?low\s+table|bike|NuStep|UBE|prone|supine|side[\s-]?lying|seated|sitting)\b/i,
      why: "positioning for the exercise, not transfer training",
    },
  ]),
  functional("simulate", "simulat(?:e|es|ed|ing|ion|ions|or|ors)"),
  functional("integrate", "integrat(?:e|es|ed|ing|ion)", [
    { before: /\bsensory[\s-]*$/i, why: "sensory integration is its own service" },
    {
      after:
        /^\s+(?:[\w'/-]+\s+){0,4}?(?:into|in)\s+(?:(?:the|his|her|their|pt'?s|a|home)\s+)*(?:HEP|home\s+(?:exercise\s+)?program|exercise\s+program|routine)\b/i,
      why: "exercises added to the home program",
    },
  ]),
  functional("dynamic", "dynamic(?:ally)?", [
    {
      after:
        /^\s+(?:(?:hamstring|hamstrings|quad|quadriceps|hip|calf|LE|UE)\s+)?(?:stretch\w*|warm[\s-]?ups?|splint\w*|orthos[ie]s|orthotic|brace|bracing|taping|tape)\b/i,
      why: "a dynamic stretch, warm-up or splint",
    },
  ]),
  functional("lift", "lift(?:s|ed|ing)?", [
    {
      before:
        /\b(?:straight[\s-]+)?(?:legs?|heels?|toes?|arms?|hips?|pelvic|chin|head|knees?|shoulders?|buttocks?|bridge|face|calf|calves|SLR)[\s-]*$/i,
      why: "an exercise (leg, heel or arm lifts)",
    },
    { after: /^\s+(?:restrictions?|precautions?|limits?|chair)\b/i, why: "lifting restrictions or precautions" },
    {
      after:
        /^\s+(?:(?:a|an|the)\s+)?(?:\d+(?:\.\d+)?\s*(?:lb|lbs|#|kg|pounds?)\s+)?(?:dumbbells?|DBs?|barbells?|free\s+weights?|hand\s+weights?|ankle\s+weights?|cuff\s+weights?|weights?|kettlebells?)\b/i,
      why: "lifting a gym weight is the exercise itself",
    },
  ]),
  functional("carry", "carr(?:y|ies|ied|ying)", [{ after: /^[\s-]*(?:over|out|on)\b/i, why: "carry-over or 'carried out', not carrying" }]),
  functional("catch", "catch(?:es|ing)?|caught", [
    { after: /^\s+(?:(?:his|her|their|my|your|a|the|one'?s)\s+)?breath\b/i, why: "catching one's breath" },
    { after: /^\s+up\b/i, why: "'catch up'" },
  ]),
  functional("throw", "throw(?:s|ing|n)?|threw|toss(?:es|ed|ing)?", [{ after: /^\s+up\b/i, why: "'throw up'" }]),
  functional("maneuver", "man(?:eu|oeu)v(?:er|ers|ered|ering|re|res|red|ring)", [
    {
      before: /\b(?:epley|semont|dix[\s-]*hallpike|valsalva|brandt[\s-]*daroff|liberatory|repositioning|lempert|gufoni|roll)[\s-]*$/i,
      why: "a vestibular or medical maneuver",
    },
  ]),
  functional("negotiate", "negotiat(?:e|es|ed|ing|ion)"),
  functional("navigate", "navigat(?:e|es|ed|ing|ion)", [
    { after: /^\s+(?:(?:the|a|an|his|her|their|patient|pt)\s+)*(?:portal|insurance|benefits)\b/i, why: "navigating paperwork" },
  ]),
  functional("retrieve", "retriev(?:e|es|ed|ing)", [
    {
      after:
        /^\s+(?:(?:the|outside|prior|old|previous|his|her|their|pt'?s|patient'?s|medical)\s+)*(?:records?|notes?|reports?|charts?|documentation|information|info|results?|images?|imaging|MRI|x-?rays?|words?|names?|vocabulary)\b/i,
      why: "retrieving records or words, not objects",
    },
  ]),
  functional("reach", "reach(?:es|ed|ing)?|reacher", [
    { after: /^\s+(?:[\w'-]+\s+){0,3}?(?:goals?|STGs?|LTGs?|plateau|MMI)\b/i, why: "reaching a goal or a plateau" },
    {
      after: /^\s+(?:(?:his|her|their|the|a|an|pt'?s|patient'?s)\s+)*(?:max(?:imum)?|full|end\s+range|target\s+(?:HR|heart))\b/i,
      why: "reaching a measure",
    },
    { after: /^\s+\d/, why: "reaching a measure" },
    { after: /^\s+(?:test|FRT)\b/i, why: "the Functional Reach Test is a measurement" },
    { before: /\b(?:within|out\s+of)\s*$/i, why: "'within reach'" },
  ]),
  functional(
    "functional task",
    "functional\\s+(?:tasks?|activit(?:y|ies)|training|reach(?:ing)?|mobility\\s+training|movement\\s+patterns?|drills?|lifting|transfers?)",
    [{ after: /^\s+(?:test|FRT)\b/i, why: "the Functional Reach Test is a measurement" }],
  ),
  functional(
    "perform task",
    "(?:perform(?:s|ed|ing)?|execut(?:e|es|ed|ing))\\s+(?:[\\w'/-]+\\s+){0,3}?(?:tasks?|ADLs?|IADLs?|duties|chores)",
  ),
  functional(
    "ADL",
    "I?ADLs?|activities\\s+of\\s+daily\\s+living|self[\\s-]care|daily\\s+(?:tasks|activities)|household\\s+(?:tasks|chores|activities)|home\\s+management|chores",
  ),
  functional(
    "kitchen task",
    [
      "kitchen\\s+(?:tasks?|activit(?:y|ies)|skills|mobility|IADLs?)",
      "meal\\s+prep(?:aration)?",
      "cook(?:ing)?",
      "bak(?:e|ing)",
      "(?:wash(?:ing)?|dry(?:ing)?)\\s+dishes",
      "dish\\s*washing",
      "(?:load(?:ing)?|unload(?:ing)?)\\s+(?:the\\s+)?dishwasher",
      "prepar(?:e|es|ed|ing)\\s+(?:a\\s+)?(?:simple\\s+|hot\\s+|cold\\s+)?(?:meal|sandwich|snack|lunch|breakfast|dinner|coffee|tea)",
    ].join("|"),
  ),
  functional(
    "stairs",
    [
      "stairs?|stairway|staircase",
      "(?:ascend|descend|climb)(?:s|ed|ing)?(?:\\s*(?:\\/|and)\\s*(?:ascend|descend)(?:s|ed|ing)?)?\\s+(?:(?:\\d+|a|one|two|three|four|full|the)\\s+)*(?:steps|flights?)",
      "flights?\\s+of\\s+steps",
    ].join("|"),
    [{ after: /^[\s-]*(?:master|climber|stepper|machine)\b/i, why: "a stair machine is exercise equipment" }],
  ),
  functional("curb", "curbs?"),
  functional("ramp", "ramps?", [{ after: /^\s+up\b/i, why: "'ramp up'" }]),
  functional("obstacles", "obstacles?(?:\\s+course)?|hurdles?"),
  functional(
    "bed mobility",
    [
      "bed\\s+mobility",
      "supine[\\s-]*(?:to|2|->|→)[\\s-]*sit(?:ting)?",
      "sit(?:ting)?[\\s-]*(?:to|2|->|→)[\\s-]*supine",
      "rolling",
      "log[\\s-]?roll(?:s|ing)?",
      "roll(?:s|ed)?\\s+(?:to\\s+)?(?:L|R|left|right|side|sidelying)",
      "scoot(?:s|ed|ing)?",
    ].join("|"),
    [
      { after: /^\s+(?:walker|pin)\b/i, why: "a rolling walker (a device) or rolling pin" },
      { before: /\bfoam[\s-]*$/i, why: "foam rolling is self-massage" },
    ],
  ),
  functional(
    "dressing",
    [
      "dress(?:ing|es|ed)?",
      "donn(?:ing|ed)|doff(?:ing|ed|s)?|don\\s*\\/\\s*doff",
      "buttoning|zipp(?:ing|er)",
      "(?:tying|tie)\\s+(?:(?:his|her|their)\\s+)?shoe(?:s|laces)?|shoe[\\s-]?tying",
      "sock\\s+aid",
      "put(?:s|ting)?\\s+on\\s+(?:(?:his|her|their|a|the)\\s+)?(?:socks?|shoes?|shirt|pants|jacket|coat|bra|TEDs|compression\\s+stockings)",
      "threading\\s+pants",
    ].join("|"),
    [
      {
        before: /\b(?:wound|surgical|incision(?:al)?|sterile|island|gauze|post[\s-]?op|bulky|compressive|foam|silver|tegaderm)[\s-]*$/i,
        why: "a wound dressing",
      },
      {
        after: /^\s+(?:change[sd]?|intact|c\/d\/i|clean|dry|removed|applied|in\s+place|saturated|reinforced)\b/i,
        why: "a wound dressing",
      },
    ],
  ),
  functional(
    "bathing and grooming",
    [
      "bath(?:e|es|ed|ing|s)?",
      "shower(?:s|ed|ing)?",
      "groom(?:ing)?",
      "hygiene",
      "brush(?:es|ed|ing)?\\s+(?:(?:his|her|their)\\s+)?(?:teeth|hair)",
      "comb(?:s|ed|ing)?\\s+(?:(?:his|her|their)\\s+)?hair",
      "shav(?:e|es|ed|ing)",
      "oral\\s+care",
      "toileting",
      "clothing\\s+management",
      "self[\\s-]feeding",
    ].join("|"),
    [
      { after: /^\s+(?:chair|seat|bench|head)\b/i, why: "bathroom equipment, not a bathing task" },
      { before: /\b(?:paraffin|whirlpool|contrast|ice|wax)[\s-]*$/i, why: "a modality (paraffin or whirlpool bath)" },
    ],
  ),
  functional(
    "household task",
    [
      "laundry|grocer(?:y|ies)|shopping|housework|housekeeping|house\\s+cleaning",
      "vacuum(?:s|ed|ing)?|sweep(?:s|ing)?|swept|mop(?:s|ped|ping)?",
      "yard\\s*work|gardening",
      "making\\s+(?:the\\s+|a\\s+)?bed|bed\\s+making",
      "wip(?:e|es|ed|ing)\\s+(?:down\\s+)?(?:the\\s+)?(?:counters?|tables?)",
      "put(?:s|ting)?\\s+away\\s+(?:[\\w'-]+\\s+){0,2}?(?:groceries|dishes|items|laundry|clothes|cans)",
      "fold(?:s|ed|ing)?\\s+(?:the\\s+)?(?:laundry|clothes|towels)",
      "child\\s*care",
      "caring\\s+for\\s+(?:(?:a|her|his|the|their)\\s+)?(?:newborn|baby|infant|child)",
    ].join("|"),
  ),
  functional(
    "work task",
    "(?:work|job)[\\s-]+(?:simulation|specific(?:\\s+tasks?)?|tasks?|duties|demands|site|station|conditioning|hardening)|occupational\\s+tasks",
  ),
  functional(
    "push/pull task",
    "(?:push|pull)(?:es|s|ed|ing)?(?:\\s*\\/\\s*(?:push|pull)(?:es|s|ed|ing)?)?\\s+(?:(?:a|an|the|loaded|weighted|heavy|empty|shopping|grocery|\\d+\\s*(?:lb|lbs|#|kg))\\s+)*(?:carts?|strollers?|wheelchairs?|w\\/c|lawn\\s*mowers?|mowers?|vacuums?|doors?|drawers?|wagons?|sleds?|wheelbarrows?)",
  ),
  functional(
    "opening containers",
    "open(?:s|ed|ing)?\\s+(?:(?:a|the|an|pill|medication|child-?proof|heavy)\\s+)?(?:jars?|doors?|containers?|bottles?|packages?|drawers?|cans?|lids?)",
  ),
  functional(
    "picking up objects",
    [
      "pick(?:s|ed|ing)?\\s+up\\s+(?:(?:a|the|an|small|\\d+|various|several)\\s+)*(?:objects?|items?|cones?|coins?|cups?|box(?:es)?|bags?|laundry|toys?|things)",
      "pick(?:s|ed|ing)?\\s+(?:[\\w'-]+\\s+){0,3}?up\\s+(?:off|from)\\s+(?:the\\s+)?floor",
    ].join("|"),
  ),
  functional(
    "fine motor task",
    [
      "handwriting",
      "writing\\s+(?:tasks?|checks?|(?:his|her|their)\\s+name|a\\s+(?:grocery\\s+)?list)",
      "typing|keyboarding",
      "manipulat(?:e|es|ed|ing)\\s+(?:[\\w'-]+\\s+){0,2}?(?:coins|buttons|utensils|fasteners|small\\s+objects|objects|keys)",
      "in[\\s-]hand\\s+manipulation",
      "utensil\\s+use|using\\s+utensils",
    ].join("|"),
  ),
  functional(
    "medication management",
    "medication\\s+management|(?:pill|medication)\\s+(?:organi[sz]er|box)|sort(?:s|ed|ing)?\\s+(?:[\\w'-]+\\s+)?(?:pills|medications)|bill\\s+pay(?:ing|ment)|money\\s+management|check\\s*book",
  ),
  functional(
    "wheelchair mobility",
    "(?:wheelchair|w\\/c)\\s+(?:mobility|propulsion|skills|management)|propel(?:s|led|ling)?\\s+(?:(?:the|a|own|his|her)\\s+)?(?:wheelchair|w\\/c)",
  ),
  functional(
    "community mobility",
    "community\\s+(?:mobility|access|re-?entry|reintegration|integration|outings?)|cross(?:es|ed|ing)?\\s+(?:a\\s+|the\\s+|simulated\\s+)?(?:street|road|intersection)|uneven\\s+(?:terrain|surfaces?|ground)",
  ),
  functional(
    "sport-specific task",
    [
      "sports?[\\s-]+specific",
      "agility(?:\\s+(?:drills?|ladder|training))?",
      "cutting\\s+drills?",
      "golf\\s+swing",
      "swing(?:s|ing)?\\s+(?:a\\s+)?(?:golf\\s+club|club|racquet|racket|bat)",
      "interval\\s+throwing",
    ].join("|"),
  ),
  functional("whole-body task", "whole[\\s-]body|multi[\\s-]?planar|multi[\\s-]plane|dual[\\s-]task(?:ing)?"),
  goalOnly(
    "walking",
    [
      "walk(?:s|ed|ing)?|ambulat(?:e|es|ed|ing|ion)|gait",
      "standing\\s+tolerance|sitting\\s+tolerance",
      "driv(?:e|es|ing)",
      "return(?:ing)?[\\s-]+to[\\s-]+(?:work|sports?|play|running|golf|tennis|prior\\s+level|PLOF|duty)",
      "running|jogging|hiking",
      "play(?:ing)?\\s+with\\s+(?:(?:his|her|their|the)\\s+)?(?:grandchildren|grandkids|kids|children|dog)",
    ].join("|"),
  ),
];

const EXERCISE_VOCABULARY: VocabularyEntry[] = [
  exercise("no functional goal", "no\\s+functional\\s+(?:goals?|components?|context|tasks?|activit(?:y|ies)|carry-?over|purpose)"),
  exercise(
    "strengthen",
    "strength(?:en|ens|ened|ening)|strength\\s+training|(?:progressive\\s+)?resist(?:ive|ance)\\s+(?:exercises?|training)",
  ),
  exercise("stretch", "stretch(?:es|ed|ing)?"),
  exercise("repetitions", "reps|repetitions?"),
  exercise("sets", "\\d+\\s+sets|sets\\s+of|(?:quad(?:riceps)?|glute(?:al)?|ham(?:string)?|adductor|abdominal|scapular|scap)\\s+sets"),
  exercise("sets x repetitions", "\\d+\\s*[x×]\\s*\\d+(?:\\.\\d+)?", [
    {
      after: /^\s*(?:ft|feet|foot|m|meters?|yards?|yd|min(?:ute)?s?|mins|hours?|hrs?|inch(?:es)?|lb|lbs|kg|steps|laps|trials|flights?)\b/i,
      why: "a distance, time or weight, not sets of repetitions",
    },
  ]),
  exercise("isolate", "isolat(?:e|es|ed|ing|ion)"),
  exercise("target", "target(?:s|ed|ing)?", [
    {
      before:
        /\b(?:reach(?:es|ed|ing)?|step(?:s|ped|ping)?|toss(?:es|ed|ing)?|throw(?:s|ing|n)?|kick(?:s|ed|ing)?|point(?:s|ed|ing)?|tap(?:s|ped|ping)?|hit(?:s|ting)?|aim(?:s|ed|ing)?)\s+(?:[\w'-]+\s+){0,3}$/i,
      why: "a target to reach, step or throw to, part of the activity",
    },
    { after: /^\s+(?:words?|sounds?|phonemes?|behaviou?rs?)\b/i, why: "a speech target" },
    {
      self: /^targets$/i,
      before: /\b(?:with|to|at|on|onto|toward|towards|visual|various|multiple|placed|floor|wall)\s+(?:[\w'-]+\s+)?$/i,
      why: "targets as objects to reach or step to, part of the activity",
    },
  ]),
  exercise("ROM", "(?:AA|A|P)?ROM|range\\s+of\\s+motion"),
  exercise("exercise", "exercis(?:e|es|ed|ing)|ther[\\s.-]?ex|therex|HEP|home\\s+exercise\\s+program"),
  exercise("straight leg raise", "straight[\\s-]+leg[\\s-]+(?:raises?|lifts?)|SLRs?"),
  exercise("slides", "heel\\s+slides?|wall\\s+slides?"),
  exercise("clamshells", "clam\\s*shells?"),
  exercise("bridges", "bridg(?:e|es|ing)"),
  exercise("raises", "(?:heel|calf|toe|heel\\s*\\/\\s*toe|lateral|front)\\s+raises?|(?:heel|toe|leg|arm)\\s+lifts"),
  exercise("quad exercise", "LAQs?|SAQs?|(?:long|short)[\\s-]+arc[\\s-]+quads?|(?:terminal\\s+)?knee\\s+extensions?|TKEs?"),
  exercise("curls", "(?:hamstring|bicep|biceps|wrist|leg|hammer)\\s+curls?|curls"),
  exercise(
    "weights",
    "leg\\s+press|ankle\\s+weights?|cuff\\s+weights?|dumbbells?|kettlebells?|free\\s+weights|weights|(?:shoulder|chest|bench)\\s+press|triceps?\\s+(?:extensions?|dips|press)",
  ),
  exercise("squats and lunges", "(?:mini[\\s-]+)?squats?|lunges?|step[\\s-]?ups?|step[\\s-]?downs?|heel\\s+drops?|eccentrics?"),
  exercise(
    "core exercise",
    "(?:wall\\s+)?push[\\s-]?ups|press[\\s-]?ups|(?:side\\s+)?planks?|dead\\s*bugs?|bird\\s*dogs?|pelvic\\s+tilts?|crunches|(?:core|abdominal)\\s+(?:stabilization|strengthening|activation|bracing)",
  ),
  exercise("rows", "rows|rowing|(?:seated|standing|band|cable|bent[\\s-]over)\\s+rows?|(?:lat\\s+)?pull[\\s-]?downs?"),
  exercise(
    "shoulder exercise",
    [
      "shoulder\\s+(?:flexion|abduction|extension|ER|IR|external\\s+rotation|internal\\s+rotation|shrugs?)",
      "(?:ER|IR)\\s*\\/\\s*(?:ER|IR)",
      "(?:external|internal)\\s+rotation",
      "scapular\\s+(?:retraction|squeezes|stabilization|punches|depression)|serratus\\s+punch(?:es)?",
      "Y\\s*\\/\\s*T\\s*\\/\\s*W|YTWs?",
      "chin\\s+tucks?|cervical\\s+retraction",
      "pendulums?|pulleys?|wand",
    ].join("|"),
  ),
  exercise("isometrics", "isometrics?|isotonics?"),
  exercise(
    "resistance band or putty",
    "thera[\\s-]?band|resistance\\s+bands?|(?:red|green|blue|yellow|black|silver|gold)\\s+(?:band|TB|theraband|tubing)|band\\s+walks|monster\\s+walks|thera[\\s-]?putty|putty",
  ),
  exercise(
    "hip and ankle exercise",
    [
      "hip\\s+(?:abduction|adduction|flexion|extension|ext|abd|add|ER|IR)",
      "(?:sidelying|side[\\s-]?lying|standing|prone)\\s+(?:hip\\s+)?(?:abduction|adduction)",
      "ankle\\s+(?:pumps|alphabet)|towel\\s+(?:scrunches|curls)|marble\\s+pick[\\s-]?ups",
      "marching|(?:ball|adductor)\\s+squeezes?|open\\s+book|leg\\s+swings",
    ].join("|"),
  ),
  exercise(
    "hand exercise",
    "tendon\\s+glides|composite\\s+fist|finger\\s+(?:flexion|extension|abduction|AROM|PROM)|thumb\\s+opposition|wrist\\s+(?:flexion|extension)|(?:forearm\\s+)?pronation\\s*\\/\\s*supination|grip\\s+strengthening",
  ),
  exercise(
    "endurance equipment",
    "UBE|NuStep|(?:recumbent|stationary|exercise|upright)\\s+bike|bike|bicycle|ergometer|treadmill|elliptical|stair[\\s-]*(?:master|climber|stepper)",
  ),
  exercise("conditioning", "(?:general|aerobic|cardiovascular|cardio)\\s+conditioning|endurance"),
  exercise("holds", "\\d+\\s*(?:s|sec|secs|second|seconds)\\s+holds?|holds?\\s+(?:for\\s+)?\\d+\\s*(?:s|sec|secs|second|seconds)"),
];

const VOCABULARY: readonly VocabularyEntry[] = [...FUNCTIONAL_VOCABULARY, ...EXERCISE_VOCABULARY];

// ─── Negation and context cues ───────────────────────────────────────────────────────────

/** Where a clause ends: sentence punctuation, semicolons, colons, and words that start a new clause. */
const CLAUSE_BOUNDARY =
  /[.!?](?=\s|$)|[;:\n\r]|\b(?:but|however|instead|then|although|though|except|whereas|followed\s+by)\b|\band\s+(?=[a-z]+ed\b)/gi;
/** Clause boundaries looking backwards from a trailing negation ("car transfer deferred"): commas count too. */
const CLAUSE_START = /[.!?](?=\s|$)|[;:,\n\r]|\b(?:but|however|instead|then|although|though|except|whereas)\b/gi;

/** A negation before the words it negates. */
const NEGATION_BEFORE =
  /\b(?:no|not|never|nor|cannot|can'?t|unable\s+to|did\s*n(?:o|')t|does\s*n(?:o|')t|do\s*n(?:o|')t|was\s*n(?:o|')t|were\s*n(?:o|')t|could\s*n(?:o|')t|declined?|refused?|refusing|avoid(?:s|ed|ing)?|deferred|omitted|contraindicated)\b/gi;
/** Negations about ability ("unable to", "did not"), cancelled when the clause says how it was done. */
const ABILITY_NEGATION = /^(?:not|cannot|can'?t|unable\s+to|did\s*n(?:o|')t|was\s*n(?:o|')t|were\s*n(?:o|')t|could\s*n(?:o|')t)$/i;
/** "Unable to perform tub transfer independently" means the transfer was trained with help: not a negation. */
const ABILITY_QUALIFIER =
  /\b(?:independently|consistently|fully|completely|safely|unassisted|alone|without\s+(?:[\w'-]+\s+)?(?:assist\w*|help|cues?|cueing|device|AD|rails?|support|A)\b|with(?:out)?\s+(?:min|mod|max|minimal|moderate|maximal)\b)/i;
/** "No pain with stairs", "not only": words after "no"/"not" that do not negate the task. */
const PSEUDO_NEGATION =
  /^\s+(?:pain|increase\w*|change\w*|c\/o|complaints?|difficulty|LOB|loss|assist\w*|AD|device|cues?|cueing|rest|breaks?|further|adverse|issues?|problems?|significant|longer|more|less|UE\s+support|hand\s+support|support|report\w*|SOB|dizziness|symptoms?|reaction|signs?|only|just|limited)\b/i;
/** A negation after the words it negates ("stairs not attempted", "car transfer deferred"). */
const NEGATION_AFTER =
  /\b(?:not\s+(?:performed|attempted|completed|tested|addressed|trialed|tolerated|done|practiced|practised|initiated|assessed)|deferred|declined|omitted|postponed|cancell?ed|withheld|contraindicated|on\s+hold)\b/gi;

/** The patient's report of life outside the session: not something done in the session. */
const REPORT_CUE =
  /\b(?:reports?|reported|reporting|states?|stated|stating|c\/o|complain(?:s|ed|ing)?(?:\s+of)?|history\s+of|hx\s+of|PLOF|prior\s+level(?:\s+of\s+function)?|per\s+(?:pt|patient)|denies|subjective)\b:?/gi;
/** A plan for later sessions: not done today. */
const PLAN_CUE =
  /\b(?:plan(?:s|ned)?(?:\s+to)?|next\s+(?:session|visit|week|time|tx|treatment|appt|appointment)|recommend(?:s|ed|ation)?|consider(?:ing)?|will\s+(?:progress|add|initiate|begin|start|try|attempt|assess|trial|reassess)|to\s+be\s+(?:addressed|assessed|initiated|trialed))\b:?/gi;
/** A purpose or goal: the functional task is what the work is for, not what was done. */
const GOAL_CUE =
  /\b(?:to\s+(?:improve|increase|enhance|promote|facilitate|allow|enable|support|prepare(?:\s+for)?|progress(?:\s+to(?:ward)?)?|restore|address|assist(?:\s+with)?|help(?:\s+with)?|return\s+to|reduce|decrease|maximi[sz]e|ease|regain|achieve|optimi[sz]e|be\s+able\s+to)|in\s+order\s+to|in\s+prep(?:aration)?\s+for|prep(?:aratory)?\s+for|preparing\s+for|for\s+(?:improved|improving|increased|better|safer|safe|independen(?:t|ce)|return|ease|future|eventual)|needed\s+for|required\s+for|necessary\s+for|(?:progress(?:ing|ion)?|work(?:ing)?)\s+toward(?:s)?|goals?|STGs?|LTGs?|so\s+(?:that\s+)?(?:pt|patient|she|he|they|the\s+patient)\s+(?:can|could|is\s+able\s+to|will)|will|in\s+anticipation\s+of|prerequisite\s+for)\b\s*:?/gi;
/** A bare "for" ("LAQ 3x10 for stair climbing") marks a goal for the next few words only. */
const FOR_CUE = /\bfor\b/gi;
const FOR_CUE_WORDS = 3;
/** …but after an assistance level ("min A for car transfers", "cues for transfers") it says how the task went. */
const ASSISTANCE_BEFORE_FOR =
  /\b(?:assist(?:ance|ed)?|A|CGA|SBA|supervision|guarding|cues?|cueing|cued|help|independent(?:ly)?|set[\s-]?up|Mod\s*I)\s*$/i;
/** A goal's scope ends where the note says what was being done "during" or "while" ("…to improve control during transfers"). */
const GOAL_SCOPE_END = /\b(?:during|while)\b/i;

/** A comma-separated chunk this short continues a list ("no lifting, carrying, reaching"). */
const LIST_ITEM_MAX_WORDS = 3;
/** …as does one joined by "or"/"nor", however long ("no lifting, carrying or reaching per precautions"). */
const LIST_END = /\b(?:or|nor)\b/i;

type ScopeKind = "negated" | "reported" | "planned" | "goal";

interface Scope {
  kind: ScopeKind;
  start: number;
  end: number;
  cue: string;
}

function wordCount(text: string): number {
  return text.match(/[A-Za-z0-9]+/g)?.length ?? 0;
}

/** End of the scope of a cue ending at `from`: the clause, continued over commas only through short list items. */
function forwardScopeEnd(text: string, from: number, maxWords = Number.POSITIVE_INFINITY): number {
  const boundary = new RegExp(CLAUSE_BOUNDARY.source, "gi");
  boundary.lastIndex = from;
  const hard = boundary.exec(text)?.index ?? text.length;
  let end = hard;
  let comma = text.indexOf(",", from);
  if (comma !== -1 && comma < hard) {
    end = comma;
    while (comma !== -1 && comma < hard) {
      const next = text.indexOf(",", comma + 1);
      const chunkEnd = next !== -1 && next < hard ? next : hard;
      const chunk = text.slice(comma + 1, chunkEnd);
      if (wordCount(chunk) > LIST_ITEM_MAX_WORDS && !LIST_END.test(chunk)) break;
      end = chunkEnd;
      comma = next !== -1 && next < hard ? next : -1;
    }
  }
  if (Number.isFinite(maxWords)) {
    const wordPattern = /[A-Za-z0-9][\w'/-]*/g;
    wordPattern.lastIndex = from;
    let seen = 0;
    for (let w = wordPattern.exec(text); w && w.index < end; w = wordPattern.exec(text)) {
      seen += 1;
      if (seen === maxWords) {
        end = Math.min(end, w.index + w[0].length);
        break;
      }
    }
  }
  return end;
}

/** Start of the clause that ends at `before` (for trailing negations). */
function clauseStart(text: string, before: number): number {
  const boundary = new RegExp(CLAUSE_START.source, "gi");
  let start = 0;
  for (let m = boundary.exec(text); m && m.index < before; m = boundary.exec(text)) {
    start = m.index + m[0].length;
  }
  return start;
}

function goalScopeEnd(text: string, from: number, end: number): number {
  const during = GOAL_SCOPE_END.exec(text.slice(from, end));
  return during ? from + during.index : end;
}

function cueScopes(text: string): Scope[] {
  const scopes: Scope[] = [];
  for (const cue of text.matchAll(NEGATION_BEFORE)) {
    const from = cue.index + cue[0].length;
    if (/^(?:no|not)$/i.test(cue[0]) && PSEUDO_NEGATION.test(text.slice(from))) continue;
    const end = forwardScopeEnd(text, from);
    if (ABILITY_NEGATION.test(cue[0]) && ABILITY_QUALIFIER.test(text.slice(from, end))) continue;
    scopes.push({ kind: "negated", start: from, end, cue: cue[0] });
  }
  for (const cue of text.matchAll(NEGATION_AFTER)) {
    scopes.push({ kind: "negated", start: clauseStart(text, cue.index), end: cue.index, cue: cue[0] });
  }
  for (const cue of text.matchAll(REPORT_CUE)) {
    const from = cue.index + cue[0].length;
    scopes.push({ kind: "reported", start: from, end: forwardScopeEnd(text, from), cue: cue[0] });
  }
  for (const cue of text.matchAll(PLAN_CUE)) {
    const from = cue.index + cue[0].length;
    scopes.push({ kind: "planned", start: from, end: forwardScopeEnd(text, from), cue: cue[0] });
  }
  for (const cue of text.matchAll(GOAL_CUE)) {
    const from = cue.index + cue[0].length;
    scopes.push({ kind: "goal", start: from, end: goalScopeEnd(text, from, forwardScopeEnd(text, from)), cue: cue[0] });
  }
  for (const cue of text.matchAll(FOR_CUE)) {
    if (ASSISTANCE_BEFORE_FOR.test(text.slice(Math.max(0, cue.index - 40), cue.index))) continue;
    const from = cue.index + cue[0].length;
    const end = goalScopeEnd(text, from, forwardScopeEnd(text, from, FOR_CUE_WORDS));
    scopes.push({ kind: "goal", start: from, end, cue: cue[0] });
  }
  return scopes;
}

const SCOPE_PRIORITY: readonly ScopeKind[] = ["negated", "reported", "planned", "goal"];

function scopeOf(scopes: Scope[], match: Match): Scope | undefined {
  const covering = scopes.filter((s) => s.start <= match.start && match.start < s.end);
  for (const kind of SCOPE_PRIORITY) {
    const scope = covering.find((s) => s.kind === kind);
    if (scope) return scope;
  }
  return undefined;
}

// ─── Matching ────────────────────────────────────────────────────────────────────────────

interface Candidate extends Match {
  entry: VocabularyEntry;
  order: number;
  notATask?: string;
}

const CONTEXT_WINDOW = 80;

function notATaskReason(text: string, entry: VocabularyEntry, start: number, end: number): string | undefined {
  const before = text.slice(Math.max(0, start - CONTEXT_WINDOW), start);
  const after = text.slice(end, end + CONTEXT_WINDOW);
  const self = text.slice(start, end);
  for (const rule of entry.notATask ?? []) {
    if (rule.before && !rule.before.test(before)) continue;
    if (rule.after && !rule.after.test(after)) continue;
    if (rule.self && !rule.self.test(self)) continue;
    return rule.why;
  }
  return undefined;
}

function overlaps(a: Match, b: Match): boolean {
  return a.start < b.end && b.start < a.end;
}

/** All vocabulary matches; on overlap the longest (then earliest, then first-listed) wins. */
function findTerms(text: string): { kept: Candidate[]; notATask: Candidate[] } {
  const candidates: Candidate[] = [];
  VOCABULARY.forEach((entry, order) => {
    for (const m of text.matchAll(entry.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) continue;
      candidates.push({ term: entry.term, start, end, entry, order, notATask: notATaskReason(text, entry, start, end) });
    }
  });
  candidates.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || a.order - b.order);
  const kept: Candidate[] = [];
  for (const c of candidates) {
    if (c.notATask === undefined && !kept.some((k) => overlaps(k, c))) kept.push(c);
  }
  const notATask: Candidate[] = [];
  for (const c of candidates) {
    if (c.notATask !== undefined && !kept.some((k) => overlaps(k, c)) && !notATask.some((k) => overlaps(k, c))) {
      notATask.push(c);
    }
  }
  return { kept, notATask };
}

// ─── Classification ──────────────────────────────────────────────────────────────────────

function toMatch(c: Match): Match {
  return { term: c.term, start: c.start, end: c.end };
}

function quote(text: string, m: Match): string {
  return `"${text.slice(m.start, m.end)}"`;
}

function quoteAll(text: string, ms: readonly Match[]): string {
  return ms.map((m) => quote(text, m)).join(", ");
}

function distinctTerms(ms: readonly Match[]): string[] {
  return [...new Set([...ms].sort((a, b) => a.start - b.start).map((m) => m.term))];
}

const SCOPE_DETAIL: Record<Exclude<ScopeKind, "goal">, (cue: string) => string> = {
  negated: (cue) => `negated by "${cue}"`,
  reported: (cue) => `reported by the patient ("${cue}"), not done in the session`,
  planned: (cue) => `planned ("${cue}"), not done in the session`,
};

/**
 * Reads a therapy note against its billed code for the 97530/97110 undercoding review (DOMAIN.md §4).
 * A 97110 line whose note describes a functional task being performed → `could_be_97530`; a 97530 line
 * whose note uses exercise words and names no functional task or functional goal → `reads_as_exercise`;
 * anything else, and every other code, → `null`. A review aid only: it never changes the billed code.
 */
export function classifyNote(note: string | null | undefined, cpt: string): NoteClassification {
  const text = note ?? "";
  const code = cpt.trim();
  const { kept, notATask } = findTerms(text);
  const scopes = cueScopes(text);

  const functionalTerms: Match[] = [];
  const functionalGoalTerms: Match[] = [];
  const exerciseTerms: Match[] = [];
  const ignoredTerms: IgnoredMatch[] = [];

  for (const c of notATask) {
    ignoredTerms.push({ ...toMatch(c), kind: c.entry.kind, reason: "not_a_task", detail: `not a task here: ${c.notATask}` });
  }
  for (const c of kept) {
    const scope = scopeOf(scopes, c);
    const kind = c.entry.kind;
    if (scope && scope.kind !== "goal") {
      ignoredTerms.push({ ...toMatch(c), kind, reason: scope.kind, detail: SCOPE_DETAIL[scope.kind](scope.cue) });
    } else if (kind === "exercise") {
      exerciseTerms.push(toMatch(c));
    } else if (scope?.kind === "goal") {
      functionalGoalTerms.push(toMatch(c));
    } else if (c.entry.goalOnly) {
      ignoredTerms.push({
        ...toMatch(c),
        kind,
        reason: "not_a_task",
        detail: "walking, gait and similar count only as a goal, not as a therapeutic activity",
      });
    } else {
      functionalTerms.push(toMatch(c));
    }
  }
  ignoredTerms.sort((a, b) => a.start - b.start);

  let direction: UndercodingDirection | null = null;
  if (code === THERAPEUTIC_EXERCISE_CODE && functionalTerms.length > 0) {
    direction = "could_be_97530";
  } else if (
    code === THERAPEUTIC_ACTIVITIES_CODE &&
    exerciseTerms.length > 0 &&
    functionalTerms.length === 0 &&
    functionalGoalTerms.length === 0
  ) {
    direction = "reads_as_exercise";
  }

  const matchedTerms =
    direction === "could_be_97530"
      ? distinctTerms(functionalTerms)
      : direction === "reads_as_exercise"
        ? distinctTerms(exerciseTerms)
        : distinctTerms([...functionalTerms, ...functionalGoalTerms, ...exerciseTerms]);

  const explanation = explain(text, code, direction, {
    functionalTerms,
    functionalGoalTerms,
    exerciseTerms,
    ignoredTerms,
  });

  return { direction, functionalTerms, exerciseTerms, matchedTerms, explanation, functionalGoalTerms, ignoredTerms };
}

interface Found {
  functionalTerms: Match[];
  functionalGoalTerms: Match[];
  exerciseTerms: Match[];
  ignoredTerms: IgnoredMatch[];
}

function explain(text: string, code: string, direction: UndercodingDirection | null, found: Found): string {
  const { functionalTerms, functionalGoalTerms, exerciseTerms, ignoredTerms } = found;
  const parts: string[] = [];
  if (code !== THERAPEUTIC_EXERCISE_CODE && code !== THERAPEUTIC_ACTIVITIES_CODE) {
    parts.push(`Not reviewed: only 97110 and 97530 lines are undercoding candidates (this line is ${code || "uncoded"}).`);
  } else if (text.trim() === "") {
    parts.push(`Billed ${code}; the note is empty, so there is nothing to review.`);
  } else if (direction === "could_be_97530") {
    parts.push(
      `Billed 97110, but the note describes a functional task: ${quoteAll(text, functionalTerms)}.` +
        " Therapeutic activities (97530) may fit; a person should confirm from the full record.",
    );
  } else if (direction === "reads_as_exercise") {
    parts.push(
      `Billed 97530, but the note reads as exercise: ${quoteAll(text, exerciseTerms)}, and names no functional task or functional goal.` +
        " Denial/downcode risk: the note should state the functional task, or the code should be reviewed.",
    );
  } else if (code === THERAPEUTIC_EXERCISE_CODE) {
    parts.push("Billed 97110 and the note describes no functional task being performed.");
    if (functionalGoalTerms.length > 0) {
      parts.push(`Functional words appear only as a goal: ${quoteAll(text, functionalGoalTerms)}.`);
    }
    if (exerciseTerms.length > 0) parts.push(`Exercise words: ${quoteAll(text, exerciseTerms)}.`);
  } else if (functionalTerms.length > 0) {
    parts.push(`Billed 97530 and the note describes a functional task: ${quoteAll(text, functionalTerms)}.`);
  } else if (functionalGoalTerms.length > 0) {
    parts.push(
      `Billed 97530; the note names a functional goal: ${quoteAll(text, functionalGoalTerms)}` +
        (exerciseTerms.length > 0 ? `, alongside exercise words: ${quoteAll(text, exerciseTerms)}.` : "."),
    );
  } else {
    parts.push("Billed 97530; the note uses no exercise words, so it does not read as exercise.");
  }
  if (ignoredTerms.length > 0 && text.trim() !== "") {
    parts.push(`Not counted: ${ignoredTerms.map((m) => `${quote(text, m)} (${m.detail})`).join("; ")}.`);
  }
  return parts.join(" ");
}

export interface NoteLine {
  cpt: string;
  note?: string | null;
}

/**
 * Classifies each line of a visit (or any list of lines), in order: the classification when the line is a
 * review candidate in either direction, otherwise null (DOMAIN.md §4).
 */
export function undercodingCandidates(lines: readonly NoteLine[]): Array<NoteClassification | null> {
  return lines.map((line) => {
    const classification = classifyNote(line.note, line.cpt);
    return classification.direction === null ? null : classification;
  });
}
