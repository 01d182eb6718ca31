// A biller finds a patient, opens a visit, changes the minutes of a line and sees the units
// the visit supports recomputed on save; an invalid code is refused next to its field.
import { expect, test } from "@playwright/test";
import { unitsByEightMinuteRule } from "../lib/billing/units";
import { DEMO, query, signIn } from "./helpers";

interface Line {
  cpt: string;
  minutes: number | null;
  unitsBilled: number;
  unitsSupported: number;
}

/** A Medicare visit of the demo practice whose lines all carry minutes (the CMS 8-minute rule applies). */
async function pickVisit() {
  const [visit] = await query<{ id: number; externalId: string; patientExternalId: string; lastName: string; firstName: string }>(
    `select v.id, v."externalId", pa."externalId" as "patientExternalId", pa."lastName", pa."firstName"
     from "Visit" v
     join "Practice" pr on pr.id = v."practiceId" and pr.slug = 'demo'
     join "Payer" p on p.id = v."payerId" and p.kind = 'medicare'
     join "Patient" pa on pa.id = v."patientId"
     where not exists (select 1 from "ServiceLine" s where s."visitId" = v.id and (s.minutes is null or s.minutes > 400))
       and (select count(*) from "ServiceLine" s where s."visitId" = v.id) between 1 and 4
     order by v."dateOfService" desc, v.id
     limit 1`,
  );
  if (!visit) throw new Error("the demo practice has no Medicare visit with timed lines: run the seed");
  const lines = await query<Line>(
    `select cpt, minutes, "unitsBilled", "unitsSupported" from "ServiceLine" where "visitId" = $1 order by "lineOrder"`,
    [visit.id],
  );
  return { visit, lines };
}

test("a biller edits the minutes of a visit line and sees the units supported recomputed", async ({ page }) => {
  const { visit, lines } = await pickVisit();
  await signIn(page, DEMO.BILLER);

  await page.goto("/patients");
  await page.getByLabel("Search by name or patient ID").fill(visit.patientExternalId);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/patients\?q=/);
  await page.getByRole("link", { name: `${visit.lastName}, ${visit.firstName}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${visit.lastName}, ${visit.firstName}`);

  await page.getByRole("link", { name: visit.externalId, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Visit ${visit.externalId}`);
  await expect(page.getByTestId("units-supported-1")).toHaveText(String(lines[0]!.unitsSupported));

  // 15 more minutes on line 1: one more unit for the visit, by the CMS 8-minute rule
  const minutes = lines[0]!.minutes! + 15;
  const expected = unitsByEightMinuteRule(
    lines.map((l, i) => ({ cpt: l.cpt, minutes: i === 0 ? minutes : l.minutes, unitsBilled: l.unitsBilled })),
    "cms",
  ).lines[0]!.unitsSupported;
  expect(expected).not.toBe(lines[0]!.unitsSupported);
  await page.getByLabel("Line 1 minutes").fill(String(minutes));
  await page.getByRole("button", { name: "Save visit" }).click();
  await expect(page).toHaveURL(/\?saved=\d+/);
  await expect(page.getByRole("status")).toContainText("Saved");
  await expect(page.getByTestId("units-supported-1")).toHaveText(String(expected));
  await expect(page.getByLabel("Line 1 minutes")).toHaveValue(String(minutes));

  // an invalid code is refused next to its field, and nothing is saved
  await page.getByLabel("Line 1 code").fill("97X1");
  await page.getByRole("button", { name: "Save visit" }).click();
  await expect(page.getByLabel("Line 1 code")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("visit-line-1").locator(".field-error")).toContainText("5-character CPT/HCPCS code");
  await expect(page.getByRole("alert").filter({ hasText: "Some fields need attention" })).toBeVisible();
  const [stored] = await query<{ cpt: string }>(`select cpt from "ServiceLine" where "visitId" = $1 order by "lineOrder" limit 1`, [
    visit.id,
  ]);
  expect(stored!.cpt).toBe(lines[0]!.cpt);
});
