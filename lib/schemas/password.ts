// The one password rule, used wherever a password is set (the command line, the admin
// form, accepting an invitation). NIST SP 800-63B §5.1.1.2: at least 12 characters here
// (NIST's floor is 8; 15 when a password is the only factor, 12 is this product's choice),
// no composition rules (no "one digit, one capital"), and a check against common,
// breached-style and guessable passwords, done by zxcvbn-ts with its common-password and
// English dictionaries. The full reasoning is in docs/operations.md ("Passwords").
import { type ZxcvbnFactory as Factory, ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
/** zxcvbn's score runs 0–4; 3 is "safely unguessable: moderate protection from offline attacks" (≈10^8 guesses or more). */
export const PASSWORD_MIN_SCORE = 3;

let estimator: Factory | undefined;
function zxcvbn(): Factory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator;
}

/**
 * What is wrong with a new password, in plain words; null when it is acceptable.
 * `context` holds words a guesser would try first for this person (their email, name,
 * the practice's name): a password built from them scores lower.
 */
export function passwordProblem(password: string, context: string[] = []): string | null {
  const length = [...password].length; // characters, not UTF-16 units
  if (length < PASSWORD_MIN_LENGTH)
    return `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}). A few unrelated words make a long password that is easy to remember.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const words = context.flatMap((c) => c.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length >= 3);
  const result = zxcvbn().check(password, [...context, ...words]);
  if (result.score >= PASSWORD_MIN_SCORE) return null;
  const why = result.feedback.warning ? `${result.feedback.warning.replace(/\.$/, "")}. ` : "";
  return `This password is too easy to guess. ${why}Choose a longer one, for example a few unrelated words; capitals, digits or symbols are not required.`;
}

/** A new password as a form field (the same rule as passwordProblem). */
export const newPasswordSchema = z.string().superRefine((password, ctx) => {
  const problem = passwordProblem(password);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
