// The owner of the example practice sets ambiguous undercoding notes apart: the counted loss on the
// undercoding page drops to the clear notes, the ambiguous ones are summed as possible loss beside it
// and listed with why they are ambiguous, and turning the option off counts them again.
import { expect, type Page, test } from "@playwright/test";
import { apiAs, OTHER, signIn } from "./helpers";

// Blue Cross Example (e2e/fixtures/example-practice/contracts.csv) pays 97110 $38.00 and 97530 $42.00 per
// unit with no multiple-procedure reduction, the lesser of charge and contract: with a $200.00 charge a 97110
// unit billed as 97530 gains $42.00 − $38.00 = $4.00. The example visits end in October 2026: the week of
// Monday 2026-11-09 holds only these three visits, each its own patient-day.
const WEEK = "2026-11-09";
const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const row = (n: number, minutes: number, units: number, note: string) =>
  `UC-E2E-${n},Una,Case${n},1975-05-0${n},Blue Cross Example,commercial,UCM${n},UC-V${n},UC-C${n},2026-11-10,1000000003,Cleo Reyes,OT,11,97110,GO,${minutes},${units},200.00,"${note}"`;
const VISITS = [
  HEADER,
  // clear functional note: 2 units × $4.00 = $8.00, counted with or without the option
  row(1, 30, 2, "Toilet transfers x5 with grab bar, CGA."),
  // as much named exercise as functional work: 3 units × $4.00 = $12.00, possible with the option
  row(2, 45, 3, "Goblet squats 3x10, then squat to pick up laundry from the floor x5."),
  // functional work only attempted: 1 unit × $4.00 = $4.00, possible with the option
  row(3, 15, 1, "Car transfer attempted then stopped for pain; seated rest."),
].join("\n");

async function setOption(page: Page, value: "on" | "off") {
  await page.getByLabel("Ambiguous notes", { exact: true }).selectOption(value);
  await page.getByRole("button", { name: "Save undercoding option" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible({ timeout: 60_000 });
  await page.goto(`/undercoding?week=${WEEK}&weeks=1`);
}

test("the owner sets ambiguous notes apart: counted and possible loss on screen", async ({ page, baseURL }) => {
  const biller = await apiAs(baseURL!, OTHER.BILLER);
  const imported = await biller.post("/api/imports/visits", {
    headers: { Origin: new URL(baseURL!).origin },
    multipart: { file: { name: "undercoding-week.csv", mimeType: "text/csv", buffer: Buffer.from(VISITS) } },
  });
  expect(imported.status(), await imported.text()).toBe(200);
  await biller.dispose();

  await signIn(page, OTHER.OWNER);
  await page.goto(`/undercoding?week=${WEEK}&weeks=1`);
  const counted = page.locator('[data-figure="counted-loss"]');
  const possible = page.locator('[data-figure="possible-loss"]');
  // option off: all three are counted, $8.00 + $12.00 + $4.00 = $24.00
  await expect(counted).toContainText("$24.00");
  await expect(counted).toContainText("over 3 lines");
  await expect(possible).toHaveCount(0);

  await setOption(page, "on");
  // option on: counted $8.00 (one line); possible $12.00 + $4.00 = $16.00 (two lines)
  await expect(counted).toContainText("$8.00");
  await expect(counted).toContainText("counted loss over 1 line");
  await expect(possible).toContainText("$16.00");
  await expect(possible).toContainText("over 2 lines");
  const weekRow = page.getByRole("table", { name: "Counted and possible loss by week" }).getByRole("row").last();
  await expect(weekRow).toContainText("$8.00");
  await expect(weekRow).toContainText("$16.00");
  // the possible lines are listed with why, and their words highlighted
  const attempted = page.locator("article.undercoding-possible", { hasText: "UC-V3" });
  await expect(attempted).toContainText("Possible: could be 97530 (not counted)");
  await expect(attempted).toContainText("Possible gain $4.00");
  await expect(attempted).toContainText('the functional work was only attempted ("Car transfer")');
  await expect(attempted.locator("mark")).toHaveText(["Car transfer"]);
  await expect(page.locator("article.undercoding-possible")).toHaveCount(2);
  // the counted line names the rule that decided it
  await expect(page.locator("article.undercoding-candidate", { hasText: "UC-V1" })).toContainText(
    "Rule: a 97110 line whose note charts a functional task performed in the session.",
  );

  await setOption(page, "off");
  await expect(counted).toContainText("$24.00");
  await expect(possible).toHaveCount(0);
});
