import { z } from "zod";
import "./messages";
import { passwordProblem } from "./password";

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
  /**
   * The billing provider's NPI, tax id and mailing address (appeal letters, the 835 payee check).
   * Left out: kept as it is; sent empty: cleared (null).
   */
  npi: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\d{10}$/.test(v), { error: "An NPI is 10 digits, e.g. 1234567893" })
    .transform((v) => v || null)
    .optional(),
  taxId: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\d{2}-?\d{7}$/.test(v), { error: "A tax id (EIN) is 9 digits, e.g. 12-3456789" })
    .transform((v) => (v ? `${v.replace("-", "").slice(0, 2)}-${v.replace("-", "").slice(2)}` : null))
    .optional(),
  address: z
    .string()
    .trim()
    .max(300, { error: "At most 300 characters" })
    .transform((v) => v.replace(/\r\n?/g, "\n") || null)
    .optional(),
});

export const createPracticeSchema = practiceSettingsSchema.extend({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, { error: "Lower-case letters, digits and dashes" }),
});

const emailSchema = z
  .email({ error: "Enter a valid email" })
  .max(200)
  .transform((e) => e.toLowerCase());
// the command line types the stored value (OWNER …); the admin page chooses from a list in words
const roleSchema = z.enum(ROLE_VALUES, { error: "Role is OWNER, BILLER, MANAGER or ADMIN" });
const roleChoice = z.enum(ROLE_VALUES, { error: "Choose a role: owner, biller, manager or administrator" });

/** A user with a password (the operator's command line). */
export const createUserSchema = z
  .object({
    email: emailSchema,
    name: z.string().trim().min(1).max(120).optional(),
    role: roleSchema,
    password: z.string(),
  })
  .superRefine((user, ctx) => {
    const problem = passwordProblem(user.password, [user.email, user.name ?? ""]);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });

/** An invitation to join the practice (the admin page): no password, the invitee chooses it. */
export const inviteUserSchema = z.object({
  email: emailSchema,
  name: z
    .string()
    .trim()
    .max(120)
    .transform((n) => n || undefined)
    .optional(),
  role: roleChoice,
});

/** Accepting an invitation: the name this practice will know, and the password. */
export const acceptInvitationSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: "This invitation link is incomplete: copy the whole link" }),
  name: z.string().trim().min(1, { error: "Enter your name" }).max(120),
  password: z.string().max(200),
});

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
