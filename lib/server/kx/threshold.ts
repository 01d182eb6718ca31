// A patient's threshold page (DOMAIN.md §1): the running total of one pool across a year,
// the line crossing each level, the lines that need KX and whether they have it, the amount
// used elsewhere, a forecast of the crossing visit, and the queue item's history.
// Reading it is a read of patient data, so it leaves an audit event.
import { forecastThresholdCrossing, GA_MODIFIER, hasModifier, KX_MODIFIER, thresholdsFor } from "@/lib/billing";
import type { KxItemStatus, Pool, ThresholdLevel } from "@/lib/generated/prisma/client";
import { audit } from "../core/audit";
import { db } from "../core/db";
import { isoDate, todayIn } from "../core/dates";
import { poolLines, poolThresholdStatus } from "../derived/kx";

export type LevelName = "alert" | "kx" | "review";

export interface ThresholdLineView {
  lineId: number;
  visitId: number;
  visitExternalId: string;
  visitNumber: number;
  dateOfService: string;
  lineOrder: number;
  cpt: string;
  modifiers: string[];
  allowedCents: number;
  confirmed: boolean;
  /** why the line has no price (no remit, no expected amount: "No Medicare price for 92507: load …"), else null */
  noPrice: string | null;
  /** denied CO-119 / CARC 4: to be billed again (rebill_kx, rebill_modifier), else null */
  rebill: string | null;
  runningCents: number;
  needsKx: boolean;
  hasKx: boolean;
  hasGa: boolean;
  crosses: LevelName[];
}

export interface ThresholdVisitPoint {
  visitNumber: number;
  dateOfService: string;
  visitExternalId: string;
  allowedCents: number;
  runningCents: number;
  crosses: LevelName[];
}

export interface LevelForecast {
  level: LevelName;
  levelCents: number;
  kind: "crossed" | "forecast" | "no_history";
  /** crossed: the crossing line's date; forecast: the estimated date (null when only one visit is known) */
  date: string | null;
  visitNumber: number | null;
  visitsLeft: number | null;
  averageAllowedPerVisitCents: number | null;
  averageDaysBetweenVisits: number | null;
}

export interface ThresholdView {
  patient: { id: number; externalId: string; name: string; birthDate: string };
  year: number;
  pool: Pool;
  choices: { year: number; pool: Pool; level: ThresholdLevel; totalCents: number; linesMissingKx: number }[];
  levels: { alertCents: number; kxCents: number; reviewCents: number } | null;
  unknownYearReason: string | null;
  item: {
    id: number;
    version: number;
    status: KxItemStatus;
    level: ThresholdLevel;
    urgency: number;
    allowedHereCents: number;
    usedElsewhereCents: number;
    totalCents: number;
    linesMissingKx: number;
    estimated: boolean;
    assigneeId: number | null;
    assigneeName: string | null;
    snoozedUntil: string | null;
    docReviewedAt: string | null;
    docReviewNote: string | null;
  } | null;
  usage: { amountCents: number; source: string; asOf: string; updatedAt: string } | null;
  lines: ThresholdLineView[];
  visits: ThresholdVisitPoint[];
  forecasts: LevelForecast[];
  history: { id: number; action: string; note: string | null; details: unknown; userName: string; createdAt: string }[];
}

/**
 * The threshold view of one patient in the actor's practice, or null when the patient is not
 * in this practice (the page answers 404, the same as for a missing id).
 */
export async function patientThresholdView(
  actor: { practiceId: number; userId: number; alertLevelCents: number; timeZone?: string },
  patientId: number,
  params: { year?: number; pool?: Pool; now?: Date },
): Promise<ThresholdView | null> {
  const client = db();
  const practiceId = actor.practiceId;
  const patient = await client.patient.findFirst({ where: { id: patientId, practiceId } });
  if (!patient) return null;

  const items = await client.kxQueueItem.findMany({
    where: { practiceId, patientId: patient.id },
    orderBy: [{ year: "desc" }, { urgency: "asc" }, { pool: "asc" }],
  });
  // with no year asked for and none on file, this year in the practice's time zone (not UTC's:
  // on New Year's Eve evening in New York, UTC is already in the next year)
  const year = params.year ?? items[0]?.year ?? Number(todayIn(actor.timeZone ?? "UTC", params.now).slice(0, 4));
  const ofYear = items.filter((i) => i.year === year);
  const pool: Pool = params.pool ?? ofYear[0]?.pool ?? "PT_SLP";
  const item = ofYear.find((i) => i.pool === pool) ?? null;
  const key = { patientId: patient.id, year, pool };

  const lines = await poolLines(client, practiceId, key);
  const usage = await client.thresholdUsage.findUnique({ where: { practiceId_patientId_year_pool: { practiceId, ...key } } });
  const usedElsewhereCents = usage?.amountCents ?? 0;
  const t = thresholdsFor(year, actor.alertLevelCents);
  const levels = t.known ? { alertCents: t.alertLevelCents, kxCents: t.kxThresholdCents, reviewCents: t.reviewThresholdCents } : null;
  const status = poolThresholdStatus(lines, usedElsewhereCents, t);

  const crossingAt = new Map<number, LevelName[]>();
  for (const name of ["alert", "kx", "review"] as const) {
    const c = status?.crossings[name];
    if (c) crossingAt.set(c.lineIndex, [...(crossingAt.get(c.lineIndex) ?? []), name]);
  }
  let running = usedElsewhereCents;
  const visitNumbers = new Map<number, number>();
  const lineViews = lines.map((l, i): ThresholdLineView => {
    running += l.allowedCents;
    if (!visitNumbers.has(l.visitId)) visitNumbers.set(l.visitId, visitNumbers.size + 1);
    return {
      lineId: l.id,
      visitId: l.visitId,
      visitExternalId: l.visitExternalId,
      visitNumber: visitNumbers.get(l.visitId)!,
      dateOfService: l.dateOfService,
      lineOrder: l.lineOrder,
      cpt: l.cpt,
      modifiers: l.modifiers,
      allowedCents: l.allowedCents,
      confirmed: l.confirmed,
      noPrice: l.noPrice,
      rebill: l.rebill,
      runningCents: running,
      needsKx: status?.needsKx[i] ?? false,
      hasKx: hasModifier(l.modifiers, KX_MODIFIER),
      hasGa: hasModifier(l.modifiers, GA_MODIFIER),
      crosses: crossingAt.get(i) ?? [],
    };
  });

  const visits: ThresholdVisitPoint[] = [];
  for (const l of lineViews) {
    const last = visits[visits.length - 1];
    if (last && last.visitNumber === l.visitNumber) {
      last.allowedCents += l.allowedCents;
      last.runningCents = l.runningCents;
      last.crosses.push(...l.crosses);
    } else {
      visits.push({
        visitNumber: l.visitNumber,
        dateOfService: l.dateOfService,
        visitExternalId: l.visitExternalId,
        allowedCents: l.allowedCents,
        runningCents: l.runningCents,
        crosses: [...l.crosses],
      });
    }
  }

  const totalCents = usedElsewhereCents + lines.reduce((s, l) => s + l.allowedCents, 0);
  const forecasts: LevelForecast[] = [];
  if (levels && status) {
    for (const [name, levelCents] of [
      ["alert", levels.alertCents],
      ["kx", levels.kxCents],
      ["review", levels.reviewCents],
    ] as const) {
      const crossing = status.crossings[name];
      if (crossing) {
        const line = lineViews[crossing.lineIndex]!;
        forecasts.push({
          level: name,
          levelCents,
          kind: "crossed",
          date: crossing.dateOfService,
          visitNumber: line.visitNumber,
          visitsLeft: 0,
          averageAllowedPerVisitCents: null,
          averageDaysBetweenVisits: null,
        });
        continue;
      }
      const f = forecastThresholdCrossing({
        pastVisits: visits.map((v) => ({ dateOfService: v.dateOfService, allowedCents: v.allowedCents })),
        currentTotalCents: totalCents,
        levelCents,
      });
      forecasts.push(
        f.kind === "forecast"
          ? {
              level: name,
              levelCents,
              kind: "forecast",
              date: f.estimatedDate,
              visitNumber: f.crossingVisitNumber,
              visitsLeft: f.visitsUntilCrossing,
              averageAllowedPerVisitCents: f.averageAllowedPerVisitCents,
              averageDaysBetweenVisits: f.averageDaysBetweenVisits,
            }
          : {
              level: name,
              levelCents,
              kind: "no_history",
              date: null,
              visitNumber: null,
              visitsLeft: null,
              averageAllowedPerVisitCents: null,
              averageDaysBetweenVisits: null,
            },
      );
    }
  }

  const history = item
    ? await client.kxQueueAction.findMany({ where: { practiceId, itemId: item.id }, orderBy: { id: "desc" }, take: 100 })
    : [];
  const userIds = [...new Set([...history.map((h) => h.userId), ...(item?.assigneeId ? [item.assigneeId] : [])])];
  const users = userIds.length ? await client.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [];
  const nameOf = new Map(users.map((u) => [u.id, u.name]));

  await audit(
    client,
    { practiceId, userId: actor.userId },
    {
      action: "patient.view_threshold",
      entityType: "Patient",
      entityId: patient.id,
      patientId: patient.id,
      details: { year, pool },
    },
  );

  return {
    patient: {
      id: patient.id,
      externalId: patient.externalId,
      name: `${patient.firstName} ${patient.lastName}`,
      birthDate: isoDate(patient.birthDate),
    },
    year,
    pool,
    choices: items.map((i) => ({ year: i.year, pool: i.pool, level: i.level, totalCents: i.totalCents, linesMissingKx: i.linesMissingKx })),
    levels,
    unknownYearReason: t.known ? null : t.reason,
    item: item
      ? {
          id: item.id,
          version: item.version,
          status: item.status,
          level: item.level,
          urgency: item.urgency,
          allowedHereCents: item.allowedHereCents,
          usedElsewhereCents: item.usedElsewhereCents,
          totalCents: item.totalCents,
          linesMissingKx: item.linesMissingKx,
          estimated: item.estimated,
          assigneeId: item.assigneeId,
          assigneeName: item.assigneeId ? (nameOf.get(item.assigneeId) ?? null) : null,
          snoozedUntil: item.snoozedUntil ? isoDate(item.snoozedUntil) : null,
          docReviewedAt: item.docReviewedAt ? item.docReviewedAt.toISOString() : null,
          docReviewNote: item.docReviewNote,
        }
      : null,
    usage: usage
      ? { amountCents: usage.amountCents, source: usage.source, asOf: isoDate(usage.asOf), updatedAt: usage.updatedAt.toISOString() }
      : null,
    lines: lineViews,
    visits,
    forecasts,
    history: history.map((h) => ({
      id: h.id,
      action: h.action,
      note: h.note,
      details: h.details,
      userName: nameOf.get(h.userId) ?? `user ${h.userId}`,
      createdAt: h.createdAt.toISOString(),
    })),
  };
}
