import { z } from "zod";
import "./messages";

/** Money in dollars with up to 2 decimals ("1234.50") → integer cents. */
export const dollarsToCents = z
  .string()
  .trim()
  .regex(/^-?\d{1,9}(\.\d{1,2})?$/, { error: "must be dollars with up to 2 decimals, e.g. 1234.50" })
  .transform((amount) => {
    const negative = amount.startsWith("-");
    const [whole, frac = ""] = amount.replace("-", "").split(".");
    const cents = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
    return negative ? -cents : cents;
  });

export const isoDateString = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date, like 2026-03-15", abort: true })
  .refine(
    (date) => {
      const parsed = new Date(`${date}T00:00:00Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
    },
    { error: "is not a date on the calendar" },
  );

export const cptCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{5}$/, { error: "must be a 5-character CPT/HCPCS code" });

export const modifierList = z
  .string()
  .trim()
  .transform((s) => (s === "" ? [] : s.split(";").map((m) => m.trim().toUpperCase())))
  .pipe(
    z
      .array(z.string().regex(/^[A-Z0-9]{2}$/, { error: "each modifier is 2 letters or digits, separated by ;" }))
      .max(4, { error: "at most 4 modifiers" }),
  );

export const PAYER_KIND_VALUES = ["medicare", "medicare_advantage", "commercial", "medicaid", "workers_comp", "self_pay"] as const;
export const CREDENTIAL_VALUES = ["PT", "PTA", "OT", "OTA", "SLP"] as const;
