// Which existing line a re-imported line continues (pairLinesByCode): the code is the identity.
import { describe, expect, it } from "vitest";
import { pairLinesByCode } from "./lines";

const old = (id: number, lineOrder: number, cpt: string, modifiers = ["GP"]) => ({ id, lineOrder, cpt, modifiers });
const line = (cpt: string, modifiers = ["GP"]) => ({ cpt, modifiers });

describe("pairLinesByCode", () => {
  it("keeps lines by code whatever their position; a code no longer in the file is removed, a new one added", () => {
    const existing = [old(1, 0, "97110"), old(2, 1, "97140"), old(3, 2, "97112")];
    expect(pairLinesByCode(existing, [line("97140"), line("97530"), line("97110")])).toEqual([2, null, 1]);
  });

  it("a changed code is a new line", () => {
    expect(pairLinesByCode([old(1, 0, "97110")], [line("97530")])).toEqual([null]);
  });

  it("between lines of the same code, same modifiers first, then line order", () => {
    const existing = [old(1, 0, "97110"), old(2, 1, "97110", ["GP", "59"])];
    expect(pairLinesByCode(existing, [line("97110", ["59", "GP"])])).toEqual([2]);
    expect(pairLinesByCode(existing, [line("97110", ["GP", "KX"]), line("97110", ["GP", "KX"])])).toEqual([1, 2]);
    expect(pairLinesByCode(existing, [line("97110"), line("97110"), line("97110")])).toEqual([1, 2, null]);
  });
});
