// Reads of patient data, against the example practice (e2e/fixtures/example-practice)
// imported through the real importers: every page that shows patients writes an audit
// event naming them, and the long lists are served 50 rows a page.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ClaimsToFixPage from "@/app/(app)/claims-to-fix/page";
import DenialsPage from "@/app/(app)/denials/page";
import PatientsPage from "@/app/(app)/patients/page";
import UnmatchedPage from "@/app/(app)/remits/unmatched/page";
import UnderpaymentsPage from "@/app/(app)/underpayments/page";
import NewVisitPage from "@/app/(app)/visits/new/page";
import { DeniedLineRows } from "@/components/denied-line-rows";
import { UnderpaymentRows } from "@/components/underpayment-rows";
import { disconnectDb } from "./core/db";
import { importCsv } from "./imports";
import { import835 } from "./remits/import";
import { asPractice, createTestPractice, type TestPractice, db } from "./testing";
import { callPage, type PageComponent } from "./testing-pages";

const dir = path.resolve("e2e/fixtures/example-practice");
const read = (f: string) => fs.readFileSync(path.join(dir, f));

/** The rows a page hands to a client component that draws them (its <tr>s are drawn from these). */
function rowsHandedTo(node: unknown, component: unknown, out: Record<string, unknown>[] = []) {
  if (Array.isArray(node)) for (const n of node) rowsHandedTo(n, component, out);
  else if (node && typeof node === "object" && "props" in node) {
    const element = node as { type: unknown; props: Record<string, unknown> };
    if (element.type === component) out.push(...(element.props.rows as Record<string, unknown>[]));
    rowsHandedTo(element.props.children, component, out);
  }
  return out;
}

describe("reads of patient data", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("data-reads");
    for (const [kind, file] of [
      ["visits", "visits.csv"],
      ["usage", "usage.csv"],
      ["contracts", "contracts.csv"],
    ] as const) {
      // United's contract at 220% of Medicare instead of 110%: every paid United line is then
      // underpaid, more than one page of the worklist
      const content =
        file === "contracts.csv" ? Buffer.from(read(file).toString("utf8").replaceAll(",,110,2026,", ",,220,2026,")) : read(file);
      const r = await asPractice(t.practiceId, () =>
        importCsv({ kind, practiceId: t.practiceId, userId: t.users.ADMIN, fileName: file, content }),
      );
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
    const r = await asPractice(t.practiceId, () =>
      import835({
        practiceId: t.practiceId,
        userId: t.users.ADMIN,
        fileName: "remit-united.835",
        content: read("remit-united.835"),
      }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  }, 180_000);
  afterAll(() => disconnectDb());

  /** The newest audit event of a user in the practice. */
  async function lastEvent(userId: number) {
    return db().auditEvent.findFirstOrThrow({ where: { practiceId: t.practiceId, userId }, orderBy: { id: "desc" } });
  }
  const patientIdsOf = (e: { details: unknown }) =>
    ((e.details as { patientIds?: number[] }).patientIds ?? []).slice().sort((a, b) => a - b);

  it("audits a patient search, naming the patients it listed", async () => {
    const ex000 = await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "EX-000" } });
    const answer = await callPage(t.users.OWNER, PatientsPage as PageComponent, { q: "EX-000" });
    expect(answer.status).toBe(200);
    const e = await lastEvent(t.users.OWNER);
    expect(e.action).toBe("patient.search");
    expect(patientIdsOf(e)).toEqual([ex000.id]);
    expect((e.details as { q: string }).q).toBe("EX-000");
  });

  it("audits claims to fix, the underpayment list, the denials and unmatched remits, and a new-visit form", async () => {
    const views: [string, PageComponent, Record<string, string>][] = [
      ["claims.view_to_fix", ClaimsToFixPage as PageComponent, {}],
      ["underpayments.view", UnderpaymentsPage as PageComponent, {}],
      ["denials.view", DenialsPage as PageComponent, { from: "2026-01-01", to: "2026-12-31" }],
      ["remits.view_unmatched", UnmatchedPage as PageComponent, {}],
    ];
    const practicePatients = new Set((await db().patient.findMany({ where: { practiceId: t.practiceId } })).map((p) => p.id));
    for (const [action, page, params] of views) {
      const before = await db().auditEvent.count({ where: { practiceId: t.practiceId, action } });
      expect((await callPage(t.users.OWNER, page, params)).status, action).toBe(200);
      const e = await lastEvent(t.users.OWNER);
      expect(e.action).toBe(action);
      expect(await db().auditEvent.count({ where: { practiceId: t.practiceId, action } })).toBe(before + 1);
      for (const id of patientIdsOf(e)) expect(practicePatients.has(id), `${action} names patient ${id}`).toBe(true);
    }
    // claims to fix and the underpayment list name the patients of their rows
    const underpaid = await db().auditEvent.findFirstOrThrow({ where: { practiceId: t.practiceId, action: "underpayments.view" } });
    expect(patientIdsOf(underpaid).length).toBeGreaterThan(0);

    const patient = await db().patient.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "EX-002" } });
    expect((await callPage(t.users.BILLER, NewVisitPage as PageComponent, { patient: String(patient.id) })).status).toBe(200);
    const form = await lastEvent(t.users.BILLER);
    expect([form.action, form.patientId]).toEqual(["visit.new_form", patient.id]);
  });

  it("serves the underpayment worklist 50 lines a page, the total counted by the database", async () => {
    // expected-underpayments-united.csv lists the 67 paid United lines (allowed above zero); at
    // 220% of Medicare each is underpaid: page 1 shows 50, page 2 the other 67 - 50 = 17, page 3 none
    const expected = fs.readFileSync(path.join(dir, "expected-underpayments-united.csv"), "utf8").trim().split(/\r?\n/).slice(1);
    expect(expected.filter((l) => Number(l.split(",")[4]) > 0).length).toBe(67);
    const rowsOn = async (page?: string) => {
      const answer = await callPage(t.users.MANAGER, UnderpaymentsPage as PageComponent, page ? { page } : {});
      expect(answer.status).toBe(200);
      // the rows are drawn by a client component (components/underpayment-rows.tsx), one <tr> each
      return rowsHandedTo(answer.element, UnderpaymentRows).length;
    };
    expect(await rowsOn()).toBe(50);
    expect(await rowsOn("2")).toBe(17);
    expect(await rowsOn("3")).toBe(0);
  });

  it("serves the denied lines behind a figure 50 a page", async () => {
    // a practice of its own, where the United remit gives every line's contractual adjustment as
    // CARC 50 (not medically necessary) instead of 45: its 67 lines (67 CAS*CO*45 segments) are
    // then denied for necessity; page 1 shows 50, page 2 the other 67 - 50 = 17
    const d = await createTestPractice("denial-pages");
    for (const [kind, file] of [
      ["visits", "visits.csv"],
      ["contracts", "contracts.csv"],
    ] as const) {
      const r = await asPractice(d.practiceId, () =>
        importCsv({ kind, practiceId: d.practiceId, userId: d.users.ADMIN, fileName: file, content: read(file) }),
      );
      expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    }
    const united = read("remit-united.835").toString("utf8");
    expect(united.split("CAS*CO*45*").length - 1).toBe(67);
    const content = Buffer.from(united.replaceAll("CAS*CO*45*", "CAS*CO*50*"));
    const r = await asPractice(d.practiceId, () =>
      import835({ practiceId: d.practiceId, userId: d.users.ADMIN, fileName: "united-50.835", content }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");

    const linesOn = async (page: number) => {
      const answer = await callPage(d.users.OWNER, DenialsPage as PageComponent, {
        from: "2026-01-01",
        to: "2026-12-31",
        cause: "necessity",
        page: String(page),
      });
      expect(answer.status).toBe(200);
      // each denied line links to its remit once (components/denied-line-rows.tsx draws the link
      // from the line's payment)
      return rowsHandedTo(answer.element, DeniedLineRows).filter((line) => typeof line.paymentId === "number").length;
    };
    expect(await linesOn(1)).toBe(50);
    expect(await linesOn(2)).toBe(17);
    expect(await linesOn(3)).toBe(0);
  });
});
