// Undercoding review aid: 97530 (therapeutic activities) versus 97110 (therapeutic exercise), DOMAIN.md §4.
// An explainable rule-based reading of the note text: which functional and exercise words it uses,
// in what context. It flags lines for a person to confirm or dismiss and never changes a billed code.
// Vocabulary (undercoding-lexicon.ts, with sources), shorthand (undercoding-normalise.ts), negation and
// context rules, and measured precision/recall: docs/undercoding.md.

import { VOCABULARY, type VocabularyEntry } from "./undercoding-lexicon";
import { normaliseNote, originalSpan } from "./undercoding-normalise";

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
  /** The rule that decided the outcome, in plain language (RULES). */
  rule: string;
  /** Functional terms named only as the goal of the work ("to improve stair climbing"). */
  functionalGoalTerms: Match[];
  /** Terms found but not counted: negated, reported by the patient, planned, or not a task in context. */
  ignoredTerms: IgnoredMatch[];
  /**
   * Only with `{ reviewAmbiguous: true }`: a line the reader finds ambiguous, shown for review as "possible"
   * and kept out of the counted loss (its `direction` is then null). Null otherwise.
   */
  possible?: PossibleFlag | null;
}

/** An ambiguous note: the direction it might have, and why it is not counted. */
export interface PossibleFlag {
  direction: UndercodingDirection;
  reason: string;
}

export interface ClassifyOptions {
  /** The practice reviews ambiguous notes separately ("possible"), outside the counted loss. Off by default. */
  reviewAmbiguous?: boolean;
}

/** The rules that decide an outcome, as shown beside each flag. */
export const RULES = {
  could_be_97530: "a 97110 line whose note charts a functional task performed in the session",
  reads_as_exercise: "a 97530 line whose note uses exercise words and charts no functional task performed",
  possible: "an ambiguous note, set apart as possible by the practice's option and not counted",
  none: "no rule applies: neither a functional task on 97110 nor exercise alone on 97530",
  not_reviewed: "only 97110 and 97530 lines are reviewed",
} as const;

export const THERAPEUTIC_EXERCISE_CODE = "97110";
export const THERAPEUTIC_ACTIVITIES_CODE = "97530";

// ─── Negation and context cues ───────────────────────────────────────────────────────────

/** Where a clause ends: sentence punctuation, semicolons, colons, and words that start a new clause. A full stop
 * after a common abbreviation ("incl.", "e.g.", "approx.", "vs.") ends nothing: "indep w/ all ADLs incl. stairs". */
const CLAUSE_BOUNDARY =
  /(?<!\b(?:incl|e\.g|i\.e|approx|vs|esp|Dr|cf))[.!?](?=\s|$)|[;:\n\r]|\b(?:but|however|instead|then|although|though|except|whereas|followed\s+by)\b|\b(?:and|so)\s+(?=[a-z]+ed\b)/gi;
/** Clause boundaries looking backwards from a trailing negation ("car transfer deferred"): commas count too. */
const CLAUSE_START =
  /(?<!\b(?:incl|e\.g|i\.e|approx|vs|esp|Dr|cf))[.!?](?=\s|$)|[;:,\n\r]|\b(?:but|however|instead|then|although|though|except|whereas)\b/gi;

/** A negation before the words it negates. */
const NEGATION_BEFORE =
  /\b(?:no|not|never|nor|cannot|can'?t|unable\s+to|did\s*n(?:o|')t|does\s*n(?:o|')t|do\s*n(?:o|')t|was\s*n(?:o|')t|were\s*n(?:o|')t|could\s*n(?:o|')t|declined?|refused?|refusing|avoid(?:s|ed|ing)?|deferred|omitted|contraindicated|skipped|too\s+(?:fatigued|tired|painful|sore)\s+to|held(?=\s+(?:off\s+on\s+)?[\w/]+\s+(?:work|training|practice|tasks?|activities)))\b/gi;
/** Negations about ability ("unable to", "did not"), cancelled when the clause says how it was done. */
const ABILITY_NEGATION = /^(?:not|cannot|can'?t|unable\s+to|did\s*n(?:o|')t|was\s*n(?:o|')t|were\s*n(?:o|')t|could\s*n(?:o|')t)$/i;
/** "Unable to perform tub transfer independently" means the transfer was trained with help: not a negation. */
const ABILITY_QUALIFIER =
  /\b(?:independently|consistently|fully|completely|safely|unassisted|alone|(?:without|w\/o)\s+(?:[\w'-]+\s+)?(?:assist\w*|help|cues?|cueing|device|AD|rails?|support|A)\b|with(?:out)?\s+(?:min|mod|max|minimal|moderate|maximal)\b)/i;
/** "No pain with stairs", "not only": words after "no"/"not" that do not negate the task. */
const PSEUDO_NEGATION =
  /^\s+(?:pain|increase\w*|change\w*|c\/o|complaints?|difficulty|LOB|loss|assist\w*|AD|device|cues?|cueing|rest|breaks?|further|adverse|issues?|problems?|significant|longer|more|less|UE\s+support|hand\s+support|support|report\w*|SOB|dizziness|symptoms?|reaction|signs?|only|just|limited)\b/i;
/** A negation after the words it negates ("stairs not attempted", "car transfer deferred"). */
const NEGATION_AFTER =
  /\b(?:not\s+(?:performed|attempted|completed|tested|addressed|trialed|tolerated|done|practiced|practised|initiated|assessed)|deferred|declined|omitted|postponed|cancell?ed|withheld|unavailable|not\s+available|(?:was|were)\s+in\s+use|contraindicated|on\s+hold|skipped|held|not\s+tolerated|discontinued|d\/?c'?d(?=\s|$|[.,;])|not\s+yet\b|not\s+(?:safe|appropriate|indicated|ready|cleared)\b|(?:was|were|had\s+to\s+be)\s+stopped|stopped\s+(?:immediately|after\s+(?:1|one)\s+(?:rep|trial|attempt))|removed\s+from\s+(?:the\s+)?(?:POC|plan)|(?:attempted|tried|started|initiated)\s+but\s+(?:not\s+tolerated|stopped|discontinued|unable))\b/gi;

/** The patient's report of life outside the session: not something done in the session. */
const REPORT_CUE =
  /\b(?:reports?|reported|reporting|states?|stated|stating|says|said|tells|told|mentions|mentioned|describes|described|notes\s+that|c\/o|complain(?:s|ed|ing)?(?:\s+of)?|history\s+of|hx\s+of|(?:history|hx|PMH|social\s+hx)(?=\s*:)|PLOF|prior\s+level(?:\s+of\s+function)?|per\s+(?:pt|patient)|denies|subjective|(?<![\w/-])S(?=\s*:\s)|lives\s+(?:alone|with|in|at)|home\s+(?:setup|set-up|layout|environment|situation)(?=\s*:)|social\s+(?:hx|history)|asked\s+about|inquired\s+about|question(?:s|ed)?\s+about)\b:?/gi;
/** A plan for later sessions: not done today. */
const PLAN_CUE =
  /\b(?:plan(?:s|ned)?(?:\s+to)?|next\s+(?:session|visit|week|time|tx|treatment|appt|appointment)|recommend(?:s|ed|ation)?|consider(?:ing)?|will\s+(?:progress|add|initiate|begin|start|try|attempt|assess|trial|reassess)|to\s+be\s+(?:addressed|assessed|initiated|trialed))\b:?/gi;
/** A plan after the words it plans ("tub transfer to be trialed next visit", "kitchen ADL planned for next tx"). */
const PLAN_AFTER =
  /\b(?:to\s+be\s+(?:trialed|tried|attempted|initiated|addressed|started|practiced)|planned|scheduled\s+for|saved\s+for|(?:was|were|is|are)\s+on\s+(?:(?:today'?s|the|her|his)\s+)?(?:plan|schedule|agenda)|will\s+(?:be\s+)?(?:added|start(?:ed)?|begin|begun|initiated|introduced|trialed|tried|attempted|addressed|progressed|resumed))\b/gi;
/** Work of an earlier session ("car transfers were practiced at the last visit", "previously worked on stairs"). */
const EARLIER_CUE =
  /\b(?:previously|(?:had|has|have)\s+already|already(?=\s+[a-z]+ed\b)|(?:prior\s+to|before)\s+(?:(?:her|his|their|the|today'?s)\s+)?(?:arrival|arriving|coming\s+in|session|visit|appt|appointment|therapy)|(?:at|during|in|on)\s+(?:the\s+|her\s+|his\s+)?(?:last|previous|prior|earlier)\s+(?:visit|session|tx|treatment|appt|appointment|week)|(?:last|previous)\s+(?:visit|session|tx|appt|week))\b/gi;
/** Today's dose of the task just named as done earlier ("…last visit; today x4 w/ mod A"), naming no other task. */
const TODAY_AGAIN = /^[^.]*?[;,]\s*(?:but\s+)?(?:today|this\s+(?:session|visit))\s*:?\s*(?:x\s*\d+|\d+\s*(?:x\b|reps|trials|times))/i;
/** A reason given ("because lifting a skillet is painful", "d/t difficulty with stairs"): the problem, not the task. */
const CAUSE_CUE = /\b(?:because(?:\s+of)?|due\s+to|secondary\s+to|d\/t)\b:?/gi;
/** A problem named ("difficulty with dressing", "limited in stair climbing", "decreased ADL independence"). */
const PROBLEM_CUE =
  /\b(?:difficulty\s+(?:with|in)|limited\s+(?:in|with)|limitations?\s+(?:in|with)|deficits?\s+(?:in|with)|(?:decreased|impaired|reduced|limited)(?=\s+(?:[\w/-]+\s+){0,2}(?:independence|indep|ability|safety|tolerance|performance)\b)|(?:limit(?:s|ed|ing)?|affect(?:s|ed|ing)?|impact(?:s|ed|ing)?|interfer(?:es|ed|ing)\s+with)\s+(?:(?:her|his|their|pt'?s|the\s+patient'?s|the)\s+)?(?:ability|independence|indep|tolerance|safety)(?:\s+(?:to|with|in|for|during))?)/gi;
/**
 * A problem named after its words, in the present ("stairs at home are the main problem", "dressing remains
 * difficult"). The past is left alone: "car transfer was difficult, mod A x3" says how today's task went.
 */
const PROBLEM_AFTER =
  /\b(?:is|are|remains?|has\s+been|have\s+been)\s+(?:still\s+)?(?:(?:the|her|his|their|a|an|pt'?s|patient'?s|main|primary|biggest|greatest|chief|major|ongoing|significant|current|most|functional|too|very|quite|so)\s+)*(?:problems?|issues?|difficult(?:y|ies)?|limitations?|(?:hardest|toughest|most\s+difficult)(?:\s+(?:thing|part|task|activity))?|limited|concerns?|challenges?|challenging|complaints?|barriers?|hard|painful|a\s+struggle)\b/gi;
/** A form about a task, not the task ("ADL questionnaire", "transfer checklist"). */
const FORM_AFTER = /^\s+(?:[\w/-]+\s+)?(?:questionnaires?|checklists?|handouts?|forms?|surveys?|scales?|scores?|index|inventory)\b/i;
/** The patient's job or life described ("works as a warehouse picker lifting 40 lb boxes"). */
const JOB_CUE =
  /\b(?:works?\s+as|employed\s+as|(?:job|work)\s+(?:involves|requires|includes|consists\s+of)|(?:job|work)\s+(?:reqs?|requirements|demands|duties)\s*:|occupation\s*:?)/gi;
/** Words that say work was done in the session: a dose, a simulation, "practiced". */
const SESSION_DOSE =
  /\b(?:simulat\w*|sim|x\s*\d+|\d+\s*x|\d+\s*(?:bouts?|reps?|repetitions|trials?|rounds?|min(?:utes)?|sets?)|practiced|performed|completed|trained)\b/i;
/** A report after its words ("indep w/ toileting per nursing"). */
const REPORT_AFTER = /\bper\s+(?:nursing|RN|nurse|staff|family|caregiver|chart|daughter|son|wife|husband|spouse|pt\s+report)\b/gi;
/** A day other than today ("lifting a box at home on Sunday"): work of another day, before its words. */
const OTHER_DAY_AFTER =
  /\b(?:yesterday|last\s+(?:night|weekend)|over\s+the\s+weekend|this\s+morning\s+at\s+home|at\s+home\s+this\s+morning|on\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b/gi;
/** Education or discussion about a task ("discussed safe lifting technique"): talk, not the task performed. */
const EDUCATION_CUE =
  /\b(?:discuss(?:ed|ion\s+(?:of|about|re))|educat(?:ed|ion)\s+(?:(?:pt|patient|family|caregiver|her|him|them|husband|wife|daughter|son)\s+)?(?:on|about|re|regarding)|edu\s+(?:on|re)|counsel(?:ed|ing)\s+(?:on|about|re)|talked\s+about)\b/gi;
/** The task taught was also practised: a count of trials, "practiced", a return demonstration. */
const PRACTICE_AFTER = /\bx\s*\d+\b|\b\d+\s*(?:reps|repetitions|trials|times)\b|\b(?:practiced|practised|performed|return\s+demo\w*)\b/i;
/** Someone else helps with the task at home ("husband assists w/ tub transfers at home"). */
const OTHER_PERSON_HELP =
  /\b(?:husband|wife|spouse|partner|daughter|son|family|caregivers?|aide|mother|mom|father|dad|roommate)\s+(?:now\s+|currently\s+|still\s+|usually\s+)?(?:assists?|helps?)\b/gi;
/** Someone else does the task ("her husband now does the cooking"): the patient's life, not the session. */
const OTHER_PERSON_CUE =
  /\b(?:husband|wife|spouse|partner|daughter|son|family|caregivers?|aide|mother|mom|father|dad|roommate|neighbou?r)\s+(?:now\s+|currently\s+|still\s+|usually\s+|normally\s+|typically\s+|often\s+|always\s+|has\s+been\s+)?(?:does|do|did|doing|handles|handled|handling|takes\s+care\s+of|took\s+over)\b/gi;
/** A plan named right after a few words ("Kitchen tasks next session."): only a short clause, a heading of sorts. */
const PLAN_AFTER_SHORT = /\bnext\s+(?:session|visit|week|time|tx|treatment|appt|appointment)\b/gi;
const PLAN_AFTER_SHORT_WORDS = 5;
/** A goal named after its words ("reach top shelf by d/c"). */
const GOAL_AFTER =
  /\bby\s+(?:d\/c|dc|discharge|end\s+of\s+(?:POC|episode|care)|\d+\s*(?:wks?|weeks|months?))(?=\W|$)|\bgoals?(?=\s*(?:[.;,:]|$))/gi;
/** A purpose or goal: the functional task is what the work is for, not what was done. */
const GOAL_CUE =
  /\b(?:to\s+(?:improve|increase|enhance|promote|facilitate|allow|enable|support|prepare\s+for|progress(?:\s+to(?:ward)?)?|restore|address|assist(?:\s+with)?|help(?:\s+with)?|return\s+to|resume|reduce|decrease|maximi[sz]e|ease|regain|achieve|optimi[sz]e|be\s+able\s+to)|in\s+order\s+to|in\s+prep(?:aration)?\s+for|prep(?:aratory)?\s+for|preparing\s+for|for\s+(?:improved|improving|increased|better|safer|safe|independen(?:t|ce)|return|ease|future|eventual)|needed\s+for|required\s+for|necessary\s+for|(?:progress(?:ing|ion)?|work(?:ing)?)\s+toward(?:s)?|goals?\s+(?:reviewed|discussed|updated|set|established|revised|set\s+with\s+pt)(?=\s*:)|(?:goals?|STGs?|LTGs?)\s+#?\d+(?:\s*\/\s*\d+)?(?=\s*:)|goals?|STGs?|LTGs?|so\s+(?:that\s+)?(?:pt|patient|she|he|they|the\s+patient)\s+(?:can|could|may|might|is\s+able\s+to|will)|targeting|aimed\s+at|geared\s+toward(?:s)?|with\s+the\s+(?:aim|goal)\s+of|(?:functional\s+)?targets?(?=\s*:)|(?:before|prior\s+to)\s+(?:progressing|progression|advancing|returning|return|starting)\s+to|will|in\s+anticipation\s+of|prerequisite\s+for|aim(?:\s+of\s+(?:treatment|tx|therapy|care))?(?:\s+is)?|wants?\s+to|would\s+like\s+to|hop(?:es|ing)\s+to|(?:get|getting)\s+(?:(?:her|him|them|pt|the\s+patient)\s+)?back\s+to)\b\s*:?/gi;
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
  /** Plain-language reason when it is not the kind's usual one. */
  detail?: string;
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
    for (let word = wordPattern.exec(text); word && word.index < end; word = wordPattern.exec(text)) {
      seen += 1;
      if (seen === maxWords) {
        end = Math.min(end, word.index + word[0].length);
        break;
      }
    }
  }
  return end;
}

/** End of the sentence that `from` is in: sentence punctuation, a semicolon or a new line. */
function sentenceEnd(text: string, from: number): number {
  const end = /(?<!\b(?:incl|e\.g|i\.e|approx|vs|esp|Dr|cf))[.!?](?=\s|$)|[;\n\r]/.exec(text.slice(from));
  return end ? from + end.index : text.length;
}

/** Where today's session starts after a report heading ("PLOF: …; today …", "Hx: … Tx: …"). */
const TODAY = /\b(?:today|this\s+(?:session|visit|date)|in\s+(?:the\s+)?clinic|tx|treatment|session)\b/i;
/** The next heading ("O:", "Tx:") ends a heading's scope too. */
const NEXT_HEADING = /\b[A-Za-z][\w/]{0,15}\s*:/;

/** End of a report heading's scope: its sentence, the next heading, or where the note turns to today's session. */
function headingEnd(text: string, from: number): number {
  // A quoted report ends where its sentence does: "S: 'getting out of bed is easier.' O: …".
  const quoted = /[.!?]['"”’](?=\s|$)/.exec(text.slice(from));
  const end = Math.min(sentenceEnd(text, from), quoted ? from + quoted.index : text.length);
  const rest = text.slice(from, end);
  const stops = [TODAY.exec(rest)?.index, NEXT_HEADING.exec(rest)?.index].filter((i): i is number => i !== undefined);
  return stops.length > 0 ? from + Math.min(...stops) : end;
}

/** Start of the clause that ends at `before` (for trailing negations). */
function clauseStart(text: string, before: number): number {
  const boundary = new RegExp(CLAUSE_START.source, "gi");
  let start = 0;
  for (let clause = boundary.exec(text); clause && clause.index < before; clause = boundary.exec(text)) {
    start = clause.index + clause[0].length;
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
    // A report heading ("PLOF: indep w/ all ADLs, stairs and yard work.") holds to the end of its sentence,
    // or to where the note turns to today's session.
    const end = cue[0].trimEnd().endsWith(":") ? headingEnd(text, from) : forwardScopeEnd(text, from);
    scopes.push({ kind: "reported", start: from, end, cue: cue[0] });
  }
  for (const cue of text.matchAll(PLAN_AFTER)) {
    scopes.push({ kind: "planned", start: clauseStart(text, cue.index), end: cue.index, cue: cue[0] });
  }
  for (const cue of text.matchAll(EARLIER_CUE)) {
    const detail = `done in an earlier session ("${cue[0]}"), not in this one`;
    // "Car transfer trialed last visit w/ max A; today x4 w/ mod A": today's dose refers back to the same task.
    const after = text.slice(cue.index + cue[0].length, sentenceEnd(text, sentenceEnd(text, cue.index) + 1));
    if (!TODAY_AGAIN.test(after)) {
      scopes.push({ kind: "reported", start: clauseStart(text, cue.index), end: cue.index, cue: cue[0], detail });
    }
    const from = cue.index + cue[0].length;
    scopes.push({ kind: "reported", start: from, end: forwardScopeEnd(text, from), cue: cue[0], detail });
  }
  for (const cue of text.matchAll(CAUSE_CUE)) {
    const from = cue.index + cue[0].length;
    const detail = `a reason given ("${cue[0]}"), not a task done`;
    scopes.push({ kind: "reported", start: from, end: forwardScopeEnd(text, from), cue: cue[0], detail });
  }
  for (const cue of text.matchAll(JOB_CUE)) {
    const from = cue.index + cue[0].length;
    const detail = `the patient's job described ("${cue[0]}"), not a task done in the session`;
    if (cue[0].trimEnd().endsWith(":")) {
      // A heading that lists the job's demands ("Job reqs: lifting 50# overhead, ladder use."), itself included,
      // unless what follows is dosed or simulated: then it heads the work done ("Job demands: … for 3 bouts").
      const end = headingEnd(text, from);
      if (!SESSION_DOSE.test(text.slice(from, end))) scopes.push({ kind: "reported", start: cue.index, end, cue: cue[0], detail });
      continue;
    }
    scopes.push({ kind: "reported", start: from, end: forwardScopeEnd(text, from), cue: cue[0], detail });
  }
  for (const cue of text.matchAll(OTHER_PERSON_CUE)) {
    const from = cue.index + cue[0].length;
    const detail = `done by someone else ("${cue[0]}"), not by the patient in the session`;
    scopes.push({ kind: "reported", start: from, end: forwardScopeEnd(text, from), cue: cue[0], detail });
  }
  for (const cue of text.matchAll(REPORT_AFTER)) {
    const detail = `reported by others ("${cue[0]}"), not done in the session`;
    scopes.push({ kind: "reported", start: clauseStart(text, cue.index), end: cue.index, cue: cue[0], detail });
  }
  for (const cue of text.matchAll(OTHER_DAY_AFTER)) {
    const detail = `done on another day ("${cue[0]}"), not in this session`;
    scopes.push({ kind: "reported", start: clauseStart(text, cue.index), end: cue.index, cue: cue[0], detail });
  }
  for (const cue of text.matchAll(EDUCATION_CUE)) {
    const from = cue.index + cue[0].length;
    // "Educated on car transfer technique, then 5 reps w/ min A": the teaching went with practice of the task.
    if (PRACTICE_AFTER.test(text.slice(from, sentenceEnd(text, from)))) continue;
    const detail = `education or discussion ("${cue[0]}"), not the task performed`;
    scopes.push({ kind: "reported", start: from, end: goalScopeEnd(text, from, forwardScopeEnd(text, from)), cue: cue[0], detail });
  }
  for (const cue of text.matchAll(OTHER_PERSON_HELP)) {
    const from = cue.index + cue[0].length;
    const end = forwardScopeEnd(text, from);
    if (!/\bat\s+home\b/i.test(text.slice(from, end))) continue;
    const detail = `help given at home by someone else ("${cue[0]}"), not a task done in the session`;
    scopes.push({ kind: "reported", start: from, end, cue: cue[0], detail });
  }
  for (const cue of text.matchAll(PLAN_AFTER_SHORT)) {
    const start = clauseStart(text, cue.index);
    if (wordCount(text.slice(start, cue.index)) > PLAN_AFTER_SHORT_WORDS) continue;
    scopes.push({ kind: "planned", start, end: cue.index, cue: cue[0] });
  }
  for (const cue of text.matchAll(PROBLEM_CUE)) {
    const from = cue.index + cue[0].length;
    const detail = `a problem named ("${cue[0]}"), not a task done`;
    scopes.push({ kind: "reported", start: from, end: goalScopeEnd(text, from, forwardScopeEnd(text, from)), cue: cue[0], detail });
  }
  for (const cue of text.matchAll(PROBLEM_AFTER)) {
    const detail = `a problem named ("${cue[0]}"), not a task done`;
    scopes.push({ kind: "reported", start: clauseStart(text, cue.index), end: cue.index, cue: cue[0], detail });
  }
  for (const cue of text.matchAll(GOAL_AFTER)) {
    scopes.push({ kind: "goal", start: clauseStart(text, cue.index), end: cue.index, cue: cue[0] });
  }
  for (const cue of text.matchAll(PLAN_CUE)) {
    const from = cue.index + cue[0].length;
    scopes.push({ kind: "planned", start: from, end: forwardScopeEnd(text, from), cue: cue[0] });
  }
  for (const cue of text.matchAll(GOAL_CUE)) {
    const from = cue.index + cue[0].length;
    // A heading ("Goals reviewed: indep car xfers, stairs w/ 1 rail.") lists goals to the end of its sentence.
    const end = cue[0].trimEnd().endsWith(":") ? sentenceEnd(text, from) : forwardScopeEnd(text, from);
    scopes.push({ kind: "goal", start: from, end: goalScopeEnd(text, from, end), cue: cue[0] });
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
  if (entry.kind === "functional" && FORM_AFTER.test(after)) return "a form or questionnaire about the task, not the task";
  for (const rule of entry.notATask ?? []) {
    if (rule.before && !rule.before.test(before)) continue;
    if (rule.after && !rule.after.test(after)) continue;
    if (rule.self && !rule.self.test(self)) continue;
    return rule.why;
  }
  return undefined;
}

function overlaps(one: Match, other: Match): boolean {
  return one.start < other.end && other.start < one.end;
}

/** All vocabulary matches; on overlap the longest (then earliest, then first-listed) wins. */
function findTerms(text: string): { kept: Candidate[]; notATask: Candidate[] } {
  const candidates: Candidate[] = [];
  VOCABULARY.forEach((entry, order) => {
    for (const match of text.matchAll(entry.pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (end === start) continue;
      candidates.push({ term: entry.term, start, end, entry, order, notATask: notATaskReason(text, entry, start, end) });
    }
  });
  candidates.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || a.order - b.order);
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    if (candidate.notATask === undefined && !kept.some((k) => overlaps(k, candidate))) kept.push(candidate);
  }
  const notATask: Candidate[] = [];
  for (const candidate of candidates) {
    if (candidate.notATask !== undefined && !kept.some((k) => overlaps(k, candidate)) && !notATask.some((k) => overlaps(k, candidate))) {
      notATask.push(candidate);
    }
  }
  return { kept, notATask };
}

// ─── Classification ──────────────────────────────────────────────────────────────────────

function quote(text: string, match: Match): string {
  return `"${text.slice(match.start, match.end)}"`;
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
export function classifyNote(note: string | null | undefined, cpt: string, options: ClassifyOptions = {}): NoteClassification {
  const text = note ?? "";
  const code = cpt.trim();
  // Matching and scopes work on the normalised note; every span is mapped back to the original words.
  const normalised = normaliseNote(text);
  const { kept, notATask } = findTerms(normalised.text);
  const scopes = cueScopes(normalised.text);
  const toMatch = (c: Match): Match => ({ term: c.term, ...originalSpan(normalised, c.start, c.end) });

  const functionalTerms: Match[] = [];
  const functionalGoalTerms: Match[] = [];
  const exerciseTerms: Match[] = [];
  const ignoredTerms: IgnoredMatch[] = [];

  for (const candidate of notATask) {
    ignoredTerms.push({
      ...toMatch(candidate),
      kind: candidate.entry.kind,
      reason: "not_a_task",
      detail: `not a task here: ${candidate.notATask}`,
    });
  }
  for (const candidate of kept) {
    const scope = scopeOf(scopes, candidate);
    const kind = candidate.entry.kind;
    if (scope && scope.kind !== "goal") {
      ignoredTerms.push({ ...toMatch(candidate), kind, reason: scope.kind, detail: scope.detail ?? SCOPE_DETAIL[scope.kind](scope.cue) });
    } else if (kind === "exercise") {
      exerciseTerms.push(toMatch(candidate));
    } else if (scope?.kind === "goal") {
      functionalGoalTerms.push(toMatch(candidate));
    } else if (candidate.entry.goalOnly) {
      ignoredTerms.push({
        ...toMatch(candidate),
        kind,
        reason: "not_a_task",
        detail: "walking, gait and similar count only as a goal, not as a therapeutic activity",
      });
    } else {
      functionalTerms.push(toMatch(candidate));
    }
  }
  ignoredTerms.sort((a, b) => a.start - b.start);

  let direction: UndercodingDirection | null = null;
  if (code === THERAPEUTIC_EXERCISE_CODE && functionalTerms.length > 0) {
    direction = "could_be_97530";
  } else if (code === THERAPEUTIC_ACTIVITIES_CODE && exerciseTerms.length > 0 && functionalTerms.length === 0) {
    // A functional goal named beside exercise alone does not make the session a therapeutic activity:
    // the note must chart the functional task performed (issue: "goal versus what was done").
    direction = "reads_as_exercise";
  }

  let possible: PossibleFlag | null = null;
  if (options.reviewAmbiguous && text.trim() !== "") {
    possible = ambiguity(text, code, direction, { functionalTerms, functionalGoalTerms, exerciseTerms, ignoredTerms });
    if (possible && possible.direction === direction) direction = null;
  }

  const matchedTerms =
    direction === "could_be_97530"
      ? distinctTerms(functionalTerms)
      : direction === "reads_as_exercise"
        ? distinctTerms(exerciseTerms)
        : distinctTerms([...functionalTerms, ...functionalGoalTerms, ...exerciseTerms]);

  let explanation = explain(text, code, direction, {
    functionalTerms,
    functionalGoalTerms,
    exerciseTerms,
    ignoredTerms,
  });
  if (possible) {
    explanation = `Possible ${possible.direction === "could_be_97530" ? "97530" : "exercise (97110)"}, not counted: ${possible.reason}. ${explanation}`;
  }

  const rule =
    code !== THERAPEUTIC_EXERCISE_CODE && code !== THERAPEUTIC_ACTIVITIES_CODE
      ? RULES.not_reviewed
      : possible
        ? RULES.possible
        : direction
          ? RULES[direction]
          : RULES.none;
  const result: NoteClassification = {
    direction,
    functionalTerms,
    exerciseTerms,
    matchedTerms,
    explanation,
    rule,
    functionalGoalTerms,
    ignoredTerms,
  };
  if (options.reviewAmbiguous) result.possible = possible;
  return result;
}

/** Functional work only tried ("attempted x2 then stopped", "briefly", "one trial"). */
const ONLY_ATTEMPTED =
  /\b(?:attempted|tried|started|began)\b[^.;]*\b(?:stopped|discontinued|terminated|ended)\b|\bbriefly\b|\b(?:one|single|1)\s+trial\b|\b(?:stopped|discontinued)\s+after\b/i;
/** Exercises that are also the movement of a functional task (a squat, a step-up, a sit-to-stand). */
const MOVEMENT_EXERCISE_TERMS = new Set(["squats and lunges"]);

/** Exercise words that name an exercise (not only a count such as "3x10" or "reps"). */
const COUNT_TERMS = new Set(["sets x repetitions", "repetitions", "sets", "holds", "exercise"]);
function namedExercise(ms: readonly Match[]): Match[] {
  return ms.filter((m) => !COUNT_TERMS.has(m.term));
}

/** Exercise words written as part of a functional task's phrase ("curb step up/down"): not separate evidence. */
function apartFrom(text: string, exercise: readonly Match[], functional: readonly Match[]): Match[] {
  const joined = (one: Match, other: Match) => {
    const [first, second] = one.start < other.start ? [one, other] : [other, one];
    return first.end <= second.start && /^[\s-]*$/.test(text.slice(first.end, second.start));
  };
  // "cues for squat technique": the exercise word says how the task was done, it is not an exercise done apart.
  const technique = (e: Match) => /^\s+(?:technique|mechanics|form|pattern)\b/i.test(text.slice(e.end));
  return exercise.filter((e) => !technique(e) && !functional.some((f) => joined(e, f)));
}

/**
 * Strong evidence both ways on a 97530 line: at least two named exercises, and at least as many as the
 * functional tasks. One warm-up exercise beside a functional task ("car transfer trng x5; LAQ 2x10 for
 * warm-up") leaves the note clear.
 */
function outweighs(named: readonly Match[], functional: readonly Match[]): boolean {
  return named.length >= 2 && named.length >= functional.length;
}

/** Whether two matches are in the same sentence (nothing that ends a sentence between them). */
function sameSentence(text: string, one: Match, other: Match): boolean {
  const [first, second] = one.start < other.start ? [one, other] : [other, one];
  return !/[.!?](?=\s|$)|[;\n\r]/.test(text.slice(first.end, second.start));
}

function clauseAround(text: string, match: Match): string {
  const before = text.slice(0, match.start);
  const start = Math.max(before.lastIndexOf("."), before.lastIndexOf(";")) + 1;
  const rest = text.slice(match.end);
  const next = rest.search(/[.;]/);
  return text.slice(start, next === -1 ? text.length : match.end + next);
}

/**
 * The reader's ambiguous cases, for practices that review them separately: functional work only attempted;
 * an exercise that is also the movement of the functional goal it is done for; functional work beside much
 * more exercise. Null when the note is clear either way.
 */
function ambiguity(text: string, code: string, direction: UndercodingDirection | null, found: Found): PossibleFlag | null {
  const { functionalTerms, functionalGoalTerms, exerciseTerms } = found;
  const attempted = functionalTerms.filter((m) => ONLY_ATTEMPTED.test(clauseAround(text, m)));
  if (code === THERAPEUTIC_EXERCISE_CODE) {
    if (direction === "could_be_97530" && attempted.length === functionalTerms.length) {
      return { direction, reason: `the functional work was only attempted (${quoteAll(text, attempted)})` };
    }
    // The exercise must be done for the goal: both in one sentence ("mini squats 3x12 to prepare for lifting his
    // toddler"), not a goal stated apart ("Stair goal: 12 steps. Today: step-ups 3x10").
    const movement = exerciseTerms.filter(
      (m) => MOVEMENT_EXERCISE_TERMS.has(m.term) && functionalGoalTerms.some((g) => sameSentence(text, m, g)),
    );
    const goals = functionalGoalTerms.filter((g) => movement.some((m) => sameSentence(text, m, g)));
    if (direction === null && movement.length > 0) {
      return {
        direction: "could_be_97530",
        reason: `${quoteAll(text, movement)} is both an exercise and the movement of the functional goal ${quoteAll(text, goals)}`,
      };
    }
    const named = apartFrom(text, namedExercise(exerciseTerms), functionalTerms);
    if (direction === "could_be_97530" && named.length > 0 && named.length >= functionalTerms.length) {
      return {
        direction,
        reason: `strong evidence both ways: functional ${quoteAll(text, functionalTerms)} and exercise ${quoteAll(text, named)}`,
      };
    }
  } else if (code === THERAPEUTIC_ACTIVITIES_CODE && direction === null && exerciseTerms.length > 0 && functionalTerms.length > 0) {
    if (attempted.length === functionalTerms.length) {
      return { direction: "reads_as_exercise", reason: `the functional work was only attempted (${quoteAll(text, attempted)})` };
    }
    const named = apartFrom(text, namedExercise(exerciseTerms), functionalTerms);
    if (outweighs(named, functionalTerms)) {
      return {
        direction: "reads_as_exercise",
        reason: `strong evidence both ways: exercise ${quoteAll(text, named)} and functional ${quoteAll(text, functionalTerms)}`,
      };
    }
  }
  return null;
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
    if (functionalGoalTerms.length > 0) {
      parts.push(`Named only as a goal, not counted: ${functionalGoalTerms.map((m) => quote(text, m)).join(", ")}.`);
    }
  } else if (direction === "reads_as_exercise") {
    parts.push(
      `Billed 97530, but the note reads as exercise: ${quoteAll(text, exerciseTerms)}, and ` +
        (functionalGoalTerms.length > 0
          ? `charts no functional task performed: ${functionalGoalTerms.map((m) => `${quote(text, m)} appears only as a goal`).join(", ")}.`
          : "names no functional task or functional goal.") +
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
