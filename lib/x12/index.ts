/**
 * The X12 835 reader: bytes in, typed remit out. Imports nothing of the app.
 * See docs/x12-835.md for what it accepts, rejects and checks. This is what the app uses:
 * read835 and the types of what it takes and yields (scripts/import-layers.test.ts checks that
 * the app comes in only here). Tests and benchmarks reach the parts (parse835 and Parsed835,
 * the tokenizer and its delimiters, the amount readers) by their own modules; synthetic,
 * hand-written and damaged 835s are written by prisma/generator/x12.
 */
export type {
  ProviderAdjustment,
  Remit835Counts,
  Remit835Event,
  Remit835Header,
  Remit835Totals,
  Remit835Transaction,
  RemitAdjustment,
  RemitClaim,
  RemitPayee,
  RemitPayer,
  RemitParty,
  RemitPerson,
  RemitProcedure,
  RemitServiceLine,
  X12Issue,
  X12Source,
} from "./types";
export { type Read835Options, read835 } from "./read835";
