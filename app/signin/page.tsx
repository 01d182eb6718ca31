import { SignInForm } from "@/components/sign-in-form";
import { safeReturnPath } from "@/lib/schemas/sign-in";

export const metadata = { title: "Sign in · Therapy Revenue" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string | string[]; callbackUrl?: string | string[] }>;
}) {
  const { error, callbackUrl } = await searchParams;
  return (
    <main className="mx-auto mt-24 max-w-sm">
      <div className="card">
        <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
        <SignInForm initialError={typeof error === "string" ? error : undefined} returnTo={safeReturnPath(callbackUrl) ?? undefined} />
      </div>
    </main>
  );
}
