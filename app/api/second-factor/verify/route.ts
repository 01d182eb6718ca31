// The second step of signing in: the code from the authenticator app, or a recovery code.
import { signInCodeSchema } from "@/lib/schemas/second-factor";
import { InvalidInput } from "@/lib/server/core/errors";
import { secondFactorRoute } from "@/lib/server/core/guard";
import { LANDING } from "@/lib/server/core/permissions";
import { redeemRecoveryCode, verifySignInCode } from "@/lib/server/second-factor/second-factor";

export const POST = secondFactorRoute(async (state, request) => {
  const next = LANDING[state.ctx.role];
  if (state.status === "signed-in") return Response.json({ ok: true, next });
  if (state.step === "enrol")
    return Response.json({ error: "Set up the second factor first", next: "/second-factor/enrol" }, { status: 409 });
  const parsed = signInCodeSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) throw new InvalidInput("Enter the 6-digit code from your authenticator app, or a recovery code");
  const actor = { practiceId: state.ctx.practiceId, userId: state.ctx.userId };
  if ("code" in parsed.data) {
    await verifySignInCode(actor, state.sessionId, parsed.data.code);
    return Response.json({ ok: true, next });
  }
  const { remaining } = await redeemRecoveryCode(actor, state.sessionId, parsed.data.recoveryCode);
  return Response.json({ ok: true, next, recoveryCodesLeft: remaining });
});
