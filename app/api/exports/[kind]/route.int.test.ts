// Each download checks the read permission of the page that shows the same list, besides
// "data.export": an admin, who may not open the KX queue, underpayments or undercoding pages,
// may not download them either.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import KxPage from "@/app/(app)/kx/page";
import UndercodingPage from "@/app/(app)/undercoding/page";
import UnderpaymentsPage from "@/app/(app)/underpayments/page";
import { GET as kxExport } from "@/app/(app)/kx/export/route";
import { runAsUser } from "@/lib/server/core/context";
import { disconnectDb } from "@/lib/server/core/db";
import { createTestPractice, type TestPractice } from "@/lib/server/testing";
import { callPage, type PageComponent } from "@/lib/server/testing-pages";
import { GET } from "./route";

function download(userId: number, kind: string) {
  const request = new Request(`http://localhost/api/exports/${kind}?format=csv`);
  return runAsUser(userId, () => GET(request, { params: Promise.resolve({ kind }) }));
}

describe("GET /api/exports/[kind]: the same read permission as the list's page", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("export-perm");
  });
  afterAll(() => disconnectDb());

  it("refuses an admin the KX queue, underpayments and undercoding downloads (403), as their pages do", async () => {
    const pages = { "kx-queue": KxPage, underpayments: UnderpaymentsPage, undercoding: UndercodingPage };
    for (const [kind, page] of Object.entries(pages)) {
      expect((await callPage(t.users.ADMIN, page as PageComponent)).status, `${kind} page`).toBe(403);
      const res = await download(t.users.ADMIN, kind);
      expect(res.status, `${kind} export`).toBe(403);
      expect(await res.text()).not.toMatch(/patient_id|claim_id|visit_id/);
    }
    const kx = await runAsUser(t.users.ADMIN, () => kxExport(new Request("http://localhost/kx/export"), { params: Promise.resolve({}) }));
    expect(kx.status).toBe(403);
  });

  it("lets an admin download visits (visits.read), and a biller each of the four lists", async () => {
    expect((await download(t.users.ADMIN, "visits")).status).toBe(200);
    for (const kind of ["visits", "kx-queue", "underpayments", "undercoding"]) {
      const res = await download(t.users.BILLER, kind);
      expect(res.status, kind).toBe(200);
      // an empty practice: the header row of FORMATS.md alone
      expect((await res.text()).split(/\r?\n/)[0]).toMatch(/^[a-z_]+(,[a-z_]+)+$/);
    }
  });
});
