// The threshold page of a patient with nothing on file opens on this year in the practice's
// time zone, not UTC's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, db, type TestPractice } from "../testing";
import { patientThresholdView } from "./threshold";

describe("the threshold page's default year", () => {
  let t: TestPractice;
  let patientId: number;
  beforeAll(async () => {
    t = await createTestPractice("kx-year");
    const patient = await db().patient.create({
      data: { practiceId: t.practiceId, externalId: "NEW-1", firstName: "Nora", lastName: "New", birthDate: new Date("1950-01-01") },
    });
    patientId = patient.id;
  });
  afterAll(() => disconnectDb());

  it("is still 2026 at 9 pm on 31 December in New York (02:00 on 1 January 2027 in UTC)", async () => {
    // 2027-01-01T02:00Z is 2026-12-31 21:00 in New York (UTC−5 in winter)
    const now = new Date("2027-01-01T02:00:00Z");
    const actor = { practiceId: t.practiceId, userId: t.users.BILLER, alertLevelCents: 200000 };
    const inNewYork = await asPractice(t, () => patientThresholdView({ ...actor, timeZone: "America/New_York" }, patientId, { now }));
    expect(inNewYork?.year).toBe(2026);
    // the same instant for a practice on UTC is already the new year
    const inUtc = await asPractice(t, () => patientThresholdView({ ...actor, timeZone: "UTC" }, patientId, { now }));
    expect(inUtc?.year).toBe(2027);
  });
});
