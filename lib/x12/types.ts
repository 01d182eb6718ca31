/**
 * Typed shape of an X12 835 (Health Care Claim Payment/Remittance Advice) as read by
 * this module. Money is always integer cents; dates are calendar dates `YYYY-MM-DD`.
 */

/** A problem found while reading, addressed to a billing manager. */
export interface X12Issue {
  /** e.g. `segment 42 (CLP), element 4`; segments are numbered from 1 across the file. */
  where: string;
  message: string;
}

/** The delimiters an interchange header (ISA) declares. */
export interface X12Delimiters {
  element: string;
  /** ISA16; `null` when the ISA leaves it empty. */
  component: string | null;
  /** ISA11 in 5010; `null` in 4010 (where ISA11 is the standards identifier `U`). */
  repetition: string | null;
  segment: string;
}

/** One CAS triplet (group code, CARC reason, amount, optional quantity). */
export interface RemitAdjustment {
  /** CAS01: CO contractual, PR patient responsibility, OA other, PI payer initiated, CR correction. */
  group: string;
  /** Claim adjustment reason code (CARC), e.g. `45`, `2`, `253`. */
  reason: string;
  amountCents: number;
  quantity: number | null;
  /** Number of the CAS segment it came from. */
  segment: number;
}

/** A procedure as written in SVC01/SVC06. Lines with the same composite share one frozen instance. */
export interface RemitProcedure {
  /** Product/service id qualifier: HC (HCPCS/CPT), AD (ADA), NU (revenue code), ... */
  readonly qualifier: string;
  readonly code: string;
  /** Up to four modifiers, in order, empty ones left out. */
  readonly modifiers: readonly string[];
}

/** One SVC loop (2110) of a claim. */
export interface RemitServiceLine {
  segment: number;
  procedure: RemitProcedure;
  /** SVC06: the procedure as submitted, when the payer changed it. */
  originalProcedure: RemitProcedure | null;
  chargeCents: number;
  paidCents: number;
  /** SVC04 (NUBC revenue code), when present. */
  revenueCode: string | null;
  /** SVC05 units of service paid; 1 when the element is empty. */
  units: number;
  /** SVC07 original units submitted, when present. */
  originalUnits: number | null;
  /** DTM*472, or DTM*150 (period start). */
  serviceDate: string | null;
  /** DTM*151 (period end); equal to serviceDate for a single day. */
  serviceDateEnd: string | null;
  adjustments: readonly RemitAdjustment[];
  /** REF*6R: the line item control number sent on the claim. */
  lineItemControlNumber: string | null;
  /** AMT*B6 as sent, or null (the allowed amount without it is a billing rule: lib/billing remitAllowedCentsOf). */
  reportedAllowedCents: number | null;
  /** LQ*HE remittance advice remark codes (RARC). */
  remarkCodes: readonly string[];
  /** Other AMT qualifiers on the line (KH, T, ...), in cents. */
  amounts: Readonly<Record<string, number>>;
}

export interface RemitPerson {
  /** NM103: last name, or organization name. */
  lastName: string;
  firstName: string | null;
  middleName: string | null;
  /** NM108 qualifier (MI member id, XX NPI, HN, 34, ...). */
  idQualifier: string | null;
  /** NM109: member id for QC/IL, NPI (with XX) for 82. */
  id: string | null;
}

/** One CLP loop (2100). */
export interface RemitClaim {
  segment: number;
  /** LX01 of the header number loop the claim sits in, if any. */
  headerNumber: string | null;
  /** CLP01: the patient control number the practice sent (CLM01). */
  patientControlNumber: string;
  /** CLP02: 1 primary, 2 secondary, 3 tertiary, 4 denied, 19-21 forwarded, 22 reversal, 23 not our claim, 25 predetermination. */
  status: string;
  /** CLP02 = 22: an earlier payment is taken back; amounts are negative. */
  isReversal: boolean;
  chargeCents: number;
  paidCents: number;
  /** CLP05; 0 when empty. */
  patientResponsibilityCents: number;
  /** CLP06 claim filing indicator (MB, MA, 12, HM, ...). */
  filingIndicator: string;
  /** CLP07: the payer's claim control number (ICN/DCN). */
  payerClaimControlNumber: string;
  /** CLP08 facility type / place of service. */
  facilityCode: string | null;
  /** CLP09 claim frequency code. */
  frequencyCode: string | null;
  /** Claim-level CAS only; line adjustments stay on their lines. */
  adjustments: readonly RemitAdjustment[];
  patient: RemitPerson | null;
  insured: RemitPerson | null;
  renderingProvider: RemitPerson | null;
  /** DTM*232 / DTM*233 claim statement period. */
  statementFrom: string | null;
  statementTo: string | null;
  /** DTM*050 date the payer received the claim. */
  receivedDate: string | null;
  /** Claim AMT segments by qualifier (AU coverage amount, I interest, ...), in cents. */
  amounts: Readonly<Record<string, number>>;
  /** MOA remark codes (outpatient adjudication). */
  remarkCodes: readonly string[];
  serviceLines: readonly RemitServiceLine[];
}

/** One PLB adjustment (a PLB segment carries up to six). Positive amounts reduce the payment. */
export interface ProviderAdjustment {
  segment: number;
  providerId: string;
  fiscalPeriodDate: string | null;
  /** PLB03-1: WO overpayment recovery, 72 authorized return, FB forwarding balance, L6 interest, CS, CV, ... */
  reasonCode: string;
  /** PLB03-2: reference (often the claim's ICN), when present. */
  reference: string | null;
  amountCents: number;
}

export interface RemitParty {
  name: string;
  /** N103 qualifier: XV payer id, XX NPI, FI tax id, ... */
  idQualifier: string | null;
  id: string | null;
}

export interface RemitPayer extends RemitParty {
  /** REF*2U payer identification number, else N104 when N103 = XV. */
  payerId: string | null;
}

export interface RemitPayee extends RemitParty {
  /** N104 when N103 = XX. */
  npi: string | null;
  /** N104 when N103 = FI, else REF*TJ. */
  taxId: string | null;
}

/** What is known of a transaction before its claims: envelope, BPR, TRN, payer and payee. */
export interface Remit835Header {
  /** Number of the ST segment. */
  segment: number;
  /** ST02. */
  controlNumber: string;
  /** GS08 (or ST03): 005010X221A1, 004010X091A1, ... */
  implementation: string | null;
  interchangeControlNumber: string | null;
  groupControlNumber: string | null;
  senderId: string | null;
  receiverId: string | null;
  /** BPR01: I remittance with payment, H notification only, C payment and advice, D, P, U, X. */
  handlingCode: string | null;
  /** BPR02 total actual provider payment, in cents (always as written, see creditDebit). */
  totalPaymentCents: number;
  /** BPR03: C credit to the provider, D debit. */
  creditDebit: string | null;
  /** BPR04: ACH, CHK, FWT, BOP, NON. */
  paymentMethod: string | null;
  /** BPR16: check issue or EFT effective date. */
  paymentDate: string | null;
  /** TRN02: check or EFT trace number. */
  traceNumber: string | null;
  /** TRN03: originating company id. */
  originatorId: string | null;
  /** DTM*405 production date. */
  productionDate: string | null;
  payer: RemitPayer | null;
  payee: RemitPayee | null;
}

export interface Remit835Totals {
  claims: number;
  serviceLines: number;
  /** Σ CLP04. */
  paidCents: number;
  /** Σ PLB amounts. */
  providerAdjustmentCents: number;
}

export interface Remit835Transaction extends Remit835Header {
  /** Every claim when read with parse835; empty when streamed with read835 (claims come as events). */
  claims: RemitClaim[];
  providerAdjustments: ProviderAdjustment[];
  totals: Remit835Totals;
  /** False when the transaction has no SE (file truncated, or interrupted by another ST/ISA). */
  complete: boolean;
}

export interface Remit835Counts {
  /** 835 transactions (other transaction sets are skipped and not counted). */
  transactions: number;
  claims: number;
  serviceLines: number;
  /** Σ CLP04 over all transactions. */
  paidCents: number;
}

export interface Parsed835 {
  transactions: Remit835Transaction[];
  warnings: X12Issue[];
  errors: X12Issue[];
  counts: Remit835Counts;
}

/** What read835 yields, in file order. */
export type Remit835Event =
  | { type: "claim"; transaction: Remit835Header; claim: RemitClaim }
  | { type: "transaction"; transaction: Remit835Transaction }
  | { type: "warning"; issue: X12Issue }
  | { type: "error"; issue: X12Issue }
  | { type: "end"; counts: Remit835Counts; warningCount: number; errorCount: number };

/** Anything the reader accepts: text, bytes, or a stream of chunks (e.g. fs.createReadStream). */
export type X12Source = string | Uint8Array | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
