"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { waitInWords } from "@/lib/schemas/sign-in";
import { FormAlert, WideSubmit } from "./forms";

const messages: Record<string, string> = {
  CredentialsSignin: "That email and password do not match an active account.",
};

/** "rate_limited:20" (seconds to wait, lib/server/core/sign-in-throttle.ts) in words. */
function messageFor(error: string): string {
  const limited = /^rate_limited(?::(\d+))?$/.exec(error);
  if (limited) {
    return `Too many sign-in attempts. Wait ${waitInWords(Number(limited[1] ?? 60))} and try again.`;
  }
  return messages[error] ?? messages.CredentialsSignin!;
}

/** returnTo: a same-site path already checked by the page (lib/schemas/redirect.ts); else "/" (the role's home). */
export function SignInForm({ initialError, returnTo }: { initialError?: string; returnTo?: string }) {
  const [error, setError] = useState(initialError ? messageFor(initialError) : "");
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError("");
        const form = new FormData(event.currentTarget);
        const result = await signIn("credentials", {
          email: String(form.get("email") ?? ""),
          password: String(form.get("password") ?? ""),
          redirect: false,
        });
        setBusy(false);
        if (!result || result.error) {
          setError(messageFor(result?.error ?? ""));
          return;
        }
        window.location.assign(returnTo ?? "/");
      }}
    >
      <div>
        <label className="label" htmlFor="email">
          Email
        </label>
        <input className="input w-full" id="email" name="email" type="email" autoComplete="username" required />
      </div>
      <div>
        <label className="label" htmlFor="password">
          Password
        </label>
        <input className="input w-full" id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <FormAlert error={error} />
      <WideSubmit busy={busy} label="Sign in" busyLabel="Signing in…" />
    </form>
  );
}
