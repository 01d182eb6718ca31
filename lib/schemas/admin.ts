import { z } from "zod";

export const ROLE_VALUES = ["OWNER", "BILLER", "MANAGER", "ADMIN"] as const;

export const practiceSettingsSchema = z.object({
  name: z.string().trim().min(1, { error: "Enter the practice name" }).max(120),
  medicareLocality: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}-\d{2}$/, { error: "Use the state and locality number, e.g. NY-01" }),
  timeZone: z.string().trim().refine(isTimeZone, { error: "Use an IANA time zone, e.g. America/New_York" }),
  alertLevelDollars: z.coerce.number().min(0, { error: "Must be 0 or more" }).max(100000).optional(),
  sessionIdleMinutes: z.coerce
    .number()
    .int({ error: "Whole minutes" })
    .min(5, { error: "At least 5 minutes" })
    .max(720, { error: "At most 720 minutes (12 hours, the longest a session lasts)" })
    .optional(),
  /** who must sign in with a second factor: admins and managers always; "everyone" adds owners and billers */
  secondFactorFor: z.enum(["admins-and-managers", "everyone"]).optional(),
});

export const createPracticeSchema = practiceSettingsSchema.extend({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, { error: "Lower-case letters, digits and dashes" }),
});

export const createUserSchema = z.object({
  email: z.email({ error: "Enter a valid email" }).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(120).optional(),
  role: z.enum(ROLE_VALUES, { error: "Role is OWNER, BILLER, MANAGER or ADMIN" }),
  password: z.string().min(10, { error: "Passwords have at least 10 characters" }).max(200),
});

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
