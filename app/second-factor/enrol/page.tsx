import { redirect } from "next/navigation";
import { EnrolForm } from "@/components/second-factor-form";
import { SignOutButton } from "@/components/sign-out-button";
import { currentSession } from "@/lib/server/core/context";
import { LANDING } from "@/lib/server/core/permissions";
import { startEnrolment } from "@/lib/server/second-factor/second-factor";

export const metadata = { title: "Set up a second factor · Therapy Revenue" };

export default async function EnrolPage() {
  const state = await currentSession();
  if (state.status === "signed-out") redirect("/signin");
  if (state.status === "second-factor" && state.step === "verify") redirect("/second-factor");
  if (state.ctx.secondFactor.enrolled) redirect(LANDING[state.ctx.role]);
  const enrolment = await startEnrolment(state.ctx.userId);
  return (
    <main className="mx-auto mt-12 max-w-md px-4">
      <div className="card space-y-4">
        <h1 className="text-xl font-semibold">Set up a second factor</h1>
        <p className="text-sm text-slate-600">
          {state.ctx.secondFactor.required
            ? "Your account needs a code from an authenticator app at every sign-in."
            : "Add a code from an authenticator app to every sign-in."}{" "}
          Scan the QR code with the app (Google Authenticator, Microsoft Authenticator, 1Password…), or type in the key.
        </p>
        {/* biome-ignore lint/performance/noImgElement: a data: URL drawn on the server, nothing for next/image to optimise */}
        <img src={enrolment.qrCode} alt="QR code of the authenticator key" width={200} height={200} className="mx-auto" />
        <div>
          <p className="label">Key</p>
          <p className="break-all font-mono text-sm" data-testid="totp-key" data-technical>
            {enrolment.key}
          </p>
          <p className="text-sm">
            <a href={enrolment.otpauthUrl}>Open in an authenticator app on this device</a>
          </p>
        </div>
        <EnrolForm />
        {state.status === "second-factor" ? (
          <div className="pt-2">
            <SignOutButton />
          </div>
        ) : (
          <a href={LANDING[state.ctx.role]} className="text-sm">
            Not now
          </a>
        )}
      </div>
    </main>
  );
}
