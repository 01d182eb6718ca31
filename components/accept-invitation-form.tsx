"use client";
import { useState, useTransition } from "react";
import { acceptInvitationAction } from "@/app/invite/[token]/actions";
import { FieldMessages, FormAlert, WideSubmit } from "./forms";

export function AcceptInvitationForm({ token, email, defaultName }: { token: string; email: string; defaultName: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [done, setDone] = useState(false);
  if (done)
    return (
      <p role="status" className="text-sm">
        You have joined. <a href="/signin">Sign in</a> with {email} and your password.
      </p>
    );
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        setError("");
        setFieldErrors({});
        start(async () => {
          const result = await acceptInvitationAction({
            token,
            name: String(data.get("name") ?? ""),
            password: String(data.get("password") ?? ""),
          });
          if (result.ok) setDone(true);
          else {
            setError(result.fieldErrors ? "" : result.error);
            setFieldErrors(result.fieldErrors ?? {});
          }
        });
      }}
    >
      <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
      <div>
        <label className="label" htmlFor="name">
          Your name
        </label>
        <input className="input w-full" id="name" name="name" defaultValue={defaultName} autoComplete="name" required />
        <FieldMessages id="name-error" messages={fieldErrors.name} />
      </div>
      <div>
        <label className="label" htmlFor="password">
          Password
        </label>
        <input className="input w-full" id="password" name="password" type="password" autoComplete="new-password" required />
        <p className="mt-1 text-xs text-slate-500">
          At least 12 characters; a few unrelated words work well. If you already have an account with this email, enter its password.
        </p>
        <FieldMessages id="password-error" messages={fieldErrors.password} />
      </div>
      <FormAlert error={error} />
      <WideSubmit busy={pending} label="Join" busyLabel="Joining…" />
    </form>
  );
}
