import { redirect } from "next/navigation";
import { SecondFactorForm } from "@/components/second-factor-form";
import { SignOutButton } from "@/components/sign-out-button";
import { currentSession } from "@/lib/server/core/context";
import { safeReturnPath } from "@/lib/schemas/sign-in";
import { LANDING } from "@/lib/server/core/permissions";

export const metadata = { title: "Authenticator code · Therapy Revenue" };

export default async function SecondFactorPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  // the page asked for before signing in (checked: a path of this site), opened once the code is right
  const returnTo = safeReturnPath((await searchParams).callbackUrl) ?? undefined;
  const state = await currentSession();
  if (state.status === "signed-out") redirect("/signin");
  if (state.status === "signed-in") redirect(returnTo ?? LANDING[state.ctx.role]);
  if (state.step === "enrol") redirect("/second-factor/enrol");
  return (
    <main className="mx-auto mt-24 max-w-sm px-4">
      <div className="card space-y-3">
        <h1 className="text-xl font-semibold">Authenticator code</h1>
        <p className="text-sm text-slate-600">
          Open your authenticator app and enter the 6-digit code for Therapy Revenue ({state.ctx.userEmail}).
        </p>
        <SecondFactorForm returnTo={returnTo} />
        <div className="pt-2">
          <SignOutButton />
        </div>
      </div>
    </main>
  );
}
