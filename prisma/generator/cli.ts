// Writes a synthetic practice-year to a directory (visits.csv, usage.csv, contracts.csv and
// the 835 remit files), streaming so that any size fits in memory.
//
//   npx tsx prisma/generator/cli.ts --out DIR [--patients N] [--seed S] [--year Y]
//       [--end-date YYYY-MM-DD] [--today YYYY-MM-DD] [--locality ST-NN]
import { parseArgs } from "node:util";
import { streamPracticeFiles } from "./generate";

const USAGE =
  "usage: npx tsx prisma/generator/cli.ts --out DIR [--patients N] [--seed S] [--year Y] [--end-date YYYY-MM-DD] [--today YYYY-MM-DD] [--locality ST-NN]";

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    console.error(`--${name} must be a whole number, got "${value}"\n${USAGE}`);
    process.exit(2);
  }
  return Number(value);
}

function main(): void {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: "string" },
        patients: { type: "string" },
        seed: { type: "string" },
        year: { type: "string" },
        "end-date": { type: "string" },
        today: { type: "string" },
        locality: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const out = values.out;
  if (typeof out !== "string" || out === "") {
    console.error(USAGE);
    process.exit(2);
  }
  const started = performance.now();
  let meta: ReturnType<typeof streamPracticeFiles>;
  try {
    meta = streamPracticeFiles(out, {
      patients: integer("patients", values.patients as string | undefined),
      seed: integer("seed", values.seed as string | undefined),
      year: integer("year", values.year as string | undefined),
      endDate: values["end-date"] as string | undefined,
      today: values.today as string | undefined,
      medicareLocality: values.locality as string | undefined,
    });
  } catch (error) {
    console.error(`generation failed: ${(error as Error).message}`);
    process.exit(1);
  }
  const seconds = (performance.now() - started) / 1000;
  const s = meta.summary;
  const lines = [
    `wrote ${out}`,
    `patients          ${s.patients} (Medicare ${s.medicarePatients})`,
    `visits            ${s.visits}`,
    `service lines     ${s.lines}`,
    `usage rows        ${s.usageRows}`,
    `contract rows     ${meta.contractsCsvRows.length}`,
    `remit files       ${s.remitFiles} (${s.remitClaimLoops} claim loops, ${s.remitServiceLines} service lines; ${s.outstandingClaims} claims outstanding)`,
    `Medicare patients crossing  $2,000: ${s.medicarePatientsCrossing.alert}  KX: ${s.medicarePatientsCrossing.kx}  $3,000: ${s.medicarePatientsCrossing.review}`,
    `KX                lines with KX ${s.linesWithKx}, missing KX ${s.linesMissingKx}, with GA ${s.linesWithGa}`,
    `denials           CO-119 ${s.denials.co119}, PR-119 ${s.denials.pr119}, CO-97 ${s.denials.co97}, CO-4 ${s.denials.co4}; underpaid lines ${s.underpaidLines}`,
    `seconds           ${seconds.toFixed(1)}`,
  ];
  console.log(lines.join("\n"));
}

main();
