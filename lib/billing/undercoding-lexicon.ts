// The vocabulary of the undercoding review (DOMAIN.md §4), kept as data: each group of terms names its
// source. Functional terms describe "dynamic activities to improve functional performance" (CPT 97530);
// exercise terms describe exercise "to develop strength and endurance, range of motion and flexibility"
// (CPT 97110). Patterns are regular-expression sources matched as whole words, case-insensitive, against
// the normalised note (undercoding-normalise.ts); where two matches overlap the longest wins.
// How each group is used, and the context rules: docs/undercoding.md.
type Kind = "functional" | "exercise";

/** A context in which a vocabulary word is not what it seems ("transfer of care"). All given parts must hold. */
export interface NotATask {
  /** Tested against the text before the match; should end with `$`. */
  before?: RegExp;
  /** Tested against the text after the match; should start with `^`. */
  after?: RegExp;
  /** Tested against the matched text itself. */
  self?: RegExp;
  why: string;
}

export interface VocabularyEntry {
  term: string;
  /** Where the group of terms comes from (shown nowhere in the UI; kept so the lexicon can be checked). */
  source?: string;
  kind: Kind;
  pattern: RegExp;
  /** Counts only as a stated goal (walking, driving): on its own it is not a therapeutic activity. */
  goalOnly?: boolean;
  notATask?: NotATask[];
}

function words(source: string): RegExp {
  return new RegExp(`\\b(?:${source})\\b`, "gi");
}

/** A stair, step or curb that an exercise is done on ("heel drops off bottom step", "calf raises on stair"). */
const APPARATUS: NotATask = {
  before:
    /\b(?:drops?|raises?|step[\s-]?(?:ups?|downs?)|stretch\w*|taps?|foot|feet|lunges?|push[\s-]?ups?|dips?)\b[^.;,]{0,25}\b(?:off|on|from|onto|to)\s+(?:(?:the|a|bottom|top|first|2nd|second|clinic|low|\d+\s*(?:in|")?)\s+){0,3}$/i,
  why: "the stair or curb is what an exercise is done on",
};

function functional(term: string, source: string, notATask: NotATask[] = []): VocabularyEntry {
  return { term, kind: "functional", pattern: words(source), notATask };
}

function goalOnly(term: string, source: string): VocabularyEntry {
  return { term, kind: "functional", pattern: words(source), goalOnly: true };
}

function exercise(term: string, source: string, notATask: NotATask[] = []): VocabularyEntry {
  return { term, kind: "exercise", pattern: words(source), notATask };
}

/** Sets the source of a group of entries. */
function sourced(source: string, entries: VocabularyEntry[]): VocabularyEntry[] {
  return entries.map((e) => ({ ...e, source }));
}

export const SOURCES = {
  seeds: "DOMAIN.md §4 keyword bank and the four seed articles on 97530/97110 documentation (their model notes and ADL/IADL examples)",
  cpt97530:
    'CPT 97530 descriptor: "therapeutic activities, direct patient contact, use of dynamic activities to improve functional performance"',
  cpt97110: 'CPT 97110 descriptor: "therapeutic exercise to develop strength and endurance, range of motion and flexibility"',
  aotaOtpf:
    "AOTA Occupational Therapy Practice Framework (4th ed.): ADL (bathing, toileting, dressing, eating and feeding, functional mobility, grooming) and IADL (meal preparation and cleanup, home management, shopping, community mobility, financial and medication management, child rearing) categories; play and work as occupations",
  sportWork:
    "APTA sports and occupational physical therapy practice (return-to-sport drills: jumping, landing, cutting, sport strokes; work conditioning and job simulation by job demands)",
  cmsManual:
    "CMS Medicare Benefit Policy Manual, chapter 15, §220.3 (documentation must describe the skilled service and its functional purpose)",
  exerciseByRegion:
    "Therapeutic exercise by body region as taught in PT/OT practice (spine and thoracic mobility, yoga- and Pilates-derived mat work, self-myofascial release, hand therapy, vestibular adaptation)",
  ashaDysphagia:
    "ASHA practice portal, adult dysphagia: swallowing strengthening exercises (Shaker head lift, Masako, Mendelsohn and supraglottic maneuvers, effortful swallow, EMST, lingual strengthening)",
} as const;

const POSSESSIVE = "(?:(?:the|a|an|his|her|their|pt'?s|patient'?s|own|clinic)\\s+)*";

const SEED_FUNCTIONAL: VocabularyEntry[] = sourced(SOURCES.seeds, [
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
    {
      before: /\b(?:(?:weight|wt)(?:[\s-]+shift(?:s|ing)?)?|energy|care|file|record|data|call|fluid|heat)[\s-]*$/i,
      why: "a weight shift or other non-task transfer",
    },
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
    { before: /\b(?:hoyer|mechanical|ceiling|patient|sara|hydraulic|sit[\s-]to[\s-]stand|stand(?:ing)?)[\s-]*$/i, why: "a lift device" },
    {
      after:
        /^\s+(?:(?:his|her|their|both|the|one|each|R|L|right|left|B|bil(?:ateral)?|affected|involved)\s+)*(?:arms?|legs?|head|UEs?|LEs?|hips?|heels?|knees?|foot|feet|chin|chest|pelvis|buttocks?|trunk|shoulders?|elbows?|wrists?|hands?)\b/i,
      why: "lifting a limb is a movement, not lifting an object",
    },
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
  functional("throw", "throw(?:s|ing|n)?|threw|toss(?:es|ed|ing)?", [
    { after: /^\s+up\b/i, why: "'throw up'" },
    { after: /^\s+out\s+(?:(?:his|her|their|my|the)\s+)?(?:back|neck|shoulder|knee)\b/i, why: "'threw out his back', an injury" },
  ]),
  functional("maneuver", "man(?:eu|oeu)v(?:er|ers|ered|ering|re|res|red|ring)", [
    {
      before:
        /\b(?:epley|semont|dix[\s-]*hallpike|valsalva|brandt[\s-]*daroff|liberatory|repositioning|lempert|gufoni|roll|supraglottic|super[\s-]*supraglottic|mendelsohn|masako|swallow(?:ing)?|airway\s+protection|postural|compensatory|chin[\s-]*tuck|head[\s-]*turn|tongue[\s-]*hold)[\s-]*$/i,
      why: "a vestibular or medical maneuver",
    },
  ]),
  functional("negotiate", "negotiat(?:e|es|ed|ing|ion)"),
  functional("navigate", "navigat(?:e|es|ed|ing|ion)", [
    { after: /^\s+(?:(?:the|a|an|his|her|their|patient|pt)\s+)*(?:portal|insurance|benefits)\b/i, why: "navigating paperwork" },
    {
      after: /^\s+(?:(?:the|a|an|his|her|their|patient|pt)\s+)*(?:HEP|home\s+program|app|website|phone|tablet|computer|video)\b/i,
      why: "using a program or device, not moving through a space",
    },
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
    {
      after: /^[^.;]{0,40}\b(?:end\s+range|for\s+(?:A|AA|P)?ROM\b|(?:shoulder|elbow)\s+(?:flexion|abduction)\s+(?:A|AA)?ROM\b)/i,
      why: "reaching as a range-of-motion exercise",
    },
    {
      after: /^\s+(?:(?:toward|towards|to|for)\s+)(?:(?:the|his|her|their|both)\s+)?(?:toes|feet|ankles|shins|knees)\b/i,
      why: "reaching into a stretch",
    },
    { before: /\b(?:within|out\s+of)\s*$/i, why: "'within reach'" },
    { after: /^[\s-]*outs?\b/i, why: "reach-outs are a shoulder exercise" },
    {
      after: /^[^.;,]{0,30}\b(?:in|while|from)\s+(?:supine|side[\s-]?lying|prone|quadruped)\b/i,
      why: "reaching lying down is a range-of-motion or strength exercise",
    },
    {
      before: /\b(?:flexion|abduction|scaption|elevation)\s+(?:(?:with|w\/)\s+\d+(?:\.\d+)?\s*(?:#|lbs?|kg)\s+)?$/i,
      why: "reaching as part of a shoulder exercise",
    },
    {
      before: /\b(?:opposite|contralateral|alternating)\s+(?:arm|leg|UE|LE|arm\s*\/\s*leg)(?:\s*\/\s*(?:arm|leg))?\s*$/i,
      why: "an arm/leg reach in a quadruped or bird-dog exercise",
    },
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
      "cook(?:s|ed|ing)?",
      "bak(?:e|es|ed|ing)",
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
      "(?:completed|did|negotiated|managed|climbed)\\s+(?:\\d+|one|two|three|four|a)\\s+(?:steps|flights?)",
      "(?:\\d+|one|two|three|four)\\s+flights?(?=\\s+(?:w\\/|with|of|up|down|x\\s*\\d|using|reciprocal|step))",
      "\\d+\\s+steps\\s+(?:w\\/|with)\\s+(?:\\d\\s+|a\\s+|one\\s+|two\\s+|R\\s+|L\\s+|bilateral\\s+)?(?:rails?|HRs?|handrails?|SPC|cane|RW)",
    ].join("|"),
    [{ after: /^[\s-]*(?:master|climber|stepper|machine)\b/i, why: "a stair machine is exercise equipment" }, APPARATUS],
  ),
  functional("curb", "curbs?", [APPARATUS, { after: /^[\s-]*height\b/i, why: "a height, not a curb" }]),
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
      { before: /\b(?:sleep|vocal|voice|postural)\s+$/i, self: /^hygiene$/i, why: "sleep or vocal hygiene is education, not self-care" },
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
    "(?:work|job)[\\s-]+(?:simulation|specific(?:\\s+tasks?)?|tasks?|duties|demands|site|station)|occupational\\s+tasks|job\\s+(?:demands|sim\\w*)",
  ),
  functional(
    "push/pull task",
    "(?:push|pull)(?:es|s|ed|ing)?(?:\\s*\\/\\s*(?:push|pull)(?:es|s|ed|ing)?)?\\s+(?:(?:a|an|the|loaded|weighted|heavy|empty|shopping|grocery|\\d+\\s*(?:lb|lbs|#|kg))\\s+)*(?:carts?|strollers?|wheelchairs?|w\\/c|lawn\\s*mowers?|mowers?|vacuums?|doors?|drawers?|wagons?|sleds?|wheelbarrows?)",
  ),
  functional(
    "door task",
    "(?:walk|go|pass|step|come|move|get|wheel|propel|maneuver)\\w*\\s+(?:[\\w'/-]+\\s+){0,3}?through\\s+(?:(?:the|a|an|heavy|clinic|entrance|front|back|automatic|fire|bathroom|exterior|narrow|glass|swinging|main|closed|open)\\s+){0,4}(?:doors?|doorways?)",
  ),
  functional(
    "opening containers",
    "open(?:s|ed|ing)?\\s+(?:(?:a|the|an|pill|medication|child-?proof|heavy|clinic|front|fire|car|glass|screen|bathroom|exterior)\\s+){0,2}(?:jars?|doors?|containers?|bottles?|packages?|drawers?|cans?|lids?)",
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
    "community\\s+(?:mobility|access|re-?entry|reintegration|integration|outings?)|cross(?:es|ed|ing)?\\s+(?:a\\s+|the\\s+|simulated\\s+)?(?:street|road|intersection)|uneven\\s+(?:terrain|surfaces?|ground)|escalators?|elevators?|step(?:s|ped|ping)?\\s+(?:on\\s*\\/\\s*off|on\\s+and\\s+off|onto\\s+and\\s+off(?:\\s+of)?)\\s+(?:(?:a|the)\\s+)?(?:moving|escalator|bus|train|subway|boat|dock|platform)",
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
      "return(?:ing)?[\\s-]+to[\\s-]+(?:work|sports?|play|running|golf|tennis|soccer|hockey|dance|dancing|basketball|volleyball|baseball|softball|football|pickleball|skiing|swimming|lifting|prior\\s+level|PLOF|duty)",
      "running|jogging|hiking",
      "play(?:ing)?\\s+with\\s+(?:(?:his|her|their|the)\\s+)?(?:grandchildren|grandkids|kids|children|dog)",
    ].join("|"),
  ),
]);

const SEED_EXERCISE: VocabularyEntry[] = sourced(SOURCES.seeds, [
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
]);

/** Shorthand forms are rewritten before matching (undercoding-normalise.ts); these groups read the result. */
const SPORT: VocabularyEntry[] = sourced(SOURCES.sportWork, [
  functional(
    "jumping and landing",
    [
      "landings?",
      "(?:box|tuck|approach|broad|vertical|drop|split|lateral)\\s+jumps?",
      "jump(?:s|ed|ing)?(?:\\s+(?:stop|rope|and\\s+land\\w*))?",
      "hop(?:s|ped|ping)?(?:\\s+and\\s+(?:stick|hold))?",
      "stick\\s+landing|bounding|skipping|hopscotch",
    ].join("|"),
    [{ self: /^jump/i, after: /^\s+squats?\b/i, why: "jump squats are an exercise" }],
  ),
  functional(
    "sport drill",
    [
      "tennis|pickleball|volleyball|basketball|soccer|softball|baseball|football|hockey|lacrosse|golf|skiing|ski|snowboard\\w*",
      "rackets?|racquets?|ball\\s+feeds?|(?:fore|back)hands?|fh\\s*\\/\\s*bh|serv(?:e|es|ing)\\s+(?:motion|practice)",
      "dribbl(?:e|es|ed|ing)|chest\\s+pass(?:es)?|pass(?:es|ing)?\\s+(?:to|the\\s+ball)|receiving\\s+a\\s+pass|kick(?:s|ed|ing)?\\s+(?:at\\s+goal|(?:a|the)\\s+ball|ball)",
      "field(?:ing)?\\s+(?:ground\\s+)?balls?|pitching|batting|dinking|shuffle\\s+to|carioca|shuttle\\s+runs?|change(?:s|ing)?\\s+(?:of\\s+)?direction|changing\\s+direction|decel(?:eration)?\\s+(?:to\\s+stop|drills?)|accel\\w*\\s*(?:\\/|and)\\s*decel\\w*|sprints?\\s+to\\s+(?:a\\s+)?(?:stop|cut|cone)",
      "(?:half|full|shadow|practice)\\s+swings|swings?\\s+(?:w\\/|with)\\s+(?:racket|racquet|club|bat|\\d+\\s+iron)",
      "dance[\\s-]+specific|dance|ballet|pirouettes?|pli[eé]s?|relev[eé]s?|combination\\s+across\\s+the\\s+floor",
      "freestyle\\s+stroke|stroke\\s+(?:mechanics|practice)|cartwheels?|handstands?",
      "throws?\\s+to\\s+(?:1st|first|2nd|second|3rd|third|home|partner)|flat\\s+ground\\s+throws|throw(?:s|ing)?\\s+\\d+\\s*ft",
      "reactive\\s+(?:ball|cone|catch|drills?)|cone\\s+taps|to\\s+coach\\s+call",
    ].join("|"),
    [
      { before: /\b(?:medicine|med|weighted|plyo)\s+ball\s+$/i, why: "a medicine-ball throw is a strengthening exercise" },
      {
        after: /^[\s-]*(?:elbow|ball\s+squeez\w*|ball\s+(?:under|behind|between))\b/i,
        why: "tennis or golfer's elbow, or a ball used as exercise equipment",
      },
      { before: /\b(?:return(?:ing)?\s+to|returning|back\s+to)\s+$/i, why: "the sport is the goal here" },
    ],
  ),
]);

const WORK: VocabularyEntry[] = sourced(SOURCES.sportWork, [
  functional(
    "work task",
    [
      "drywall|ladder\\s+climbing|climb(?:s|ed|ing)?\\s+(?:the\\s+|a\\s+)?ladder|ladder|creeper(?:\\s+board)?|pallet(?:\\s+jack)?",
      "keyboard(?:ing)?|mouse\\s+tasks|filing|scanning|bagging|stocking|cashier\\s+tasks|patient\\s+boost|slide\\s+sheet",
      "(?:mimic|mimics|mimicked|mimicking)|overhead\\s+(?:wrench|tool)\\s+use|crouch\\s+to\\s+kneel|kneeling\\s+tasks",
    ].join("|"),
  ),
]);

const ADL_IADL: VocabularyEntry[] = sourced(SOURCES.aotaOtpf, [
  functional(
    "floor and low-surface transition",
    [
      "kneel(?:s|ing)?\\s+(?:down\\s+)?to\\s+(?:the\\s+)?floor|half[\\s-]?kneel|floor\\s+to\\s+stand|(?:tall|half)\\s+kneel\\s+to\\s+stand",
      "(?:get(?:s|ting)?|got)\\s+(?:back\\s+)?(?:up|on\\s+and\\s+off|on\\s*\\/\\s*off|in\\s*\\/\\s*out|in\\s+and\\s+out|on|off|into|out)\\b(?!\\s+of\\s+breath)",
      "(?:sit|sitting)[\\s-]+to[\\s-]+stand[\\s-]+(?:trans\\w+|training|from)|sit[\\s-]+to[\\s-]+stands?\\s+(?:x|\\d)|stand\\s+pivot|squat\\s+pivot|chair\\s+rise|low\\s+(?:chair|couch)",
      "pull(?:s|ed|ing)?\\s+to\\s+stand|cruis(?:e|es|ed|ing)",
    ].join("|"),
    [{ after: /^\s+(?:exercises?|3\s*x|\d\s*x\s*\d+\s+(?:w\/|with)\s+\d)/i, why: "sit-to-stand counted as an exercise" }],
  ),
  functional(
    "ADL task",
    [
      "hair\\s+washing|wash(?:es|ed|ing)?\\s+(?:(?:his|her|their)\\s+)?(?:hair|face|hands)|deodorant|applying\\s+(?:makeup|lotion)|combing",
      "opening\\s+(?:(?:his|her|their|a|the)\\s+)?(?:lunch\\s*box|food\\s+containers|pill\\s+bottles?)|lunch\\s*box",
      "(?:using|use\\s+of)\\s+(?:a\\s+)?(?:fork|spoon|knife|cup|straw)|drinking\\s+from|pour(?:s|ed|ing)?\\s+(?:water|milk|juice|from)|cutting\\s+(?:soft\\s+)?food|eat(?:s|ing)?\\s+(?:a\\s+)?(?:snack|meal)|self[\\s-]?feeding",
      "(?:paying|pay)\\s+(?:the\\s+)?(?:fare|bills?)|bill\\s+paying|phone\\s+use|ordering\\s+task",
      "bus\\s+step|clothing\\s+mgmt|clothing\\s+management|management\\s+of\\s+walker|(?:walker|RW)\\s+through\\s+doorway|threshold",
      "putting\\s+(?:dishes|cans|items|groceries)\\s+away|(?:un)?load(?:s|ed|ing)?\\s+(?:the\\s+|a\\s+)?(?:dishwasher|washer|dryer|groceries|car|trunk|front\\s+loader|dishes|cart)|folding\\s+(?:at\\s+(?:the\\s+)?table|towels|clothes|laundry)|tucking\\s+sheet|pillowcase",
    ].join("|"),
  ),
]);

const PLAY: VocabularyEntry[] = sourced(SOURCES.aotaOtpf, [
  functional(
    "play",
    [
      "playground|(?:down|on)\\s+the\\s+slide|crawl(?:s|ed|ing)?\\s+(?:through|under|over)|tunnel|trampoline|tricycle|scooter\\s+board",
      "riding\\s+(?:a\\s+)?(?:tricycle|bike|scooter)|steering|stringing\\s+beads|puzzles?|pretend\\s+play|play\\s*-?dough|animal\\s+walks",
      "scissor\\s+(?:cutting|skills)|cutting\\s+(?:along|on)\\s+(?:a\\s+)?line|throw\\s*\\/\\s*catch|ball\\s+toss",
    ].join("|"),
  ),
]);

const EXERCISE_BY_REGION: VocabularyEntry[] = sourced(SOURCES.exerciseByRegion, [
  exercise(
    "spine and thoracic mobility",
    [
      "foam[\\s-]?roll(?:s|er|ing)?|T[\\s-]?spine\\s+(?:mobs?|mobility|ext(?:ension)?|rotations?)|thoracic\\s+(?:mobility|ext(?:ension)?|rotations?|mobs?)",
      "thread\\s+the\\s+needle|cat[\\s/-]*(?:cow|camel)|child'?s\\s+pose|McKenzie|press[\\s-]?ups|SNAGs|quadruped(?:\\s+\\w+)?",
      "rock\\s+backs|fire\\s+hydrants|donkey\\s+kicks|hip\\s+circles|90\\s*\\/\\s*90(?:\\s+(?:switches|hip))?|lacrosse\\s+ball|trigger\\s+(?:pt|point)\\s+release",
    ].join("|"),
  ),
  exercise(
    "yoga and Pilates",
    "yoga|pilates|reformer|downward\\s+dog|pigeon(?:\\s+(?:pose|stretch))?|cobra|warrior\\s+(?:I{1,3}|1|2|3)?|poses?|hundreds",
  ),
  exercise(
    "strength exercise",
    [
      "nordic\\s+curls?|copenhagen(?:\\s+planks?)?|RDLs?|deadlifts?|goblet\\s+squats?|pallof\\s+press|overhead\\s+press|lat\\s+raises?",
      "nerve\\s+glides|neural\\s+glides|scap(?:ular)?\\s+setting|hand\\s+gripper|gripper|pinch(?:\\s+strengthening)?|grip\\s+strength",
      "digiflex|finger\\s+walks|opposition|eccentrics|glute\\s+bridge|rower",
    ].join("|"),
  ),
  exercise("vestibular exercise", "VOR(?:\\s*x\\s*[12])?|gaze\\s+stabili[sz]ation|saccades|habituation"),
]);

const DYSPHAGIA_EXERCISE: VocabularyEntry[] = sourced(SOURCES.ashaDysphagia, [
  exercise(
    "swallowing exercise",
    [
      "(?:shaker\\s+)?head\\s+lifts?|shaker|CTAR|chin\\s+tucks?\\s+against\\s+resistance|jaw\\s+opening\\s+against\\s+resistance",
      "effortful\\s+swallows?|masako(?:\\s+maneuver)?|mendelsohn(?:\\s+maneuver)?|(?:super[\\s-]*)?supraglottic\\s+swallow(?:\\s+maneuver)?",
      "tongue\\s+(?:press|hold|base\\s+retraction|lateralization|push)|lateral\\s+tongue\\s+push|lip\\s+(?:press|rounding|retraction)|lingual\\s+strengthening|IOPI|EMST",
      "oral\\s+motor(?:\\s+exercises)?|swallow(?:ing)?\\s+(?:exercises|strengthening)",
    ].join("|"),
  ),
]);

/** Every term, functional first; the source of each group is in `source`. */
export const VOCABULARY: readonly VocabularyEntry[] = [
  ...SEED_FUNCTIONAL,
  ...SPORT,
  ...WORK,
  ...ADL_IADL,
  ...PLAY,
  ...SEED_EXERCISE,
  ...EXERCISE_BY_REGION,
  ...DYSPHAGIA_EXERCISE,
];
