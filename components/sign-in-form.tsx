"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";

const messages: Record<string, string> = {
  rate_limited: "Too many sign-in attempts. Wait 15 minutes and try again.",
  CredentialsSignin: "That email and password do not match an active account.",
};

export function SignInForm({ initialError }: { initialError?: string }) {
  const [error, setError] = useState(initialError ? (messages[initialError] ?? messages.CredentialsSignin) : "");
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
          setError(messages[result?.error ?? ""] ?? messages.CredentialsSignin);
          return;
        }
        window.location.assign("/");
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
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}
      <button className="btn w-full justify-center" type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
