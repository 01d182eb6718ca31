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

export async function audit(tx: Pick<Tx, "auditEvent">, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      practiceId: actor.practiceId,
      userId: actor.userId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      patientId: entry.patientId ?? null,
      details: entry.details,
    },
  });
}

export async function auditMany(tx: Pick<Tx, "auditEvent">, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditEvent.createMany({
    data: entries.map((entry) => ({
      practiceId: actor.practiceId,
      userId: actor.userId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      patientId: entry.patientId ?? null,
      details: entry.details,
    })),
  });
}

/** An audit event on its own (a page read, a download), in the current practice scope. */
export async function recordAudit(actor: Actor, entry: AuditEntry): Promise<void> {
  await audit(db(), actor, entry);
}
