// Writing a visit's lines when the visit is edited (the visit form) or re-imported (visits.csv):
// lines that continue an existing line keep their id, so what hangs on a line (the remit lines
// matched to it, its undercoding review, the remit summary columns) stays with it; removed
// lines go, new lines are added. Shared by lib/server/visits/commands.ts and
// lib/server/imports/visits.ts so both follow one set of rules.
import type { UndercodingDirection } from "@/lib/generated/prisma/client";
import type { Tx } from "../core/db";

const CHUNK = 5000;
/** Rows per createMany: a statement of at most 2,000 rows × 9 columns stays under PostgreSQL's
 * 32,767 bind parameters, so Prisma never splits it into pieces it sends together inside the
 * transaction (pg 8 queues those with a deprecation warning). */
export const INSERT_CHUNK = 2000;
/** (visitId, lineOrder) is unique: lines that move are parked above the final range, then shifted down */
const PARK = 100_000;

export interface LineValues {
  cpt: string;
  modifiers: string[];
  minutes: number | null;
  unitsBilled: number;
  chargeCents: number;
  note: string;
}

export interface ExistingLine extends LineValues {
  id: number;
  visitId: number;
  lineOrder: number;
  undercodingDirection: UndercodingDirection | null;
}

/** The select that loads what `writeVisitLines` compares against. */
export const EXISTING_LINE_SELECT = {
  id: true,
  visitId: true,
  lineOrder: true,
  cpt: true,
  modifiers: true,
  minutes: true,
  unitsBilled: true,
  chargeCents: true,
  note: true,
  undercodingDirection: true,
} as const;

/** The lines a visit must have, in line order; `id` is the existing line a line continues, null for a new one. */
export interface VisitLines {
  visitId: number;
  lines: (LineValues & { id: number | null })[];
}

export interface WrittenLines {
  /** existing lines that stay (changed or not), with their undercoding direction before the write */
  kept: { id: number; directionBefore: UndercodingDirection | null }[];
  changed: number;
  removed: number;
  added: number;
  /** remit payments with a line that was matched to a removed line (unmatched now: their counts move) */
  payments: number[];
}

const modifierKey = (modifiers: readonly string[]) => [...modifiers].sort().join(";");

/**
 * Which existing line each incoming line continues, for a source without line ids (visits.csv).
 * A line's identity is its code: an incoming line continues an unused existing line of the same
 * code, one with the same modifiers first, then in line order. A line whose code changed is a
 * new line (the old one is removed), as the 835 matcher pairs remitted lines by code.
 */
export function pairLinesByCode(
  existing: readonly Pick<ExistingLine, "id" | "lineOrder" | "cpt" | "modifiers">[],
  incoming: readonly Pick<LineValues, "cpt" | "modifiers">[],
): (number | null)[] {
  const ordered = [...existing].sort((a, b) => a.lineOrder - b.lineOrder);
  const used = new Set<number>();
  const ids: (number | null)[] = incoming.map(() => null);
  const pass = (same: (a: (typeof ordered)[number], b: (typeof incoming)[number]) => boolean) => {
    for (const [i, line] of incoming.entries()) {
      if (ids[i] !== null) continue;
      const match = ordered.find((e) => !used.has(e.id) && e.cpt === line.cpt && same(e, line));
      if (!match) continue;
      used.add(match.id);
      ids[i] = match.id;
    }
  };
  pass((a, b) => modifierKey(a.modifiers) === modifierKey(b.modifiers));
  pass(() => true);
  return ids;
}

function sameValues(a: LineValues, b: LineValues): boolean {
  return (
    a.cpt === b.cpt &&
    a.modifiers.length === b.modifiers.length &&
    a.modifiers.every((m, i) => m === b.modifiers[i]) &&
    a.minutes === b.minutes &&
    a.unitsBilled === b.unitsBilled &&
    a.chargeCents === b.chargeCents &&
    a.note === b.note
  );
}

/**
 * Brings the lines of the given visits to the wanted state: existing lines not wanted any more are
 * removed (their remit lines go back to the unmatched worklist), kept lines are updated only where
 * their values or position changed, new lines are created. `existing` holds the current lines of
 * these visits (EXISTING_LINE_SELECT). The computed columns are left to the derived-figures
 * pipeline (`recomputeDerived` in lib/server/derived, handed `kept` as `keptLines`).
 */
export async function writeVisitLines(
  tx: Tx,
  practiceId: number,
  visits: readonly VisitLines[],
  existing: readonly ExistingLine[],
): Promise<WrittenLines> {
  const byId = new Map(existing.map((l) => [l.id, l]));
  const wanted = new Set(visits.flatMap((v) => v.lines.flatMap((l) => (l.id === null ? [] : [l.id]))));
  const visitIds = new Set(visits.map((v) => v.visitId));
  const removed = existing.filter((l) => visitIds.has(l.visitId) && !wanted.has(l.id)).map((l) => l.id);

  const payments = new Set<number>();
  for (let i = 0; i < removed.length; i += CHUNK) {
    const ids = removed.slice(i, i + CHUNK);
    const unmatched = await tx.remitLine.findMany({
      where: { practiceId, serviceLineId: { in: ids } },
      select: { remitClaim: { select: { paymentId: true } } },
      distinct: ["remitClaimId"],
    });
    for (const line of unmatched) payments.add(line.remitClaim.paymentId);
    // a payment matched to a removed line is unmatched again, to be matched by hand (or to the line that replaced it)
    await tx.remitLine.updateMany({
      where: { practiceId, serviceLineId: { in: ids } },
      data: { serviceLineId: null, matchStatus: "UNMATCHED", expectedAllowedCents: null, varianceCents: null },
    });
    await tx.serviceLine.deleteMany({ where: { practiceId, id: { in: ids } } });
  }

  const kept: WrittenLines["kept"] = [];
  const updates: (LineValues & { id: number; lineOrder: number })[] = [];
  const parkedVisits = new Set<number>();
  const added: (LineValues & { practiceId: number; visitId: number; lineOrder: number })[] = [];
  for (const visit of visits) {
    for (const [lineOrder, line] of visit.lines.entries()) {
      const { id, ...values } = line;
      if (id === null) {
        added.push({ practiceId, visitId: visit.visitId, lineOrder, ...values });
        continue;
      }
      const before = byId.get(id);
      if (!before || before.visitId !== visit.visitId) throw new Error(`line ${id} is not a line of visit ${visit.visitId}`);
      kept.push({ id, directionBefore: before.undercodingDirection });
      if (before.lineOrder === lineOrder && sameValues(before, values)) continue;
      const moves = before.lineOrder !== lineOrder;
      if (moves) parkedVisits.add(visit.visitId);
      updates.push({ id, lineOrder: moves ? PARK + lineOrder : lineOrder, ...values });
    }
  }
  for (let i = 0; i < updates.length; i += CHUNK) {
    await tx.$executeRawUnsafe(
      `update "ServiceLine" s set
         "lineOrder" = u.line_order, cpt = u.cpt, modifiers = array(select jsonb_array_elements_text(u.modifiers)),
         minutes = u.minutes, "unitsBilled" = u.units_billed, "chargeCents" = u.charge_cents, note = u.note
       from jsonb_to_recordset($1::jsonb) as u(id int, line_order int, cpt text, modifiers jsonb, minutes int,
         units_billed int, charge_cents int, note text)
       where s.id = u.id and s."practiceId" = $2`,
      JSON.stringify(
        updates.slice(i, i + CHUNK).map((u) => ({
          id: u.id,
          line_order: u.lineOrder,
          cpt: u.cpt,
          modifiers: u.modifiers,
          minutes: u.minutes,
          units_billed: u.unitsBilled,
          charge_cents: u.chargeCents,
          note: u.note,
        })),
      ),
      practiceId,
    );
  }
  const parked = [...parkedVisits];
  for (let i = 0; i < parked.length; i += CHUNK) {
    await tx.$executeRawUnsafe(
      `update "ServiceLine" set "lineOrder" = "lineOrder" - ${PARK}
       where "practiceId" = $1 and "visitId" = any(array(select jsonb_array_elements_text($2::jsonb)::int)) and "lineOrder" >= ${PARK}`,
      practiceId,
      JSON.stringify(parked.slice(i, i + CHUNK)),
    );
  }
  for (let i = 0; i < added.length; i += INSERT_CHUNK) await tx.serviceLine.createMany({ data: added.slice(i, i + INSERT_CHUNK) });
  return { kept, changed: updates.length, removed: removed.length, added: added.length, payments: [...payments] };
}
