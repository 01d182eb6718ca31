// Enrolment's last step: a first code from the app confirms the key; the answer carries the
// recovery codes, shown this once.
import { enrolSchema } from "@/lib/schemas/second-factor";
import { Conflict, InvalidInput } from "@/lib/server/core/errors";
import { secondFactorRoute } from "@/lib/server/core/guard";
import { LANDING } from "@/lib/server/core/permissions";
import { confirmEnrolment } from "@/lib/server/second-factor/second-factor";

export const POST = secondFactorRoute(async (state, request) => {
  if (state.status === "second-factor" && state.step === "verify") throw new Conflict("Enter the code from your authenticator app instead");
  if (state.ctx.secondFactor.enrolled) throw new Conflict("A second factor is already set up for this account");
  const parsed = enrolSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) throw new InvalidInput("Enter the 6-digit code from your authenticator app", { code: ["6 digits"] });
  const actor = { practiceId: state.ctx.practiceId, userId: state.ctx.userId };
  const { recoveryCodes } = await confirmEnrolment(actor, state.sessionId, parsed.data.code);
  return Response.json({ ok: true, recoveryCodes, next: LANDING[state.ctx.role] });
});
