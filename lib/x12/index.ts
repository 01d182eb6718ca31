/**
 * The X12 835 reader: bytes in, typed remit out. Imports nothing of the app.
 * See docs/x12-835.md for what it accepts, rejects and checks.
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
export {
  parse835,
  parse835Sync,
  parse835Text,
  read835,
  textChunks,
  type Parse835Options,
  type Read835Options,
} from "./read835";
export {
  headerOf,
  Remit835Reader,
  type Remit835Handlers,
  type Remit835ReaderOptions,
} from "./reader";
export { X12Segment, X12Tokenizer, type X12SegmentSink } from "./tokenizer";
export { dollars, formatCents, parseAmountCents, parseX12Date } from "./values";
export {
  generate835,
  generate835Chunks,
  randomRemitClaims,
  type Generate835Options,
  type Generated835Totals,
  type SyntheticAdjustment,
  type SyntheticClaim,
  type SyntheticProviderAdjustment,
  type SyntheticServiceLine,
} from "./generate";
