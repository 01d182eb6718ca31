// The sums a service line gets from its one remit line, as the COPY writer hands them to the
// pipeline instead of reading them back with revenue_line_remit_sums (migration line_remit_sums:
// line_count and paid over paid, reversed, reversal and secondary lines; net_count, allowed and PR
// over paid, reversed and reversal; the denial cause of a paid line). netted-at-write.int.test.ts
// checks the stored figures against the plain writer, which reads the sums back.
import { describe, expect, it } from "vitest";
import { remitSumsOfLineAlone } from "./remits";

// a 97110 line: charge $100, allowed $75, paid $60, PR-2 $15 (CO-45 $25)
const paidLine = { paidCents: 6000, allowedCents: 7500, patientRespCents: 1500, denialCause: null };

describe("a service line's remit sums with one remit line", () => {
  it("a primary payment counts in every sum", () => {
    // one line, one net payment: paid 6,000, allowed 7,500, PR 1,500
    expect(remitSumsOfLineAlone("paid", paidLine)).toEqual({
      lineCount: 1,
      netCount: 1,
      paidCents: 6000,
      allowedNetCents: 7500,
      patientRespCents: 1500,
      denialCause: null,
    });
  });

  it("a denial keeps its cause; nothing paid or allowed", () => {
    // CO-119 on a 97530 of $120: paid 0, allowed 0, no PR; the cause is the paid line's
    expect(remitSumsOfLineAlone("paid", { paidCents: 0, allowedCents: 0, patientRespCents: 0, denialCause: "missing_kx" })).toEqual({
      lineCount: 1,
      netCount: 1,
      paidCents: 0,
      allowedNetCents: 0,
      patientRespCents: 0,
      denialCause: "missing_kx",
    });
  });

  it("a secondary payer's line is cash only: counted and paid, not net, no allowed, PR or cause", () => {
    // $60 paid as secondary: line count 1, paid 6,000; net count, allowed and PR 0
    expect(remitSumsOfLineAlone("secondary", { ...paidLine, denialCause: "patient_liable" })).toEqual({
      lineCount: 1,
      netCount: 0,
      paidCents: 6000,
      allowedNetCents: 0,
      patientRespCents: 0,
      denialCause: null,
    });
  });

  it("a duplicate payment or a reversal without its original counts nowhere", () => {
    for (const role of ["duplicate", "unmatched_reversal"] as const)
      expect(remitSumsOfLineAlone(role, paidLine)).toEqual({
        lineCount: 0,
        netCount: 0,
        paidCents: 0,
        allowedNetCents: 0,
        patientRespCents: 0,
        denialCause: null,
      });
  });
});
