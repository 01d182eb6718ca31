// One place for the words of a validation message that a schema does not word itself. Messages
// are phrases that follow the field's name ("minutes must be a whole number"), the way an import
// names its column; a form shows them under the field as a sentence (sentenceOf). Loaded by every
// schema module, so forms, actions, route handlers and the command line all speak alike.
import { z } from "zod";

function quantity(count: number | bigint, one: string, many: string): string {
  return `${count} ${Number(count) === 1 ? one : many}`;
}

function listOf(values: readonly unknown[]): string {
  const words = values.map((v) => String(v));
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

const FORMAT_WORDS: Record<string, string> = {
  email: "must be an email address, like name@example.com",
  url: "must be a web address",
  date: "must be a date, like 2026-03-15",
  datetime: "must be a date and time",
  uuid: "is not a valid identifier",
  regex: "is not in the expected form",
};

/** The phrase for one zod issue, or undefined to keep zod's own (never reached for the kinds below). */
export function phraseFor(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      const input = issue.input;
      if (input === undefined || input === null || input === "") return "is required";
      if (issue.expected === "number" || issue.expected === "int") return "must be a number";
      if (issue.expected === "boolean") return "must be yes or no";
      if (issue.expected === "date") return "must be a date";
      if (issue.expected === "array") return "must be a list";
      if (issue.expected === "string") return "must be text";
      return "is missing or not the right kind of value";
    }
    case "too_small": {
      const min = issue.minimum;
      if (issue.origin === "string")
        return Number(min) <= 1 ? "is required" : `must be at least ${quantity(min, "character", "characters")}`;
      if (issue.origin === "array" || issue.origin === "set") return `needs at least ${quantity(min, "entry", "entries")}`;
      return issue.inclusive === false ? `must be more than ${min}` : `must be ${min} or more`;
    }
    case "too_big": {
      const max = issue.maximum;
      if (issue.origin === "string") return `must be at most ${quantity(max, "character", "characters")}`;
      if (issue.origin === "array" || issue.origin === "set") return `can have at most ${quantity(max, "entry", "entries")}`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be ${max} or less`;
    }
    case "invalid_format":
      return FORMAT_WORDS[issue.format] ?? "is not in the expected form";
    case "invalid_value":
      return `must be ${listOf(issue.values)}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return `has fields this form does not know: ${issue.keys.join(", ")}`;
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
      return "is not valid";
    default:
      return undefined;
  }
}

z.config({ customError: (issue) => phraseFor(issue) });

/**
 * A message as a sentence under a form field: "must be 0 or more" → "Must be 0 or more.",
 * "is required" → "Required."; a message already written as a sentence is left as it is.
 */
export function sentenceOf(message: string): string {
  const text = message.trim();
  if (text === "") return text;
  if (/^is required\b/i.test(text)) return `Required${text.slice("is required".length)}${/[.!?]$/.test(text) ? "" : "."}`;
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
