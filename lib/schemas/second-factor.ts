import { z } from "zod";

/** The six digits from the authenticator app (spaces allowed: "123 456"). */
export const totpCodeSchema = z
  .string({ error: "Enter the 6-digit code from your authenticator app" })
  .transform((c) => c.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, { error: "Enter the 6-digit code from your authenticator app" }));

export const enrolSchema = z.object({ code: totpCodeSchema });

/** At sign-in: the authenticator's code, or one of the recovery codes instead. */
export const signInCodeSchema = z.union([
  z.object({ code: totpCodeSchema }),
  z.object({
    recoveryCode: z.string().trim().min(1, { error: "Enter a recovery code" }).max(40, { error: "A recovery code is 19 characters" }),
  }),
]);
