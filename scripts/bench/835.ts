// npm run bench -- 835 [--lines 1000000 | --mb 100] [--slice-mb 20] [--runs 5] [--import-runs 3] [--skip-import]
//                      [--only part,part,...] [--own]
//
// The 835 benchmark (docs/performance.md, "Remits (835)"):
//   1. writes a synthetic 835 of a million service lines (about 150 MB; or --mb megabytes)
//      with prisma/generator/x12 into bench-out/ (and a 20 MB one for the packages);
//   2. parse throughput (MB/s) of our reader, of a bare String.split tokenizer, and of the
//      npm packages node-x12 and x12-parser (on the 20 MB file: node-x12 holds the whole tree);
//   3. the full import (import835: parse, match, insert, confirm) into its own database,
//      therapy_bench_835, in lines per second;
//   4. the peak memory (RSS, sampled every 20 ms) of each measurement, each run in its own
//      process so that one does not inherit another's heap;
//   5. long segments: a 36 MB 835 whose 40 segments of 900,000 characters each arrive in the
//      import's 16 KB pieces (part "long-segments"): the tokenizer must stay linear.
// --only runs just the named parts (e.g. --only long-segments,ours,x12-parser --skip-import).
// --own imports the file as a practice's own: a second practice, "bench-835-own", holds our
// side of every claim of the file (each line one of its visits' lines, 40% of the claims
// Medicare), so every line is matched and confirmed (e.g. --only seed,import --own).
// Targets: parse ≥ 10× the faster package and faster than the bare split; import ≥ 50,000
// lines/s; peak memory ≤ 300 MB.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { IMPORT_PIECE_BYTES } from "@/lib/server/imports/source";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const outDir = path.join(root, "bench-out");
const MB = 1024 * 1024;
const BENCH_DATABASE = "therapy_bench_835";

interface PartResult {
  part: string;
  file: string;
  megabytes: number;
  seconds: number;
  mbPerSecond: number;
  /** megabytes per CPU second (user + system of the process) */
  cpuMbPerSecond?: number;
  cpuSeconds?: number;
  peakRssMb: number;
  segments?: number;
  claims?: number;
  serviceLines?: number;
  linesPerSecond?: number;
  status?: string;
  runs?: number[];
  /** seconds per phase of the import (the phases overlap: inserts run while the next batch is read) */
  phases?: Record<string, number>;
  error?: string;
}

function flag(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

// ------------------------------------------------------------------ memory sampling

function sampleRss(): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, 20);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return Math.round((peak / MB) * 10) / 10;
    },
  };
}

/** CPU seconds (user + system) since `since`: steadier than wall time on a shared machine. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

// ------------------------------------------------------------------ the file

/** Bumped when lib/x12/generate.ts writes different files for the same seed (cached files are then rewritten). */
const GENERATOR_VERSION = 2;

async function ensureFile(
  target: { mb: number } | { lines: number },
  seed: number,
): Promise<{ file: string; totals: Record<string, number> }> {
  fs.mkdirSync(outDir, { recursive: true });
  const size = "mb" in target ? `${target.mb}mb` : `${target.lines}lines`;
  const file = path.join(outDir, `bench-835-${size}-seed${seed}-g${GENERATOR_VERSION}.835`);
  const meta = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(meta)) return { file, totals: JSON.parse(fs.readFileSync(meta, "utf8")) };
  const { generate835Chunks } = await import("@/prisma/generator/x12");
  const started = performance.now();
  const out = fs.createWriteStream(file);
  const it = generate835Chunks("mb" in target ? { seed, targetBytes: target.mb * MB } : { seed, targetServiceLines: target.lines });
  let totals: Record<string, number> = {};
  for (;;) {
    const next = it.next();
    if (next.done) {
      totals = { ...next.value };
      break;
    }
    if (!out.write(next.value)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });
  fs.writeFileSync(meta, JSON.stringify(totals));
  process.stderr.write(
    `wrote ${path.relative(root, file)} (${(totals.bytes! / MB).toFixed(1)} MB, ${totals.serviceLines} lines) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return { file, totals };
}

// ------------------------------------------------------------------ parts (each in its own process)

// The parsers read the file in slices of 256 KB. `npm run import -- 835` hands the reader 16 KB
// at a time (IMPORT_PIECE_BYTES: its writer's statements wait for the process between two
// pieces), which costs the reader a little: the `ours-import-slices` part measures ours that way.
const SLICE_BYTES = 1 << 18;

/** The file read from disk a slice at a time (as `npm run import -- 835` streams it): memory stays at a slice. */
function* fileSlices(file: string, bytes = SLICE_BYTES): Generator<Buffer, void, undefined> {
  const fd = fs.openSync(file, "r");
  try {
    for (;;) {
      const slice = Buffer.allocUnsafe(bytes);
      const n = fs.readSync(fd, slice, 0, bytes, null);
      if (n === 0) return;
      yield n < bytes ? slice.subarray(0, n) : slice;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Our reader, streaming from disk: every claim built (lines, adjustments, dates, allowed) and counted. */
async function parseOurs(file: string, runs: number, sliceBytes = SLICE_BYTES): Promise<Partial<PartResult>> {
  const { Remit835Reader } = await import("@/lib/x12/reader");
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let claims = 0;
  let lines = 0;
  // one set of handlers for every run, as one importer process reads file after file (new
  // closures per run would make each run start cold again)
  const handlers = {
    claim: (_h: unknown, c: { serviceLines: readonly unknown[] }) => {
      claims++;
      lines += c.serviceLines.length;
    },
    warning: () => {},
    error: (e: { where: string; message: string }) => {
      throw new Error(`${e.where}: ${e.message}`);
    },
  };
  for (let r = 0; r < runs; r++) {
    claims = 0;
    lines = 0;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const reader = new Remit835Reader(handlers);
    // as read835 (the importer's entry point) feeds it: bytes, decoded and scanned a slice at a time
    for (const slice of fileSlices(file, sliceBytes)) reader.pushBytes(slice);
    reader.end();
    times.push((performance.now() - started) / 1000);
    cpuTimes.push(cpuSeconds(cpu0));
  }
  return { seconds: Math.min(...times), cpuSeconds: Math.min(...cpuTimes), runs: times, claims, serviceLines: lines };
}

/**
 * Where our parse time goes: UTF-8 decoding and segment tokenizing alone (no 835 model), to
 * set against the whole reader of the "ours" part. In a process of its own: sharing the
 * tokenizer's call sites between two sinks would slow the reader down (polymorphic calls).
 */
async function profileOurs(file: string, runs: number): Promise<Partial<PartResult>> {
  const { textChunks } = await import("@/lib/x12/read835");
  const { X12Tokenizer } = await import("@/lib/x12/tokenizer");
  const bytes = fs.readFileSync(file);
  const best = async (fn: () => Promise<void>) => {
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const started = performance.now();
      await fn();
      times.push((performance.now() - started) / 1000);
    }
    return Math.min(...times);
  };
  const decode = await best(async () => {
    for await (const _ of textChunks(bytes));
  });
  let segments = 0;
  const tokenize = await best(async () => {
    segments = 0;
    const tokenizer = new X12Tokenizer({ segment: () => void segments++, warning: () => {}, error: () => {} });
    tokenizer.pushBytes(bytes);
    tokenizer.end();
  });
  const mb = bytes.length / MB;
  process.stderr.write(
    `profile: decode ${(mb / decode).toFixed(0)} MB/s, decode + tokenize ${(mb / tokenize).toFixed(0)} MB/s (${segments.toLocaleString("en-US")} segments)\n`,
  );
  return { seconds: tokenize, runs: [decode, tokenize], segments };
}

/** The floor of any tokenizer: split into segments, elements and SVC/CLP composites, nothing built. */
async function parseSplit(file: string, runs: number): Promise<Partial<PartResult>> {
  const bytes = fs.readFileSync(file);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let segments = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const text = bytes.toString("utf8");
    const e = text[3]!;
    const isa16 = text.split(e, 17)[16] ?? ":~";
    const c = isa16[0]!;
    const t = isa16[1]!;
    segments = 0;
    let sink = 0;
    for (const segment of text.split(t)) {
      const elements = segment.trim().split(e);
      if (elements[0] === "SVC") sink += elements[1]!.split(c).length;
      sink += elements.length;
      segments++;
    }
    if (sink < 0) throw new Error("unreachable");
    times.push((performance.now() - started) / 1000);
    cpuTimes.push(cpuSeconds(cpu0));
  }
  return { seconds: Math.min(...times), cpuSeconds: Math.min(...cpuTimes), runs: times, segments };
}

async function parseNodeX12(file: string, runs: number): Promise<Partial<PartResult>> {
  const require = createRequire(import.meta.url);
  const { X12Parser } = require("node-x12") as {
    X12Parser: new (strict: boolean) => { parse(text: string): { functionalGroups: { transactions: unknown[] }[] } };
  };
  const text = fs.readFileSync(file, "utf8");
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let transactions = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const interchange = new X12Parser(true).parse(text);
    transactions = interchange.functionalGroups.reduce((s, g) => s + g.transactions.length, 0);
    times.push((performance.now() - started) / 1000);
    cpuTimes.push(cpuSeconds(cpu0));
  }
  return { seconds: Math.min(...times), cpuSeconds: Math.min(...cpuTimes), runs: times, segments: transactions };
}

async function parseX12Parser(file: string, runs: number): Promise<Partial<PartResult>> {
  const require = createRequire(import.meta.url);
  const { X12parser } = require("x12-parser") as { X12parser: new () => NodeJS.ReadWriteStream };
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let segments = 0;
  for (let r = 0; r < runs; r++) {
    segments = 0;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    await new Promise<void>((resolve, reject) => {
      const parser = new X12parser();
      parser.on("data", () => {
        segments++;
      });
      parser.on("end", () => resolve());
      parser.on("error", reject);
      fs.createReadStream(file).on("error", reject).pipe(parser);
    });
    times.push((performance.now() - started) / 1000);
    cpuTimes.push(cpuSeconds(cpu0));
  }
  return { seconds: Math.min(...times), cpuSeconds: Math.min(...cpuTimes), runs: times, segments };
}

/** import835 into therapy_bench_835: a practice with some claims to match, then the whole file. */
const OWN = process.argv.includes("--own") || process.env.BENCH_835_OWN === "1";
/** the mixed file's practice holds 10,000 of its claims; the own file's practice holds them all */
// The own practice is seeded once for its file and kept: the million-line file's is
// "bench-835-own", a smaller file's (`--lines 100000`) one of its own beside it.
function benchPractice(file = process.env.BENCH_835_FILE ?? ""): string {
  if (!OWN) return "bench-835";
  const size = /bench-835-(\w+)-seed/.exec(path.basename(file))?.[1];
  return size === undefined || size === "1000000lines" ? "bench-835-own" : `bench-835-own-${size}`;
}
const BENCH_PRACTICE = benchPractice();

/** The bench practice, its remit tables emptied, with our side of the file's first claims (own process: uncapped heap). */
async function seedPart(file: string): Promise<Partial<PartResult>> {
  const { disconnectDb } = await import("@/lib/server/core/db");
  // the bench's fixtures as the owner: the truncate below needs it, and row-level security
  // would hide the rows from the app's role
  const { db } = await import("@/lib/server/testing");
  const { createPractice, findPracticeBySlug } = await import("@/lib/server/practices");
  const started = performance.now();
  let practice = await findPracticeBySlug(BENCH_PRACTICE);
  if (!practice)
    practice = await createPractice({ slug: BENCH_PRACTICE, name: "Bench 835", medicareLocality: "NY-01", timeZone: "America/New_York" });
  // a clean slate for the remits (this database exists for the benchmark only)
  await db().$executeRawUnsafe(
    `truncate "RemitAdjustment", "RemitLine", "RemitClaim", "ProviderAdjustment", "RemitPayment", "RemitFile" cascade`,
  );
  await db().importJob.deleteMany({ where: { practiceId: practice.id, kind: "REMIT_835" } });
  // what the last import confirmed goes with its remits, so that each run confirms every line
  // and recomputes every KX total anew (the truncate fires no trigger)
  // (every practice's: the remit tables above are emptied for all of them)
  await db().$executeRawUnsafe(`truncate "ServiceLineRemit"`);
  await db().$executeRawUnsafe(`delete from "KxQueueItem" where "practiceId" = $1`, practice.id);
  await db().$executeRawUnsafe(`delete from "RevenueDirtyWeek" where "practiceId" = $1`, practice.id);
  await seedClaimsToMatch(practice.id, file);
  // statistics of what was seeded, before the import plans its first statements: a seeding of
  // a million lines committed just before was otherwise planned against the tables as they
  // were (the own file's first matching query ran for 13 minutes before autovacuum caught up)
  await db().$executeRawUnsafe(`analyze "Patient", "Claim", "Visit", "ServiceLine"`);
  // the reset's deleted queue items and stale-week marks (111,000 for the million-line own file)
  // cleared before the timed import, as a practice's real import finds them: left to autovacuum,
  // the next import worked beside them and ran 11,500–13,500 lines/s instead of 14,700
  // (docs/performance.md, "A new database's first large 835")
  await db().$executeRawUnsafe(`vacuum (analyze) "KxQueueItem", "RevenueDirtyWeek"`);
  // a checkpoint before the timed import, where the role may (the schema's owner is no superuser)
  await db()
    .$executeRawUnsafe("checkpoint")
    .catch(() => {});
  await disconnectDb();
  return { seconds: (performance.now() - started) / 1000 };
}

async function importPart(file: string): Promise<Partial<PartResult>> {
  const { disconnectDb } = await import("@/lib/server/core/db");
  const { import835 } = await import("@/lib/server/remits/import");
  const { findPracticeBySlug } = await import("@/lib/server/practices");
  const { enterPracticeScopeForProcess } = await import("@/lib/server/core/scope");
  const practice = await findPracticeBySlug(BENCH_PRACTICE);
  if (!practice) throw new Error(`no practice ${BENCH_PRACTICE}: the seed part makes it`);
  // the import in the practice's scope, as `npm run import -- 835 --practice` runs it
  enterPracticeScopeForProcess(practice.id);
  const { fileSource } = await import("@/lib/server/imports/source");
  const rss = sampleRss();
  const started = performance.now();
  // streamed from disk, as `npm run import -- 835` does (the hash pass is part of the time)
  const content = await fileSource(file);
  let phases: Record<string, number> = {};
  let writerFinished = 0;
  const result = await import835({
    practiceId: practice.id,
    userId: null,
    fileName: path.basename(file),
    content,
    hooks: {
      onFinish: (t) => {
        phases = t;
        writerFinished = performance.now();
      },
    },
  });
  const ended = performance.now();
  // after the writer's last batch: the import job's row, the audit row and the commit
  if (writerFinished > 0) phases = { ...phases, afterWriter: ended - writerFinished };
  const seconds = (ended - started) / 1000;
  // the revenue rollup's refresh of the weeks the import marked stale starts after its answer
  // (lib/server/core/after-commit.ts): timed on its own, not part of the import's lines/s
  const { afterCommitSettled } = await import("@/lib/server/core/after-commit");
  await afterCommitSettled();
  phases = { ...phases, rollupAfterAnswer: performance.now() - ended };
  const peak = rss.stop();
  await disconnectDb();
  const lines = result.counts.serviceLines ?? 0;
  return {
    seconds,
    status: result.status,
    claims: result.counts.claims,
    serviceLines: lines,
    linesPerSecond: Math.round(lines / seconds),
    peakRssMb: peak,
    segments: result.counts.matchedClaims,
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v / 100) / 10])),
    error: result.errors[0] ? `${result.errors[0].where}: ${result.errors[0].message}` : undefined,
  };
}

/**
 * Our side of the first claims of the file (patients, visits, claims, lines with the same
 * codes and dates), so the import also matches, confirms allowed amounts and updates KX.
 */
async function seedClaimsToMatch(practiceId: number, file: string) {
  // as the owner, as seedPart: the seeding runs outside any practice scope
  const { db } = await import("@/lib/server/testing");
  if ((await db().claim.count({ where: { practiceId } })) > 0) return;
  const claims = OWN ? await everyClaimOf(file) : await firstClaimsOf(file);
  await db().$transaction(
    async (tx) => {
      const payers = [
        await tx.payer.create({ data: { practiceId, name: "Bench Commercial", nameKey: "bench commercial", kind: "commercial" } }),
        await tx.payer.create({ data: { practiceId, name: "Bench Medicare", nameKey: "bench medicare", kind: "medicare" } }),
      ];
      const therapist = await tx.therapist.create({ data: { practiceId, npi: "1999999998", name: "Bench Therapist", credential: "PT" } });
      const all = claims.map((c, n) => ({ c, n, medicare: OWN ? n % 5 < 2 : n % 50 === 0 }));
      // one transaction, so that an interrupted seeding leaves nothing (the next run starts over)
      for (let at = 0; at < all.length; at += 1000) {
        const rows = all.slice(at, at + 1000);
        const pts = await tx.patient.createManyAndReturn({
          data: rows.map(({ c, n }) => ({
            practiceId,
            externalId: `BP${n}`,
            firstName: c.patient?.firstName ?? "X",
            lastName: c.patient?.lastName ?? "Y",
            birthDate: new Date("1950-01-01"),
          })),
          select: { id: true },
        });
        const ourClaims = await tx.claim.createManyAndReturn({
          data: rows.map(({ c, medicare }, i) => ({
            practiceId,
            patientControlNumber: c.patientControlNumber,
            patientId: pts[i]!.id,
            payerId: payers[medicare ? 1 : 0]!.id,
          })),
          select: { id: true },
        });
        const visits = await tx.visit.createManyAndReturn({
          data: rows.map(({ c, n, medicare }, i) => ({
            practiceId,
            externalId: `BV${n}`,
            patientId: pts[i]!.id,
            therapistId: therapist.id,
            payerId: payers[medicare ? 1 : 0]!.id,
            claimId: ourClaims[i]!.id,
            dateOfService: new Date(`${c.serviceLines[0]!.serviceDate}T00:00:00Z`),
          })),
          select: { id: true },
        });
        await tx.serviceLine.createMany({
          data: rows.flatMap(({ c, medicare }, i) =>
            c.serviceLines.map((l, order) => ({
              practiceId,
              visitId: visits[i]!.id,
              lineOrder: order,
              cpt: l.procedure.code,
              modifiers: [...l.procedure.modifiers],
              unitsBilled: l.units,
              chargeCents: l.chargeCents,
              expectedAllowedCents: Math.round((l.reportedAllowedCents ?? l.paidCents) * 1.05),
              pool: medicare ? ("PT_SLP" as const) : null,
            })),
          ),
        });
      }
    },
    { timeout: 60 * 60_000 },
  );
  process.stderr.write(`seeded ${claims.length} claims to match (${OWN ? "40%" : "1 in 50"} Medicare)\n`);
}

interface ClaimToSeed {
  patientControlNumber: string;
  patient: { firstName: string | null; lastName: string } | null;
  serviceLines: {
    serviceDate: string | null;
    procedure: { code: string; modifiers: readonly string[] };
    units: number;
    chargeCents: number;
    reportedAllowedCents: number | null;
    paidCents: number;
  }[];
}

function toSeed(c: import("@/lib/x12").RemitClaim): ClaimToSeed {
  return {
    patientControlNumber: c.patientControlNumber,
    patient: c.patient ? { firstName: c.patient.firstName, lastName: c.patient.lastName } : null,
    serviceLines: c.serviceLines.map((l) => ({
      serviceDate: l.serviceDate,
      procedure: { code: l.procedure.code, modifiers: [...l.procedure.modifiers] },
      units: l.units,
      chargeCents: l.chargeCents,
      reportedAllowedCents: l.reportedAllowedCents,
      paidCents: l.paidCents,
    })),
  };
}

/** The first 10,000 claims of the file (of its first 6 MB), not reversals. */
async function firstClaimsOf(file: string): Promise<ClaimToSeed[]> {
  const { parse835Sync } = await import("@/lib/x12/read835");
  const headBytes = Buffer.alloc(6 * MB);
  const fd = fs.openSync(file, "r");
  const read = fs.readSync(fd, headBytes, 0, headBytes.length, 0);
  fs.closeSync(fd);
  const head = headBytes.subarray(0, read).toString("utf8");
  const cut = head.slice(0, head.lastIndexOf("SE*"));
  const parsed = parse835Sync(`${cut}SE*1*0001~`);
  return parsed.transactions
    .flatMap((t) => t.claims)
    .filter((c) => !c.isReversal && c.serviceLines.length > 0)
    .slice(0, 10_000)
    .map(toSeed);
}

/**
 * One claim of ours for every patient control number of the file, with the lines of its first
 * payment that is not a reversal (a reversal and its correction then match the same claim).
 */
async function everyClaimOf(file: string): Promise<ClaimToSeed[]> {
  const { Remit835Reader } = await import("@/lib/x12/reader");
  const byPcn = new Map<string, ClaimToSeed>();
  const reader = new Remit835Reader({
    claim: (_h, c) => {
      if (!c.isReversal && c.serviceLines.length > 0 && !byPcn.has(c.patientControlNumber)) byPcn.set(c.patientControlNumber, toSeed(c));
    },
    warning: () => {},
    error: (e) => {
      throw new Error(`${e.where}: ${e.message}`);
    },
  });
  for (const slice of fileSlices(file)) reader.pushBytes(slice);
  reader.end();
  return [...byPcn.values()];
}

// ------------------------------------------------------------------ long segments

const LONG_SEGMENT_CHARS = 900_000;
const LONG_SEGMENTS = 40;

/**
 * A valid 835 (no claims, BPR02 0) whose transaction holds LONG_SEGMENTS NTE segments of
 * LONG_SEGMENT_CHARS characters each, elements of 1,000 characters: 36 MB in all.
 */
function ensureLongSegmentFile(): string {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `bench-835-long-segments-${LONG_SEGMENTS}x${LONG_SEGMENT_CHARS}.835`);
  if (fs.existsSync(file)) return file;
  const isa = "ISA*00*          *00*          *ZZ*PAYERSENDER    *ZZ*PRACTICERECV   *260101*1200*^*00501*000000001*0*P*:~\n";
  const head = [
    "GS*HP*PAYERSENDER*PRACTICERECV*20260101*1200*7*X*005010X221A1",
    "ST*835*0001",
    "BPR*I*0*C*NON",
    "TRN*1*LONG1*1999999999",
    "N1*PR*EXAMPLE PAYER",
    "N1*PE*EXAMPLE PRACTICE*XX*1999999998",
  ];
  const element = `*${"N".repeat(999)}`;
  const body = `NTE*ADD${element.repeat(Math.floor((LONG_SEGMENT_CHARS - 7) / 1000))}`;
  const note = body + "X".repeat(LONG_SEGMENT_CHARS - body.length);
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, isa + head.map((s) => `${s}~\n`).join(""));
  for (let i = 0; i < LONG_SEGMENTS; i++) fs.writeSync(fd, `${note}~\n`);
  // ST, BPR, TRN, two N1, the notes and SE
  fs.writeSync(fd, `SE*${LONG_SEGMENTS + 6}*0001~\nGE*1*7~\nIEA*1*000000001~\n`);
  fs.closeSync(fd);
  return file;
}

/** Our reader over the long-segment file in the import's 16 KB pieces. */
async function parseLongSegments(file: string, runs: number): Promise<Partial<PartResult>> {
  const result = await parseOurs(file, runs, IMPORT_PIECE_BYTES);
  const { X12Tokenizer } = await import("@/lib/x12/tokenizer");
  // characters the tokenizer looked at, against the file's length: 1 when linear
  const tokenizer = new X12Tokenizer({ segment() {}, warning() {}, error() {} });
  let length = 0;
  for (const slice of fileSlices(file, IMPORT_PIECE_BYTES)) {
    tokenizer.pushBytes(slice);
    length += slice.length;
  }
  tokenizer.end();
  const scanned = (tokenizer as unknown as { charsScanned?: number }).charsScanned;
  if (scanned !== undefined)
    process.stderr.write(`long segments: ${(scanned / length).toFixed(2)} characters scanned per character of the file\n`);
  return result;
}

const PARTS: Record<string, (file: string, runs: number) => Promise<Partial<PartResult>>> = {
  "long-segments": parseLongSegments,
  ours: (file, runs) => parseOurs(file, runs),
  "ours-import-slices": (file, runs) => parseOurs(file, runs, IMPORT_PIECE_BYTES),
  profile: profileOurs,
  split: parseSplit,
  "node-x12": parseNodeX12,
  "x12-parser": parseX12Parser,
  seed: (file) => seedPart(file),
  import: (file) => importPart(file),
};

async function runPartHere(part: string, file: string, runs: number) {
  const rss = sampleRss();
  const megabytes = fs.statSync(file).size / MB;
  let result: Partial<PartResult>;
  try {
    result = await PARTS[part]!(file, runs);
  } catch (e) {
    result = { seconds: Number.NaN, error: (e as Error).message };
  }
  const peak = rss.stop();
  const out: PartResult = {
    part,
    file: path.basename(file),
    megabytes: Math.round(megabytes * 10) / 10,
    mbPerSecond: result.seconds ? Math.round((megabytes / result.seconds) * 10) / 10 : 0,
    cpuMbPerSecond: result.cpuSeconds ? Math.round((megabytes / result.cpuSeconds) * 10) / 10 : undefined,
    peakRssMb: peak,
    ...result,
  } as PartResult;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runPart(part: string, file: string, runs: number, env: Record<string, string> = {}): Promise<PartResult> {
  return new Promise((resolve) => {
    // the import runs with a 256 MB heap cap (the file itself is outside the heap): it shows the
    // working set the import needs; V8 left to its defaults grows the heap lazily instead. Its
    // young generation and its allocator are those `npm run import` gives it (package.json):
    // left to grow, V8 made the young generation 128 MB for the import's stream of short-lived
    // rows, and glibc's per-thread arenas kept 20–40 MB the import had freed (docs/performance.md,
    // "The mixed 835 import's write lane and memory").
    const heap = part === "import" ? ["--max-old-space-size=256", "--max-semi-space-size=16"] : ["--max-old-space-size=4096"];
    const child = spawn(process.execPath, ["--import", "tsx", ...heap, fileURLToPath(import.meta.url)], {
      cwd: root,
      env: {
        ...process.env,
        ...env,
        BENCH_835_PART: part,
        BENCH_835_FILE: file,
        BENCH_835_RUNS: String(runs),
        BENCH_835_OWN: OWN ? "1" : "",
        ...(part === "import" ? { MALLOC_ARENA_MAX: "2" } : {}),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code, signal) => {
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as PartResult);
      } catch {
        resolve({
          part,
          file: path.basename(file),
          megabytes: 0,
          seconds: Number.NaN,
          mbPerSecond: 0,
          peakRssMb: 0,
          error: `exited ${code ?? signal}`,
        });
      }
    });
  });
}

/** Each target, met or missed (or not measured), with the figure it was judged on. */
function printTargets(targets: Record<string, boolean | null>, figures: Record<string, string>) {
  for (const [name, met] of Object.entries(targets))
    process.stderr.write(
      `target ${name}: ${met === null ? "not measured" : met ? "met" : "MISSED"}${figures[name] ? ` (${figures[name]})` : ""}\n`,
    );
}

export async function main(argv: string[] = process.argv.slice(2)) {
  const mb = flag(argv, "mb", 0);
  const sliceMb = flag(argv, "slice-mb", 20);
  // every parser gets the same number of runs on each file; the best run counts
  const runs = flag(argv, "runs", 5);
  const onlyAt = argv.indexOf("--only");
  const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1]!.split(",")) : null;
  const big = await ensureFile(mb > 0 ? { mb } : { lines: flag(argv, "lines", 1_000_000) }, 835);
  const slice = await ensureFile({ mb: sliceMb }, 835);
  const results: PartResult[] = [];
  const report = (r: PartResult) => {
    results.push(r);
    process.stderr.write(
      `${r.part.padEnd(10)} ${r.file.padEnd(32)} ${r.error ? `FAILED: ${r.error}` : `${r.mbPerSecond.toFixed(1).padStart(7)} MB/s${r.cpuMbPerSecond ? ` (${r.cpuMbPerSecond.toFixed(1)} MB/s of CPU time)` : ""}  ${r.seconds.toFixed(2).padStart(6)} s  peak RSS ${r.peakRssMb} MB${r.linesPerSecond ? `  ${r.linesPerSecond.toLocaleString("en-US")} lines/s` : ""}`}\n`,
    );
  };
  const measure = async (part: string, file: string) => {
    if (only === null || only.has(part)) report(await runPart(part, file, runs));
  };
  await measure("ours", big.file);
  await measure("profile", big.file);
  await measure("split", big.file);
  await measure("ours", slice.file);
  await measure("ours-import-slices", big.file);
  await measure("ours-import-slices", slice.file);
  await measure("split", slice.file);
  await measure("x12-parser", slice.file);
  await measure("x12-parser", big.file); // it streams, so it can take the whole file
  await measure("node-x12", slice.file); // it holds the whole tree: the small file only
  const longFile = ensureLongSegmentFile();
  await measure("long-segments", longFile);
  const importRuns = flag(argv, "import-runs", 3);
  let importRates: number[] = [];
  let importPeakRssMb = 0;
  let medianImport: PartResult | undefined;
  if (!argv.includes("--skip-import")) {
    const { benchDatabase } = await import("./database");
    const { url, stop } = await benchDatabase(BENCH_DATABASE);
    // the import's rate moves by a fifth from run to run on a shared machine: the median of
    // --import-runs runs (3), each into a practice seeded afresh, counts
    const imports: PartResult[] = [];
    try {
      for (let r = 0; r < importRuns; r++) {
        const seeded = await runPart("seed", big.file, 1, { DATABASE_URL: url });
        if (seeded.error) throw new Error(`seeding the bench practice: ${seeded.error}`);
        const run = await runPart("import", big.file, 1, { DATABASE_URL: url });
        report(run);
        imports.push(run);
      }
    } finally {
      // the embedded server this process started would keep it alive after the summary
      await stop();
    }
    const ok = imports.filter((r) => !r.error).sort((a, b) => (a.linesPerSecond ?? 0) - (b.linesPerSecond ?? 0));
    importRates = imports.map((r) => r.linesPerSecond ?? 0);
    importPeakRssMb = Math.max(...imports.map((r) => r.peakRssMb));
    medianImport = ok[Math.floor((ok.length - 1) / 2)] ?? imports[0];
  }

  const get = (part: string, file: string) => results.find((r) => r.part === part && r.file === path.basename(file));
  const long = get("long-segments", longFile);
  const longSegments =
    long && !long.error
      ? { megabytes: long.megabytes, seconds: Math.round(long.seconds * 100) / 100, mbPerSecond: long.mbPerSecond }
      : long?.error;
  const importSummary =
    medianImport && !medianImport.error
      ? {
          practice: benchPractice(big.file),
          status: medianImport.status,
          seconds: Math.round(medianImport.seconds * 10) / 10,
          linesPerSecond: medianImport.linesPerSecond,
          /** every run's rate (the median counts) */
          runs: importRates,
          matchedClaims: medianImport.segments,
          peakRssMb: medianImport.peakRssMb,
          /** the highest of every run */
          highestPeakRssMb: importPeakRssMb,
          phases: medianImport.phases,
        }
      : medianImport?.error;
  const importTargets = {
    importAtLeast50kLinesPerSecond: medianImport?.linesPerSecond ? medianImport.linesPerSecond >= 50_000 : null,
    importPeakMemoryAtMost300Mb: medianImport && !medianImport.error ? importPeakRssMb <= 300 : null,
  };
  if (only !== null) {
    // some parts only: their figures, without the comparisons that need the others
    printTargets(importTargets, {
      importAtLeast50kLinesPerSecond: `median ${medianImport?.linesPerSecond?.toLocaleString("en-US")} lines/s`,
      importPeakMemoryAtMost300Mb: `highest peak RSS ${importPeakRssMb} MB`,
    });
    const partial = {
      parts: results.map((r) => ({
        part: r.part,
        file: r.file,
        mbPerSecond: r.mbPerSecond,
        cpuMbPerSecond: r.cpuMbPerSecond,
        seconds: r.seconds,
        linesPerSecond: r.linesPerSecond,
        matchedClaims: r.part === "import" ? r.segments : undefined,
        peakRssMb: r.peakRssMb,
        phases: r.phases,
        error: r.error,
      })),
      practice: benchPractice(big.file),
      longSegments,
      import: importSummary,
      targets: importTargets,
      loadAverage: (await import("node:os")).loadavg().map((l) => Math.round(l * 10) / 10),
    };
    process.stdout.write(`${JSON.stringify(partial, null, 2)}\n`);
    return partial;
  }
  const oursBig = get("ours", big.file)!;
  const oursSlice = get("ours", slice.file)!;
  const packages = [get("x12-parser", slice.file), get("node-x12", slice.file)].filter(
    (r): r is PartResult => !!r && !r.error && r.mbPerSecond > 0,
  );
  const fastest = [...packages].sort((a, b) => b.mbPerSecond - a.mbPerSecond)[0];
  const x12ParserBig = get("x12-parser", big.file);
  const splitBig = get("split", big.file)!;
  const summary = {
    file: {
      megabytes: oursBig.megabytes,
      serviceLines: big.totals.serviceLines,
      claims: big.totals.claims,
      transactions: big.totals.transactions,
    },
    parseMbPerSecond: oursBig.mbPerSecond,
    parseCpuMbPerSecond: oursBig.cpuMbPerSecond,
    parsePeakRssMb: oursBig.peakRssMb,
    /** our reader given the import's 16 KB reads instead of 256 KB slices (big file, 20 MB file) */
    parseInImportSlicesMbPerSecond: [get("ours-import-slices", big.file)?.mbPerSecond, get("ours-import-slices", slice.file)?.mbPerSecond],
    /** 36 MB of 900,000-character segments in the import's 16 KB pieces */
    longSegments,
    splitMbPerSecond: splitBig.mbPerSecond,
    splitCpuMbPerSecond: splitBig.cpuMbPerSecond,
    loadAverage: (await import("node:os")).loadavg().map((l) => Math.round(l * 10) / 10),
    packages: Object.fromEntries(
      packages.map((p) => [
        p.part,
        {
          mbPerSecond: p.mbPerSecond,
          cpuMbPerSecond: p.cpuMbPerSecond,
          peakRssMb: p.peakRssMb,
          oursOnSameFileMbPerSecond: oursSlice.mbPerSecond,
          oursOnSameFileCpuMbPerSecond: oursSlice.cpuMbPerSecond,
          ratio: Math.round((oursSlice.mbPerSecond / p.mbPerSecond) * 10) / 10,
          cpuRatio:
            p.cpuMbPerSecond && oursSlice.cpuMbPerSecond ? Math.round((oursSlice.cpuMbPerSecond / p.cpuMbPerSecond) * 10) / 10 : null,
        },
      ]),
    ),
    import: importSummary,
    onTheWholeFile:
      x12ParserBig && !x12ParserBig.error
        ? {
            x12ParserMbPerSecond: x12ParserBig.mbPerSecond,
            x12ParserCpuMbPerSecond: x12ParserBig.cpuMbPerSecond,
            ratio: Math.round((oursBig.mbPerSecond / x12ParserBig.mbPerSecond) * 10) / 10,
            cpuRatio:
              x12ParserBig.cpuMbPerSecond && oursBig.cpuMbPerSecond
                ? Math.round((oursBig.cpuMbPerSecond / x12ParserBig.cpuMbPerSecond) * 10) / 10
                : null,
          }
        : null,
    targets: {
      // on the benchmark's file, against x12-parser (the faster package, and the one that can
      // read that file); the same on the small file is in packages above
      parseAtLeast10xFastestPackage: x12ParserBig && !x12ParserBig.error ? oursBig.mbPerSecond >= 10 * x12ParserBig.mbPerSecond : null,
      parseAtLeast10xFastestPackageOnSmallFile: fastest ? oursSlice.mbPerSecond >= 10 * fastest.mbPerSecond : null,
      parseFasterThanSplit: oursBig.mbPerSecond > splitBig.mbPerSecond,
      importAtLeast50kLinesPerSecond: importTargets.importAtLeast50kLinesPerSecond,
      peakMemoryAtMost300Mb: Math.max(oursBig.peakRssMb, importPeakRssMb) <= 300,
    },
  };
  printTargets(summary.targets, {
    parseAtLeast10xFastestPackage: `${summary.onTheWholeFile?.ratio ?? "–"}× x12-parser on the benchmark file`,
    parseAtLeast10xFastestPackageOnSmallFile: fastest
      ? `${Math.round((oursSlice.mbPerSecond / fastest.mbPerSecond) * 10) / 10}× ${fastest.part}`
      : "",
    parseFasterThanSplit: `${oursBig.mbPerSecond} MB/s against ${splitBig.mbPerSecond} MB/s`,
    importAtLeast50kLinesPerSecond: `median ${medianImport?.linesPerSecond?.toLocaleString("en-US")} lines/s`,
    peakMemoryAtMost300Mb: `parse ${oursBig.peakRssMb} MB, import ${importPeakRssMb} MB`,
  });
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

if (process.env.BENCH_835_PART) {
  await runPartHere(process.env.BENCH_835_PART, process.env.BENCH_835_FILE!, Number(process.env.BENCH_835_RUNS ?? 1));
  if (process.env.BENCH_835_PART !== "import") process.exit(0);
}
