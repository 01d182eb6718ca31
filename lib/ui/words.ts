// The users' words for values the database keeps as codes: one place, so that a screen never
// shows an enum ("ADMIN", "REMIT_835") where a person expects a word.

export const ROLE_WORDS: Record<string, string> = {
  OWNER: "Owner",
  BILLER: "Biller",
  MANAGER: "Manager",
  ADMIN: "Administrator",
};

/** "Administrator" for "ADMIN"; an unknown code is shown in sentence case rather than shouted. */
export function roleInWords(role: string): string {
  return ROLE_WORDS[role] ?? sentenceCase(role);
}

/** "REMIT_835" → "Remit 835", "needs_review" → "Needs review": the fallback for a code without a word. */
export function sentenceCase(code: string): string {
  const spaced = code.replaceAll("_", " ").trim().toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Words that stay in capitals in a payer's name ("BCBS", "UHC", "PPO", "HMO", "of", "NY"). */
const KEEP_UPPER = new Set([
  "BCBS",
  "UHC",
  "HMO",
  "PPO",
  "EPO",
  "POS",
  "USA",
  "US",
  "NY",
  "NJ",
  "CA",
  "TX",
  "FL",
  "MA",
  "II",
  "III",
  "IV",
  "LLC",
  "HCSC",
  "AARP",
  "CMS",
  "DME",
  "MAC",
  "TPA",
]);
const KEEP_LOWER = new Set(["of", "and", "the", "for", "in", "de"]);

/**
 * A payer name in its own case: names that came in ALL CAPS (from an 835's N1*PR) are shown in
 * title case ("UNITEDHEALTHCARE" → "Unitedhealthcare", "BLUE CROSS OF NY" → "Blue Cross of NY");
 * a name already in mixed case ("UnitedHealthcare") is left as the practice wrote it.
 */
export function nameInOwnCase(name: string): string {
  if (name !== name.toUpperCase() || !/[A-Z]/.test(name)) return name;
  return name
    .split(/(\s+|-|\/)/)
    .map((part, i) => {
      if (!/[A-Z]/.test(part)) return part;
      if (KEEP_UPPER.has(part)) return part;
      const lower = part.toLowerCase();
      if (i > 0 && KEEP_LOWER.has(lower)) return lower;
      return lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join("");
}
