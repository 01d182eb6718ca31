// PostgreSQL array literals for set-based statements (insert … select from unnest($1::int[], …)).
// Passing one text literal per column is an order of magnitude faster than handing the driver
// JavaScript arrays of hundreds of thousands of values, and the server parses it once.

export function intArrayLiteral(values: readonly (number | null)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) out += ",";
    out += value === null || value === undefined ? "NULL" : String(value);
  }
  return `${out}}`;
}

const NEEDS_ESCAPE = /["\\]/g;

export function textArrayLiteral(values: readonly (string | null)[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) out += ",";
    out += value === null || value === undefined ? "NULL" : `"${value.replace(NEEDS_ESCAPE, "\\$&")}"`;
  }
  return `${out}}`;
}

/** Numbers from a comma-separated list (what string_agg returns). */
export function intList(text: string | null): number[] {
  if (!text) return [];
  return text.split(",").map(Number);
}
