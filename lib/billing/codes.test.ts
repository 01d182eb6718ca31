import { describe, expect, it } from "vitest";
import {
  expectedAssistantModifier,
  expectedDisciplineModifier,
  isAssistantLine,
  isTimedCode,
  isUntimedCode,
  parseModifiers,
  poolOfLine,
} from "./codes";

describe("timed and untimed codes", () => {
  it.each(["97110", "97112", "97116", "97140", "97530", "97535", "97032", "97035", "97036", "97750", "97763"])("%s is timed", (code) => {
    expect(isTimedCode(code)).toBe(true);
    expect(isUntimedCode(code)).toBe(false);
  });
  it.each(["97161", "97164", "97165", "97168", "97010", "97014", "G0283", "97150", "92507", "92526"])("%s is untimed", (code) => {
    expect(isTimedCode(code)).toBe(false);
    expect(isUntimedCode(code)).toBe(true);
  });
  // Every code DOMAIN.md "Precise cases" names as timed (97032–97039 are the constant-attendance
  // modalities that exist: 97032, 97033, 97034, 97035, 97036, 97039).
  it.each([
    "97110",
    "97112",
    "97113",
    "97116",
    "97140",
    "97530",
    "97533",
    "97535",
    "97537",
    "97542",
    "97750",
    "97755",
    "97760",
    "97761",
    "97763",
    "97032",
    "97033",
    "97034",
    "97035",
    "97036",
    "97039",
  ])("%s is on the timed list of DOMAIN.md", (code) => {
    expect(isTimedCode(code)).toBe(true);
  });
  it("normalizes case and whitespace", () => {
    expect(isUntimedCode(" g0283 ")).toBe(true);
  });
});

describe("modifiers and pools", () => {
  it("parses semicolon-separated modifiers", () => {
    expect(parseModifiers("gp; KX;;59")).toEqual(["GP", "KX", "59"]);
    expect(parseModifiers("")).toEqual([]);
  });

  it("GN goes with GP into the PT_SLP pool; GO is its own pool", () => {
    expect(poolOfLine(["GP"])).toBe("PT_SLP");
    expect(poolOfLine(["GN", "KX"])).toBe("PT_SLP");
    expect(poolOfLine(["GO", "CO"])).toBe("OT");
    expect(poolOfLine(["KX"])).toBeNull();
  });

  it("credential → discipline and assistant modifiers", () => {
    expect(["PT", "PTA", "OT", "OTA", "SLP"].map((c) => expectedDisciplineModifier(c as "PT"))).toEqual(["GP", "GP", "GO", "GO", "GN"]);
    expect(["PT", "PTA", "OT", "OTA", "SLP"].map((c) => expectedAssistantModifier(c as "PT"))).toEqual([null, "CQ", null, "CO", null]);
    expect(isAssistantLine(["GP", "CQ"])).toBe(true);
    expect(isAssistantLine(["GP"])).toBe(false);
  });
});
