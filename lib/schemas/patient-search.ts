// What a person types into the patient search, read the ways front desks write it: a name, a
// patient id in any common spelling (P-00012, P12, p 000012, 000012 for P000012), a date of birth
// (1948-03-02, 03/02/1948, 3/2/48 is not accepted: a two-digit year is ambiguous), or a member id.

export interface PatientSearchWord {
  /** the word as typed, for name and member-id matching */
  text: string;
  /** an id's letters and number, when the word can be a patient id: "P-00012" → { letters: "P", number: "12" } */
  id: { letters: string; number: string } | null;
  /** a date of birth, when the word is one: "03/02/1948" → "1948-03-02" */
  birthDate: string | null;
}

function realDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (year < 1880 || year > 2200) return null;
  return date.toISOString().slice(0, 10);
}

function birthDateOf(word: string): string | null {
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(word);
  if (match) return realDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(word);
  if (match) return realDate(Number(match[3]), Number(match[1]), Number(match[2]));
  return null;
}

function idOf(word: string): PatientSearchWord["id"] {
  const compact = word.toUpperCase().replace(/[^A-Z0-9]/g, "");
  const match = /^([A-Z]{0,4})(\d+)$/.exec(compact);
  if (!match) return null;
  const number = match[2].replace(/^0+(?=\d)/, "");
  return { letters: match[1], number };
}

/**
 * The words of a search, at most five. "P 12" is one id (letters then digits, split by a space),
 * so a search for "Garcia P 12" reads as the name Garcia and the id P12.
 */
export function patientSearchWords(query: string): PatientSearchWord[] {
  const raw = query
    .replaceAll("\u0000", "")
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);
  const joined: string[] = [];
  for (const word of raw) {
    const previous = joined.at(-1);
    if (previous && /^[A-Za-z]{1,4}-?$/.test(previous) && /^\d+$/.test(word)) joined[joined.length - 1] = `${previous}${word}`;
    else joined.push(word);
  }
  return joined.slice(0, 5).map((text) => ({ text, id: idOf(text), birthDate: birthDateOf(text) }));
}
