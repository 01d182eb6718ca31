// Reference data a manager edits: the NCCI pair table and uploaded CMS files.
import { z } from "zod";
import "./messages";
import { cptCode } from "./common";

export const REFERENCE_KINDS = ["fee-schedule", "gpci", "mue", "ncci", "therapy-codes"] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** An uploaded CMS file: the fee schedule (relative values) or the GPCIs, as text. */
export const referenceUploadSchema = z.object({
  kind: z.enum(REFERENCE_KINDS, { error: "Choose what the file holds: fee schedule, GPCI, MUE, NCCI edits or therapy code list" }),
  fileName: z.string().trim().min(1, { error: "Choose a file" }).max(255),
  content: z
    .string()
    .min(1, { error: "The file is empty" })
    .max(30_000_000, { error: "The file is larger than 30 MB; load the therapy rows only" }),
});
export type ReferenceUploadInput = z.input<typeof referenceUploadSchema>;

export const ncciPairSchema = z
  .object({
    column1: z.string().trim().min(1, { error: "Enter the column 1 code" }).pipe(cptCode),
    column2: z.string().trim().min(1, { error: "Enter the column 2 code" }).pipe(cptCode),
    note: z.string().trim().max(200, { error: "At most 200 characters" }),
  })
  .refine((p) => p.column1 !== p.column2, { error: "The two codes must differ", path: ["column2"] });
export type NcciPairInput = z.input<typeof ncciPairSchema>;

export const ncciPairIdSchema = z.object({ id: z.number().int().positive() });
