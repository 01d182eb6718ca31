// A patient's threshold page (DOMAIN.md §1): the running total of one pool across a year,
// the line crossing each level, the lines that need KX and whether they have it, the amount
// used elsewhere, a forecast of the crossing visit, and the queue item's history.
// Reading it is a read of patient data, so it leaves an audit event.
import { forecastThresholdCrossing, GA_MODIFIER, hasModifier, KX_MODIFIER, thresholdsFor } from "@/lib/billing";
import type { KxItemStatus, Pool, ThresholdLevel } from "@/lib/generated/prisma/client";
import { audit } from "../audit";
import { db } from "../db";
import { isoDate, todayIn } from "../dates";
import { poolLines, poolThresholdStatus } from "./recompute";

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

type PoolLine = Awaited<ReturnType<typeof poolLines>>[number];
type PoolStatus = ReturnType<typeof poolThresholdStatus>;
type Levels = ThresholdView["levels"];
const LEVEL_NAMES = ["alert", "kx", "review"] as const;

/** Each line with the running total after it, its visit's number, and the levels it crosses. */
function lineViewsOf(lines: readonly PoolLine[], usedElsewhereCents: number, status: PoolStatus): ThresholdLineView[] {
  const crossingAt = new Map<number, LevelName[]>();
  for (const name of LEVEL_NAMES) {
    const crossing = status?.crossings[name];
    if (crossing) crossingAt.set(crossing.lineIndex, [...(crossingAt.get(crossing.lineIndex) ?? []), name]);
  }
  let running = usedElsewhereCents;
  const visitNumbers = new Map<number, number>();
  return lines.map((line, index): ThresholdLineView => {
    running += line.allowedCents;
    if (!visitNumbers.has(line.visitId)) visitNumbers.set(line.visitId, visitNumbers.size + 1);
    return {
      lineId: line.id,
      visitId: line.visitId,
      visitExternalId: line.visitExternalId,
      visitNumber: visitNumbers.get(line.visitId)!,
      dateOfService: line.dateOfService,
      lineOrder: line.lineOrder,
      cpt: line.cpt,
      modifiers: line.modifiers,
      allowedCents: line.allowedCents,
      confirmed: line.confirmed,
      noPrice: line.noPrice,
      rebill: line.rebill,
      runningCents: running,
      needsKx: status?.needsKx[index] ?? false,
      hasKx: hasModifier(line.modifiers, KX_MODIFIER),
      hasGa: hasModifier(line.modifiers, GA_MODIFIER),
      crosses: crossingAt.get(index) ?? [],
    };
  });
}

/** The lines summed by visit, in order: the chart's points. */
function visitPointsOf(lineViews: readonly ThresholdLineView[]): ThresholdVisitPoint[] {
  const visits: ThresholdVisitPoint[] = [];
  for (const line of lineViews) {
    const last = visits[visits.length - 1];
    if (last && last.visitNumber === line.visitNumber) {
      last.allowedCents += line.allowedCents;
      last.runningCents = line.runningCents;
      last.crosses.push(...line.crosses);
    } else {
      visits.push({
        visitNumber: line.visitNumber,
        dateOfService: line.dateOfService,
        visitExternalId: line.visitExternalId,
        allowedCents: line.allowedCents,
        runningCents: line.runningCents,
        crosses: [...line.crosses],
      });
    }
  }
  return visits;
}

/** For each level: the visit that crossed it, or when the patient's pace would cross it. */
function levelForecasts(
  levels: NonNullable<Levels>,
  status: NonNullable<PoolStatus>,
  lineViews: readonly ThresholdLineView[],
  visits: readonly ThresholdVisitPoint[],
  totalCents: number,
): LevelForecast[] {
  const forecasts: LevelForecast[] = [];
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
    const forecast = forecastThresholdCrossing({
      pastVisits: visits.map((visit) => ({ dateOfService: visit.dateOfService, allowedCents: visit.allowedCents })),
      currentTotalCents: totalCents,
      levelCents,
    });
    forecasts.push(
      forecast.kind === "forecast"
        ? {
            level: name,
            levelCents,
            kind: "forecast",
            date: forecast.estimatedDate,
            visitNumber: forecast.crossingVisitNumber,
            visitsLeft: forecast.visitsUntilCrossing,
            averageAllowedPerVisitCents: forecast.averageAllowedPerVisitCents,
            averageDaysBetweenVisits: forecast.averageDaysBetweenVisits,
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
  return forecasts;
}

type QueueItem = Awaited<ReturnType<ReturnType<typeof db>["kxQueueItem"]["findMany"]>>[number];

function itemView(item: QueueItem, nameOf: Map<number, string>): NonNullable<ThresholdView["item"]> {
  return {
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
  };
}

/** The queue item's last 100 actions, with the names of those who took them (and of its assignee). */
async function itemHistory(practiceId: number, item: QueueItem | null) {
  const client = db();
  const actions = item
    ? await client.kxQueueAction.findMany({ where: { practiceId, itemId: item.id }, orderBy: { id: "desc" }, take: 100 })
    : [];
  const userIds = [...new Set([...actions.map((action) => action.userId), ...(item?.assigneeId ? [item.assigneeId] : [])])];
  const users = userIds.length ? await client.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [];
  const nameOf = new Map(users.map((user) => [user.id, user.name]));
  const history = actions.map((action) => ({
    id: action.id,
    action: action.action,
    note: action.note,
    details: action.details,
    userName: nameOf.get(action.userId) ?? `user ${action.userId}`,
    createdAt: action.createdAt.toISOString(),
  }));
  return { history, nameOf };
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
  const ofYear = items.filter((candidate) => candidate.year === year);
  const pool: Pool = params.pool ?? ofYear[0]?.pool ?? "PT_SLP";
  const item = ofYear.find((candidate) => candidate.pool === pool) ?? null;
  const key = { patientId: patient.id, year, pool };

  const lines = await poolLines(client, practiceId, key);
  const usage = await client.thresholdUsage.findUnique({ where: { practiceId_patientId_year_pool: { practiceId, ...key } } });
  const usedElsewhereCents = usage?.amountCents ?? 0;
  const thresholds = thresholdsFor(year, actor.alertLevelCents);
  const levels: Levels = thresholds.known
    ? { alertCents: thresholds.alertLevelCents, kxCents: thresholds.kxThresholdCents, reviewCents: thresholds.reviewThresholdCents }
    : null;
  const status = poolThresholdStatus(lines, usedElsewhereCents, thresholds);
  const lineViews = lineViewsOf(lines, usedElsewhereCents, status);
  const visits = visitPointsOf(lineViews);
  const totalCents = usedElsewhereCents + lines.reduce((sum, line) => sum + line.allowedCents, 0);
  const forecasts = levels && status ? levelForecasts(levels, status, lineViews, visits, totalCents) : [];
  const { history, nameOf } = await itemHistory(practiceId, item);

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
    choices: items.map((choice) => ({
      year: choice.year,
      pool: choice.pool,
      level: choice.level,
      totalCents: choice.totalCents,
      linesMissingKx: choice.linesMissingKx,
    })),
    levels,
    unknownYearReason: thresholds.known ? null : thresholds.reason,
    item: item ? itemView(item, nameOf) : null,
    usage: usage
      ? { amountCents: usage.amountCents, source: usage.source, asOf: isoDate(usage.asOf), updatedAt: usage.updatedAt.toISOString() }
      : null,
    lines: lineViews,
    visits,
    forecasts,
    history,
  };
}
