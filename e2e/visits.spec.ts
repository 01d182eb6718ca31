// A biller finds a patient, opens a visit, changes the minutes of a line and sees the units
// the visit supports recomputed on save; an invalid code is refused next to its field.
import { expect, test } from "@playwright/test";
import { DEMO, query, signIn } from "./helpers";

interface Line {
  cpt: string;
  minutes: number | null;
  unitsBilled: number;
  unitsSupported: number;
}

/** A Medicare visit of the demo practice with exactly two lines, both of timed codes (the CMS 8-minute rule applies). */
async function pickVisit() {
  const [visit] = await query<{ id: number; externalId: string; patientExternalId: string; lastName: string; firstName: string }>(
    `select v.id, v."externalId", pa."externalId" as "patientExternalId", pa."lastName", pa."firstName"
     from "Visit" v
     join "Practice" pr on pr.id = v."practiceId" and pr.slug = 'demo'
     join "Payer" p on p.id = v."payerId" and p.kind = 'medicare'
     join "Patient" pa on pa.id = v."patientId"
     where (select count(*) from "ServiceLine" s where s."visitId" = v.id) = 2
       and not exists (select 1 from "ServiceLine" s where s."visitId" = v.id
                       and (s.minutes is null or s.cpt not in ('97110', '97112', '97116', '97140', '97530', '97535')))
     order by v."dateOfService" desc, v.id
     limit 1`,
  );
  if (!visit) throw new Error("the demo practice has no Medicare visit with two timed lines: run the seed");
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
  await page.getByLabel("Search by name, patient ID, date of birth or member ID").fill(visit.patientExternalId);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/patients\?q=/);
  await page.getByRole("link", { name: `${visit.lastName}, ${visit.firstName}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${visit.lastName}, ${visit.firstName}`);

  await page.getByRole("link", { name: visit.externalId, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Visit ${visit.externalId}`);
  await expect(page.getByTestId("units-supported-1")).toHaveText(String(lines[0]!.unitsSupported));

  // Minutes set by hand and units worked out by hand (CMS 8-minute rule, DOMAIN.md §2, the
  // manual's 24 + 23 example): total 24 + 23 = 47 timed minutes → floor((47 + 7) / 15) = 3 units;
  // full units floor(24 / 15) = 1 and floor(23 / 15) = 1; the one unit left goes to the larger
  // leftover, 9 minutes (line 1) over 8 (line 2): line 1 supports 2, line 2 supports 1.
  await page.getByLabel("Line 1 minutes").fill("24");
  await page.getByLabel("Line 2 minutes").fill("23");
  await page.getByRole("button", { name: "Save visit" }).click();
  await expect(page).toHaveURL(/\?saved=\d+/);
  await expect(page.getByRole("status")).toContainText("Saved");
  await expect(page.getByTestId("units-supported-1")).toHaveText("2");
  await expect(page.getByTestId("units-supported-2")).toHaveText("1");
  await expect(page.getByLabel("Line 1 minutes")).toHaveValue("24");

  // 15 more minutes on line 2: 24 + 38 = 62 → floor(69 / 15) = 4 units; full units 1 and
  // floor(38 / 15) = 2; the one left goes to the larger leftover, 9 (line 1) over 8 (line 2): 2 and 2.
  await page.getByLabel("Line 2 minutes").fill("38");
  await page.getByRole("button", { name: "Save visit" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  await expect(page.getByTestId("units-supported-2")).toHaveText("2");
  await expect(page.getByTestId("units-supported-1")).toHaveText("2");
  await expect(page.getByLabel("Line 2 minutes")).toHaveValue("38");

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
