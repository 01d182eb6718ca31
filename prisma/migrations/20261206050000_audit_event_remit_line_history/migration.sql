-- An underpaid line's status history (appealed, recovered, written off, reopened) is read from the
-- audit trail, line by line, for the page of the underpayments worklist
-- (lib/server/underpayments/worklist.ts, underpaymentHistory). The trail gains an event for nearly
-- every page a user opens; with only the (practiceId, createdAt) and (practiceId, patientId)
-- indexes, that read went through all of the practice's events: at five million events (three
-- years of a busy practice) the worklist took 280-340 ms, most of it this read. The events of one
-- remit line are few and this index holds only the events that name a remit line.
CREATE INDEX "AuditEvent_remit_line_idx" ON "AuditEvent" ("practiceId", "entityId")
  WHERE "entityType" = 'RemitLine' AND "entityId" IS NOT NULL;
