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
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  if (year < 1880 || year > 2200) return null;
  return d.toISOString().slice(0, 10);
}

function birthDateOf(word: string): string | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(word);
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(word);
  if (m) return realDate(Number(m[3]), Number(m[1]), Number(m[2]));
  return null;
}

function idOf(word: string): PatientSearchWord["id"] {
  const compact = word.toUpperCase().replace(/[^A-Z0-9]/g, "");
  const m = /^([A-Z]{0,4})(\d+)$/.exec(compact);
  if (!m) return null;
  const number = m[2].replace(/^0+(?=\d)/, "");
  return { letters: m[1], number };
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
  for (const w of raw) {
    const previous = joined.at(-1);
    if (previous && /^[A-Za-z]{1,4}-?$/.test(previous) && /^\d+$/.test(w)) joined[joined.length - 1] = `${previous}${w}`;
    else joined.push(w);
  }
  return joined.slice(0, 5).map((text) => ({ text, id: idOf(text), birthDate: birthDateOf(text) }));
}
