// The exports by kind, shared by the command line and the download routes.
import type { ExportSource } from "../lists/format";
import { underpaymentsExport } from "../underpayments/export";
import { kxQueueExport } from "./kx-queue";
import { visitsExport } from "./visits";
import { undercodingExport } from "../undercoding/export";

export const EXPORT_KINDS = ["visits", "kx-queue", "underpayments", "undercoding"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportFilters {
  from?: string;
  to?: string;
  year?: number;
}

type Factory = (practiceId: number, filters: ExportFilters) => ExportSource;
const registry: Partial<Record<ExportKind, Factory>> = {
  visits: (practiceId, f) => visitsExport(practiceId, f),
  "kx-queue": (practiceId, f) => kxQueueExport(practiceId, f.year),
  underpayments: (practiceId, f) => underpaymentsExport(practiceId, f),
  undercoding: (practiceId, f) => undercodingExport(practiceId, f),
};

/** Later capabilities add their exports here (underpayments, undercoding). */
export function registerExport(kind: ExportKind, factory: Factory) {
  registry[kind] = factory;
}

export function exportSourceFor(kind: ExportKind, practiceId: number, filters: ExportFilters): ExportSource {
  const factory = registry[kind];
  if (!factory) throw new Error(`export ${kind} is not available yet`);
  return factory(practiceId, filters);
}
