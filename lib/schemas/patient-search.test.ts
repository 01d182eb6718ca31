import { describe, expect, it } from "vitest";
import { patientSearchWords } from "./patient-search";

describe("reading a patient search as front desks type it", () => {
  it("reads a patient id in its common spellings as letters and a number without leading zeros", () => {
    for (const typed of ["P000012", "P-00012", "p12", "P 12", "p-12"]) {
      expect(patientSearchWords(typed).map((w) => w.id)).toEqual([{ letters: "P", number: "12" }]);
    }
    expect(patientSearchWords("000012")[0].id).toEqual({ letters: "", number: "12" });
  });

  it("reads a date of birth in ISO or US order, and refuses a date that does not exist", () => {
    expect(patientSearchWords("1948-03-02")[0].birthDate).toBe("1948-03-02");
    expect(patientSearchWords("3/2/1948")[0].birthDate).toBe("1948-03-02");
    expect(patientSearchWords("03-02-1948")[0].birthDate).toBe("1948-03-02");
    expect(patientSearchWords("2/30/1948")[0].birthDate).toBeNull();
    expect(patientSearchWords("3/2/48")[0].birthDate).toBeNull();
  });

  it("keeps names as typed and is not an id or a date", () => {
    const [w] = patientSearchWords("Garcia");
    expect(w).toEqual({ text: "Garcia", id: null, birthDate: null });
  });

  it("drops NUL characters and keeps at most five words", () => {
    expect(patientSearchWords("a\u0000b").map((w) => w.text)).toEqual(["ab"]);
    expect(patientSearchWords("a b c d e f g")).toHaveLength(5);
  });
});
