/**
 * The X12 835 reader: bytes in, typed remit out. Imports nothing of the app.
 * See docs/x12-835.md for what it accepts, rejects and checks. This is what the app uses;
 * tests and benchmarks reach the parts (parse835, the tokenizer, the amount readers) by their
 * own modules, and synthetic 835s are written by prisma/generator/x12.
 */
export type {
  Parsed835,
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
  X12Delimiters,
  X12Issue,
  X12Source,
} from "./types";
export { type Read835Options, read835 } from "./read835";
