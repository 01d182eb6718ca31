// Every read or change of patient data leaves an audit event: who, what, which patient, when.
import type { Prisma } from "@/lib/generated/prisma/client";
import { db, type Tx } from "./db";

export interface Actor {
  practiceId: number;
  userId: number | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  patientId?: number | null;
  details?: Prisma.InputJsonValue;
}

/** One audit row: who (the actor) did what (the entry). */
function auditRow(actor: Actor, entry: AuditEntry) {
  return {
    practiceId: actor.practiceId,
    userId: actor.userId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    patientId: entry.patientId ?? null,
    details: entry.details,
  };
}

export async function audit(tx: Pick<Tx, "auditEvent">, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: auditRow(actor, entry) });
}

export async function auditMany(tx: Pick<Tx, "auditEvent">, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditEvent.createMany({ data: entries.map((entry) => auditRow(actor, entry)) });
}

/** At most this many patient ids are listed in a list view's audit event. */
export const AUDITED_PATIENTS_PER_VIEW = 200;

export interface ReadEntry extends AuditEntry {
  /** the patients whose data the view shows (a list page): kept in details.patientIds */
  patientIds?: readonly (number | null | undefined)[];
}

/**
 * The audit event of a read of patient data: every page, download and data function that shows
 * patients' names, ids, dates of service or claims calls this once per view (HIPAA access
 * accounting). A view of one patient sets patientId; a list names the patients it showed.
 */
export async function auditRead(actor: Actor, entry: ReadEntry): Promise<void> {
  const { patientIds, ...rest } = entry;
  const ids = patientIds ? [...new Set(patientIds.filter((id): id is number => typeof id === "number"))] : undefined;
  const details =
    ids === undefined
      ? rest.details
      : ({
          ...((rest.details as Record<string, Prisma.InputJsonValue> | undefined) ?? {}),
          patientIds: ids.slice(0, AUDITED_PATIENTS_PER_VIEW),
          patients: ids.length,
        } as Prisma.InputJsonValue);
  await audit(db(), { practiceId: actor.practiceId, userId: actor.userId }, { ...rest, details });
}
