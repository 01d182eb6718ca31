/**
 * The body of an 835 transaction: the segments between its ST and SE (BPR, TRN, parties, LX,
 * claims with their adjustments, dates, people and amounts, service lines, PLB). The envelope
 * reader (reader.ts) opens a TransactionState at each ST, hands every body segment here, and
 * closes the last claim at SE. Balancing checks of lines and claims are made here; those of the
 * payment total and the envelope counts in reader.ts; the state it reads into is in
 * transaction-state.ts. See docs/x12-835.md.
 */
import type { X12Segment } from "./tokenizer";
import type {
  ProviderAdjustment,
  Remit835Counts,
  Remit835Header,
  Remit835Transaction,
  RemitClaim,
  RemitPayee,
  RemitPayer,
  RemitPerson,
  RemitProcedure,
  RemitServiceLine,
  X12Issue,
} from "./types";
import { dateInAsciiRange, dateInRange, dollars, internInRange, lastAmountRounded, parseX12Date, RangeTable } from "./values";
import type { Remit835Handlers } from "./reader";
import {
  type AdjustmentScratch,
  AT_CLAIM,
  AT_HEADER,
  AT_HEADER_NUMBER,
  AT_LINE,
  AT_ORPHAN_LINE,
  AT_OTHER_PARTY,
  AT_PAYEE,
  AT_PAYER,
  AT_PROVIDER_ADJUSTMENTS,
  indexOfCode,
  isDelimiterChar,
  isGroupCode,
  NO_ADJUSTMENTS,
  NO_AMOUNTS,
  NO_CODES,
  NO_LINES,
  NO_MODIFIERS,
  Q_050,
  Q_150,
  Q_151,
  Q_232,
  Q_233,
  Q_405,
  Q_472,
  Q_6R,
  Q_82,
  Q_B6,
  Q_IL,
  Q_QC,
  splitComposite,
  type TransactionState,
  withAmount,
  withCode,
} from "./transaction-state";

/** Reads the body segments of one transaction after another into their TransactionState. */
export class TransactionBodyReader {
  /** Procedures already read, by composite text (for the separator below); shared, frozen. */
  private readonly procedures = new RangeTable<RemitProcedure>(12);
  private proceduresSeparator = -1;
  /** The component separator the current interchange declares (ISA16), -1 when none. */
  private declaredSeparator = -1;

  constructor(
    private readonly handlers: Remit835Handlers,
    /** the reader's counts, which the claims and lines read here add to */
    private readonly counts: Remit835Counts,
    private readonly keepClaims: boolean,
  ) {}

  /** A new interchange (ISA): its declared component separator (ISA16), -1 when none. */
  startInterchange(componentSeparator: number): void {
    this.declaredSeparator = componentSeparator;
    this.switchProcedureSeparator(componentSeparator);
  }

  warning(where: string | X12Issue, message?: string): void {
    this.handlers.warning(typeof where === "string" ? { where, message: message ?? "" } : where);
  }

  error(where: string | X12Issue, message?: string): void {
    this.handlers.error(typeof where === "string" ? { where, message: message ?? "" } : where);
  }

  /** A segment of the transaction's body (kind from the reader's dispatch, FIRST_BODY_KIND on). */
  read(seg: X12Segment, kind: number, tx: TransactionState): void {
    switch (kind) {
      case 7: // CLP
        this.onClp(seg, tx);
        return;
      case 8: // SVC
        this.onSvc(seg, tx);
        return;
      case 9: // CAS
        this.onCas(seg, tx);
        return;
      case 10: // DTM
        this.onDtm(seg, tx);
        return;
      case 11: // AMT
        this.onAmt(seg, tx);
        return;
      case 12: // REF
        this.onRef(seg, tx);
        return;
      case 13: // NM1
        this.onNm1(seg, tx);
        return;
      case 14: // LQ
        if ((tx.at === AT_LINE || tx.at === AT_ORPHAN_LINE) && tx.line !== null && seg.is(1, "HE")) {
          tx.line.remarkCodes = withCode(tx.line.remarkCodes, seg.code(2));
        }
        return;
      case 15: // MOA
        if (tx.claim !== null) {
          for (let position = 3; position <= 7; position++) {
            if (!seg.isEmpty(position)) tx.claim.remarkCodes = withCode(tx.claim.remarkCodes, seg.code(position));
          }
        }
        return;
      case 16: // LX
        this.flushClaim(tx);
        tx.headerNumber = seg.element(1) || null;
        tx.at = AT_HEADER_NUMBER;
        return;
      case 17: // PLB
        this.onPlb(seg, tx);
        return;
      case 18: // BPR
        this.onBpr(seg, tx);
        return;
      case 19: // TRN
        if (tx.transaction.traceNumber === null && tx.claim === null) {
          tx.transaction.traceNumber = seg.element(2) || null;
          tx.transaction.originatorId = seg.element(3) || null;
        }
        return;
      case 20: // N1
        this.onN1(seg, tx);
        return;
      case 21: // CUR, N2, N3, N4, PER, RDM, TS3, TS2, MIA, QTY
        return;
    }
  }

  /** Reads a money element into cents (0 when empty and optional); reports and returns NaN when it cannot be read. */
  private amount(seg: X12Segment, position: number, label: string, required: boolean, tx: TransactionState): number {
    const cents = seg.cents(position);
    // NaN (empty or not a number) and amounts with more than two decimals are the rare cases.
    if (Number.isNaN(cents) || lastAmountRounded()) return this.unusualAmount(seg, position, label, required, tx, cents);
    return cents;
  }

  private unusualAmount(seg: X12Segment, position: number, label: string, required: boolean, tx: TransactionState, cents: number): number {
    if (seg.isEmpty(position)) {
      if (required) {
        this.error(seg.where(position), `The ${label} is missing.`);
        tx.unreadable = true;
        return Number.NaN;
      }
      return 0;
    }
    if (Number.isNaN(cents)) {
      this.error(seg.where(position), `The ${label} '${seg.element(position)}' is not an amount.`);
      tx.unreadable = true;
      return Number.NaN;
    }
    this.warning(
      seg.where(position),
      `The ${label} '${seg.element(position)}' has more than two decimals; it was rounded to ${dollars(cents)}.`,
    );
    return cents;
  }

  private date(seg: X12Segment, position: number): string | null {
    if (seg.isEmpty(position)) return null;
    const from = seg.seps[position] + 1;
    const to = seg.seps[position + 1];
    const date = seg.bytes !== null ? dateInAsciiRange(seg.bytes, seg.text, from, to) : dateInRange(seg.text, from, to);
    if (date === null) {
      this.warning(seg.where(position), `'${seg.element(position)}' is not a valid date (CCYYMMDD); it was ignored.`);
    }
    return date;
  }

  private onBpr(seg: X12Segment, tx: TransactionState): void {
    if (tx.bprSegment !== 0) {
      this.warning(seg.where(), "A second payment segment (BPR) in the same transaction was ignored.");
      return;
    }
    const transaction = tx.transaction;
    tx.bprSegment = seg.number;
    transaction.handlingCode = seg.element(1) || null;
    const total = this.amount(seg, 2, "total payment (BPR02)", true, tx);
    transaction.totalPaymentCents = Number.isNaN(total) ? 0 : total;
    transaction.creditDebit = seg.element(3) || null;
    transaction.paymentMethod = seg.element(4) || null;
    transaction.paymentDate = this.date(seg, 16);
  }

  private onN1(seg: X12Segment, tx: TransactionState): void {
    const transaction = tx.transaction;
    if (tx.claim !== null || tx.at >= AT_HEADER_NUMBER) {
      this.warning(seg.where(), "A party (N1) after the claims began was ignored.");
      return;
    }
    const entity = seg.element(1);
    const idQualifier = seg.element(3) || null;
    const id = seg.element(4) || null;
    if (entity === "PR") {
      const payer: RemitPayer = {
        name: seg.element(2),
        idQualifier,
        id,
        payerId: idQualifier === "XV" ? id : null,
      };
      transaction.payer = payer;
      tx.at = AT_PAYER;
    } else if (entity === "PE") {
      const payee: RemitPayee = {
        name: seg.element(2),
        idQualifier,
        id,
        npi: idQualifier === "XX" ? id : null,
        taxId: idQualifier === "FI" ? id : null,
      };
      transaction.payee = payee;
      tx.at = AT_PAYEE;
    } else {
      tx.at = AT_OTHER_PARTY;
    }
  }

  private onRef(seg: X12Segment, tx: TransactionState): void {
    switch (tx.at) {
      case AT_PAYER:
        if (seg.is(1, "2U") && tx.transaction.payer !== null) tx.transaction.payer.payerId = seg.element(2) || tx.transaction.payer.payerId;
        return;
      case AT_PAYEE:
        if (seg.is(1, "TJ") && tx.transaction.payee !== null && tx.transaction.payee.taxId === null) {
          tx.transaction.payee.taxId = seg.element(2) || null;
        }
        return;
      case AT_LINE:
        if (seg.packed(1) === Q_6R && tx.line !== null) tx.line.lineItemControlNumber = seg.element(2) || null;
        return;
    }
  }

  private onDtm(seg: X12Segment, tx: TransactionState): void {
    const qualifier = seg.packed(1);
    if (tx.at === AT_LINE) {
      const line = tx.line;
      if (line === null) return;
      if (qualifier === Q_472) {
        if (seg.isEmpty(2) && seg.is(5, "RD8")) {
          const range = seg.element(6);
          const dash = range.indexOf("-");
          line.serviceDate = dash > 0 ? parseX12Date(range.slice(0, dash)) : null;
          line.serviceDateEnd = dash > 0 ? parseX12Date(range.slice(dash + 1)) : null;
          if (line.serviceDate === null) this.warning(seg.where(6), `'${range}' is not a valid date range.`);
        } else {
          line.serviceDate = this.date(seg, 2);
          line.serviceDateEnd = line.serviceDate;
        }
      } else if (qualifier === Q_150) {
        line.serviceDate = this.date(seg, 2);
        if (line.serviceDateEnd === null) line.serviceDateEnd = line.serviceDate;
      } else if (qualifier === Q_151) {
        line.serviceDateEnd = this.date(seg, 2);
        if (line.serviceDate === null) line.serviceDate = line.serviceDateEnd;
      }
      return;
    }
    if (tx.at === AT_CLAIM) {
      const claim = tx.claim;
      if (claim === null) return;
      if (qualifier === Q_232) claim.statementFrom = this.date(seg, 2);
      else if (qualifier === Q_233) claim.statementTo = this.date(seg, 2);
      else if (qualifier === Q_050) claim.receivedDate = this.date(seg, 2);
      return;
    }
    if (tx.at <= AT_HEADER && qualifier === Q_405) tx.transaction.productionDate = this.date(seg, 2);
  }

  private onAmt(seg: X12Segment, tx: TransactionState): void {
    if (tx.at === AT_LINE && tx.line !== null) {
      if (seg.packed(1) === Q_B6) {
        const cents = this.amount(seg, 2, "allowed amount (AMT*B6)", true, tx);
        if (Number.isNaN(cents)) tx.lineUnreadable = true;
        else tx.line.reportedAllowedCents = cents;
        return;
      }
      const cents = seg.cents(2);
      if (Number.isNaN(cents)) this.warning(seg.where(2), `The amount '${seg.element(2)}' is not a number; ignored.`);
      else tx.line.amounts = withAmount(tx.line.amounts, seg.code(1), cents);
      return;
    }
    if (tx.at === AT_CLAIM && tx.claim !== null) {
      const cents = seg.cents(2);
      if (Number.isNaN(cents)) this.warning(seg.where(2), `The amount '${seg.element(2)}' is not a number; ignored.`);
      else tx.claim.amounts = withAmount(tx.claim.amounts, seg.code(1), cents);
    }
  }

  private onNm1(seg: X12Segment, tx: TransactionState): void {
    const claim = tx.claim;
    if (claim === null) return;
    const entity = seg.packed(1);
    if (entity !== Q_QC && entity !== Q_IL && entity !== Q_82) return;
    const person: RemitPerson = {
      lastName: seg.element(3),
      firstName: seg.element(4) || null,
      middleName: seg.element(5) || null,
      idQualifier: seg.element(8) || null,
      id: seg.element(9) || null,
    };
    if (entity === Q_QC) claim.patient = person;
    else if (entity === Q_IL) claim.insured = person;
    else claim.renderingProvider = person;
  }

  // ------------------------------------------------------------- claims and lines

  private onClp(seg: X12Segment, tx: TransactionState): void {
    this.flushClaim(tx);
    if (tx.at === AT_PROVIDER_ADJUSTMENTS) {
      this.warning(seg.where(), "A claim follows the provider adjustments (PLB), which should come last.");
    }
    if (tx.bprSegment === 0 && tx.transaction.totals.claims === 0) {
      this.warning(seg.where(), "Claims begin before any payment segment (BPR).");
    }
    const charge = this.amount(seg, 3, "claim charge (CLP03)", true, tx);
    const paid = this.amount(seg, 4, "claim paid amount (CLP04)", true, tx);
    const patientShare = this.amount(seg, 5, "patient responsibility (CLP05)", false, tx);
    const unreadable = Number.isNaN(charge) || Number.isNaN(paid) || Number.isNaN(patientShare);
    const status = seg.code(2);
    if (seg.isEmpty(1)) this.warning(seg.where(1), "The claim has no patient control number (CLP01).");
    const claim: RemitClaim = {
      segment: seg.number,
      headerNumber: tx.headerNumber,
      patientControlNumber: seg.element(1),
      status,
      isReversal: status === "22",
      chargeCents: Number.isNaN(charge) ? 0 : charge,
      paidCents: Number.isNaN(paid) ? 0 : paid,
      patientResponsibilityCents: Number.isNaN(patientShare) ? 0 : patientShare,
      filingIndicator: seg.code(6),
      payerClaimControlNumber: seg.element(7),
      facilityCode: seg.code(8) || null,
      frequencyCode: seg.code(9) || null,
      adjustments: NO_ADJUSTMENTS,
      patient: null,
      insured: null,
      renderingProvider: null,
      statementFrom: null,
      statementTo: null,
      receivedDate: null,
      amounts: NO_AMOUNTS,
      remarkCodes: NO_CODES,
      serviceLines: NO_LINES,
    };
    tx.claim = claim;
    tx.claimUnreadable = unreadable;
    tx.at = AT_CLAIM;
    const transaction = tx.transaction;
    transaction.totals.claims++;
    transaction.totals.paidCents += claim.paidCents;
    this.counts.claims++;
    this.counts.paidCents += claim.paidCents;
  }

  /**
   * Reads a procedure composite (SVC01 / SVC06) straight from the segment text:
   * qualifier, code, up to four modifiers. When the separator declared in ISA16 is not
   * there, a punctuation mark right after the two-character qualifier is taken instead.
   */
  private procedure(seg: X12Segment, position: number, tx: TransactionState): RemitProcedure | null {
    const bytes = seg.bytes;
    if (bytes !== null && this.proceduresSeparator === this.declaredSeparator && this.proceduresSeparator !== -1) {
      // Read before with the declared separator, so it holds that separator: no warning to give.
      const known = this.procedures.getAscii(bytes, seg.text, seg.seps[position] + 1, seg.seps[position + 1]);
      if (known !== undefined) return known;
    }
    return this.readProcedure(seg, position, tx);
  }

  private readProcedure(seg: X12Segment, position: number, tx: TransactionState): RemitProcedure | null {
    const text = seg.text;
    const from = seg.seps[position] + 1;
    const to = seg.seps[position + 1];
    const declared = seg.delimiters.component;
    let sepCode = declared === null ? -1 : declared.charCodeAt(0);
    if (sepCode === this.proceduresSeparator && sepCode !== -1) {
      // Read before with the declared separator, so it holds that separator: no warning to give.
      const known = seg.bytes !== null ? this.procedures.getAscii(seg.bytes, text, from, to) : this.procedures.get(text, from, to);
      if (known !== undefined) return known;
    }
    let first = sepCode === -1 ? -1 : indexOfCode(text, sepCode, from, to);
    if (first === -1 && to - from > 2 && isDelimiterChar(text.charCodeAt(from + 2))) {
      first = from + 2;
      sepCode = text.charCodeAt(first);
      if (!tx.warnedComposite) {
        tx.warnedComposite = true;
        const detected = text[first];
        this.warning(
          seg.where(position),
          declared === null
            ? `The interchange header declares no component separator (ISA16 is empty); '${detected}' was detected in the procedure code.`
            : `The procedure code is written with '${detected}' between its parts although the interchange header declares '${declared}'; '${detected}' was used.`,
        );
      }
    }
    if (first === -1) {
      const whole = text.slice(from, to);
      if (/^[A-Z][A-Z0-9]$/.test(whole)) {
        this.error(
          seg.where(position),
          `The service line names the code type '${whole}' but no procedure code, so its charge and payment cannot be placed reliably.`,
        );
        return null;
      }
      if (whole === "") {
        this.error(seg.where(position), "The service line has no procedure code.");
        return null;
      }
      this.warning(seg.where(position), `The procedure code '${whole}' has no qualifier (such as HC).`);
      return { qualifier: "", code: whole, modifiers: NO_MODIFIERS };
    }
    // The same few composites repeat across a remit: each is read once, then shared.
    if (sepCode !== this.proceduresSeparator) this.switchProcedureSeparator(sepCode);
    const known = this.procedures.get(text, from, to);
    if (known !== undefined) return known;
    let next = indexOfCode(text, sepCode, first + 1, to);
    const codeEnd = next === -1 ? to : next;
    if (codeEnd === first + 1) {
      this.error(seg.where(position), "The service line has a qualifier but an empty procedure code.");
      return null;
    }
    const modifiers: string[] = [];
    for (let read = 0; read < 4 && next !== -1; read++) {
      const start = next + 1;
      next = indexOfCode(text, sepCode, start, to);
      const end = next === -1 ? to : next;
      if (end > start) modifiers.push(internInRange(text, start, end));
    }
    const procedure: RemitProcedure = Object.freeze({
      qualifier: internInRange(text, from, first),
      code: internInRange(text, first + 1, codeEnd),
      modifiers: modifiers.length === 0 ? NO_MODIFIERS : Object.freeze(modifiers),
    });
    this.procedures.set(text, from, to, procedure);
    return procedure;
  }

  /** Procedures are remembered for one separator at a time (the declared one, usually). */
  private switchProcedureSeparator(sepCode: number): void {
    if (sepCode === this.proceduresSeparator) return;
    this.procedures.clear();
    this.proceduresSeparator = sepCode;
  }

  private onSvc(seg: X12Segment, tx: TransactionState): void {
    this.flushLine(tx);
    const claim = tx.claim;
    if (claim === null) {
      this.error(seg.where(), "A service line (SVC) appears before any claim (CLP); it cannot be attributed to a claim.");
      tx.unreadable = true;
      tx.at = AT_ORPHAN_LINE;
      return;
    }
    const procedure = this.procedure(seg, 1, tx);
    const charge = this.amount(seg, 2, "line charge (SVC02)", true, tx);
    const paid = this.amount(seg, 3, "line paid amount (SVC03)", true, tx);
    let units = 1;
    if (!seg.isEmpty(5)) {
      units = seg.quantity(5);
      if (Number.isNaN(units)) {
        this.warning(seg.where(5), `The units '${seg.element(5)}' are not a number; 1 was assumed.`);
        units = 1;
      }
    }
    const original = seg.isEmpty(6) || procedure === null ? null : this.procedure(seg, 6, tx);
    let originalUnits: number | null = null;
    if (!seg.isEmpty(7)) {
      originalUnits = seg.quantity(7);
      if (Number.isNaN(originalUnits)) originalUnits = null;
    }
    const unreadable = procedure === null || Number.isNaN(charge) || Number.isNaN(paid);
    if (procedure === null) tx.unreadable = true;
    const line: RemitServiceLine = {
      segment: seg.number,
      procedure: procedure ?? { qualifier: "", code: "", modifiers: [] },
      originalProcedure: original,
      chargeCents: Number.isNaN(charge) ? 0 : charge,
      paidCents: Number.isNaN(paid) ? 0 : paid,
      revenueCode: seg.code(4) || null,
      units,
      originalUnits,
      serviceDate: null,
      serviceDateEnd: null,
      adjustments: NO_ADJUSTMENTS,
      lineItemControlNumber: null,
      reportedAllowedCents: null,
      remarkCodes: NO_CODES,
      amounts: NO_AMOUNTS,
    };
    tx.lines.add(line);
    tx.line = line;
    tx.lineUnreadable = unreadable;
    if (unreadable) tx.claimUnreadable = true;
    tx.at = AT_LINE;
    tx.transaction.totals.serviceLines++;
    this.counts.serviceLines++;
  }

  private onCas(seg: X12Segment, tx: TransactionState): void {
    let target: AdjustmentScratch;
    let onLine = false;
    if (tx.at === AT_LINE && tx.line !== null) {
      target = tx.lineAdjustments;
      onLine = true;
    } else if (tx.at === AT_CLAIM && tx.claim !== null) target = tx.claimAdjustments;
    else if (tx.at === AT_ORPHAN_LINE) return;
    else {
      this.error(seg.where(), "An adjustment (CAS) appears outside any claim; it cannot be attributed.");
      tx.unreadable = true;
      return;
    }
    const group = seg.code(1);
    if (!isGroupCode(group)) {
      this.warning(seg.where(1), `'${group}' is not an adjustment group code (CO, PR, OA, PI, CR).`);
    }
    if (seg.count > 20) {
      this.warning(seg.where(20), "An adjustment segment carries more than six adjustments; the extra ones were ignored.");
    }
    let unreadable = false;
    for (let reasonAt = 2; reasonAt < seg.count && reasonAt <= 17; reasonAt += 3) {
      const reasonEmpty = seg.isEmpty(reasonAt);
      const amountEmpty = seg.isEmpty(reasonAt + 1);
      if (reasonEmpty && amountEmpty) {
        if (!seg.isEmpty(reasonAt + 2)) this.warning(seg.where(reasonAt + 2), "A quantity without an adjustment was ignored.");
        continue;
      }
      if (reasonEmpty) this.warning(seg.where(reasonAt), "An adjustment amount has no reason code.");
      const cents = this.amount(seg, reasonAt + 1, "adjustment amount", true, tx);
      if (Number.isNaN(cents)) {
        unreadable = true;
        continue;
      }
      let quantity = Number.NaN;
      if (!seg.isEmpty(reasonAt + 2)) {
        quantity = seg.quantity(reasonAt + 2);
        if (Number.isNaN(quantity)) {
          this.warning(seg.where(reasonAt + 2), `The adjustment quantity '${seg.element(reasonAt + 2)}' is not a number; ignored.`);
        }
      }
      const reason = seg.code(reasonAt);
      target.add(group, reason, cents, quantity, seg.number);
      if (onLine) {
        tx.lineAdjustedCents += cents;
        tx.claimLinesAdjustedCents += cents;
      } else {
        tx.claimAdjustedCents += cents;
      }
      if (group === "PR") tx.claimPatientShareCents += cents;
    }
    if (unreadable) {
      if (tx.at === AT_LINE) tx.lineUnreadable = true;
      tx.claimUnreadable = true;
    }
  }

  private onPlb(seg: X12Segment, tx: TransactionState): void {
    this.flushClaim(tx);
    tx.at = AT_PROVIDER_ADJUSTMENTS;
    const transaction = tx.transaction;
    const providerId = seg.element(1);
    const fiscalPeriodDate = this.date(seg, 2);
    for (let position = 3; position < seg.count && position <= 13; position += 2) {
      if (seg.isEmpty(position) && seg.isEmpty(position + 1)) continue;
      const cents = this.amount(seg, position + 1, "provider adjustment amount", true, tx);
      if (Number.isNaN(cents)) continue;
      const { parts, detected } = splitComposite(seg.element(position), seg.delimiters.component);
      if (detected !== null && !tx.warnedComposite) {
        tx.warnedComposite = true;
        this.warning(
          seg.where(position),
          `The adjustment identifier uses '${detected}' between its parts although the interchange header declares ${seg.delimiters.component === null ? "none" : `'${seg.delimiters.component}'`}; '${detected}' was used.`,
        );
      }
      if (parts[0] === "") this.warning(seg.where(position), "A provider adjustment has no reason code.");
      const adjustment: ProviderAdjustment = {
        segment: seg.number,
        providerId,
        fiscalPeriodDate,
        reasonCode: parts[0],
        reference: parts.length > 1 && parts[1] !== "" ? parts[1] : null,
        amountCents: cents,
      };
      transaction.providerAdjustments.push(adjustment);
      transaction.totals.providerAdjustmentCents += cents;
    }
    if (seg.count > 15) {
      this.warning(seg.where(15), "A PLB segment carries more than six adjustments; the extra ones were ignored.");
    }
  }

  private flushLine(tx: TransactionState): void {
    const line = tx.line;
    if (line === null) return;
    tx.line = null;
    line.adjustments = tx.lineAdjustments.take();
    const adjusted = tx.lineAdjustedCents;
    tx.lineAdjustedCents = 0;
    if (tx.lineUnreadable) return;
    // A payer that adjusts at the claim level only sends lines without CAS (DOMAIN.md "Precise
    // cases": each line's paid is its SVC03 as sent); the claim's own balance is checked instead.
    if (line.adjustments.length === 0 && tx.claimAdjustedCents !== 0) return;
    if (line.chargeCents - adjusted !== line.paidCents) {
      tx.unbalanced = true;
      this.warning(
        `segment ${line.segment} (SVC)`,
        `Service line ${line.procedure.code} does not balance: charge ${dollars(line.chargeCents)} minus adjustments ${dollars(adjusted)} is ${dollars(line.chargeCents - adjusted)}, but the line paid ${dollars(line.paidCents)} (difference ${dollars(line.chargeCents - adjusted - line.paidCents)}).`,
      );
    }
  }

  /** Closes the claim being read (at the next CLP, LX, or the transaction's end) and hands it on. */
  flushClaim(tx: TransactionState): void {
    this.flushLine(tx);
    const claim = tx.claim;
    if (claim === null) return;
    tx.claim = null;
    claim.adjustments = tx.claimAdjustments.take();
    claim.serviceLines = tx.lines.take(NO_LINES);
    if (tx.at === AT_CLAIM || tx.at === AT_LINE || tx.at === AT_ORPHAN_LINE) tx.at = AT_HEADER_NUMBER;
    const claimAdjusted = tx.claimAdjustedCents;
    const lineAdjusted = tx.claimLinesAdjustedCents;
    const patientShare = tx.claimPatientShareCents;
    tx.claimAdjustedCents = 0;
    tx.claimLinesAdjustedCents = 0;
    tx.claimPatientShareCents = 0;
    if (!tx.claimUnreadable) {
      const net = claim.chargeCents - claimAdjusted - lineAdjusted;
      // Some payers fold claim interest (AMT*I) into CLP04, or take a prompt-payment
      // discount (AMT*D8) out of it, without a CAS: a claim balancing that way is accepted.
      const interest = claim.amounts.I ?? 0;
      const discount = claim.amounts.D8 ?? 0;
      const balancesWithAmounts = (interest !== 0 || discount !== 0) && net + interest - discount === claim.paidCents;
      if (net !== claim.paidCents && !balancesWithAmounts) {
        tx.unbalanced = true;
        this.warning(
          `segment ${claim.segment} (CLP)`,
          `Claim ${claim.patientControlNumber} does not balance: charge ${dollars(claim.chargeCents)} minus adjustments ${dollars(claimAdjusted + lineAdjusted)}` +
            (claim.serviceLines.length > 0 ? ` (${dollars(claimAdjusted)} on the claim, ${dollars(lineAdjusted)} on its lines)` : "") +
            ` is ${dollars(net)}, but the claim paid ${dollars(claim.paidCents)} (difference ${dollars(net - claim.paidCents)}).`,
        );
      }
      if (patientShare !== claim.patientResponsibilityCents) {
        tx.unbalanced = true;
        this.warning(
          `segment ${claim.segment} (CLP), element 5`,
          `Claim ${claim.patientControlNumber}: patient responsibility (CLP05) is ${dollars(claim.patientResponsibilityCents)} but its patient-responsibility (PR) adjustments add up to ${dollars(patientShare)}.`,
        );
      }
    }
    tx.claimUnreadable = false;
    if (this.keepClaims) tx.transaction.claims.push(claim);
    if (this.handlers.claim !== undefined) {
      if (tx.header === null) tx.header = headerOf(tx.transaction);
      this.handlers.claim(tx.header, claim);
    }
  }
}

/** A copy of the header fields of a transaction (what is known before its claims). */
export function headerOf(transaction: Remit835Transaction): Remit835Header {
  return {
    segment: transaction.segment,
    controlNumber: transaction.controlNumber,
    implementation: transaction.implementation,
    interchangeControlNumber: transaction.interchangeControlNumber,
    groupControlNumber: transaction.groupControlNumber,
    senderId: transaction.senderId,
    receiverId: transaction.receiverId,
    handlingCode: transaction.handlingCode,
    totalPaymentCents: transaction.totalPaymentCents,
    creditDebit: transaction.creditDebit,
    paymentMethod: transaction.paymentMethod,
    paymentDate: transaction.paymentDate,
    traceNumber: transaction.traceNumber,
    originatorId: transaction.originatorId,
    productionDate: transaction.productionDate,
    payer: transaction.payer === null ? null : { ...transaction.payer },
    payee: transaction.payee === null ? null : { ...transaction.payee },
  };
}
