"use client";
import { useState } from "react";
import { FormAlert, WideSubmit } from "./forms";

async function post(url: string, body: unknown): Promise<{ ok?: boolean; error?: string; next?: string; recoveryCodes?: string[] }> {
  const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return res.json().catch(() => ({ error: "Something went wrong on our side. Try again." }));
}

/**
 * The second step of signing in: the authenticator's code, or a recovery code instead.
 * returnTo: the page asked for before signing in (a same-site path checked by the page); else the role's home.
 */
export function SecondFactorForm({ returnTo }: { returnTo?: string }) {
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError("");
        const value = String(new FormData(event.currentTarget).get("value") ?? "");
        const result = await post("/api/second-factor/verify", recovery ? { recoveryCode: value } : { code: value });
        setBusy(false);
        if (result.ok && result.next) window.location.assign(returnTo ?? result.next);
        else setError(result.error ?? "That code is not right");
      }}
    >
      <div>
        <label className="label" htmlFor="second-factor-value">
          {recovery ? "Recovery code" : "Authenticator code"}
        </label>
        <input
          key={recovery ? "recovery" : "code"}
          className="input w-full"
          id="second-factor-value"
          name="value"
          autoComplete="one-time-code"
          inputMode={recovery ? "text" : "numeric"}
          required
        />
      </div>
      <FormAlert error={error} />
      <WideSubmit busy={busy} label="Continue" busyLabel="Checking…" />
      <button type="button" className="text-sm text-brand-900 underline" onClick={() => setRecovery(!recovery)}>
        {recovery ? "Use the authenticator app instead" : "Use a recovery code instead"}
      </button>
    </form>
  );
}

/** Enrolment's last step: a first code confirms the key, then the recovery codes are shown once. */
export function EnrolForm() {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ codes: string[]; next: string } | null>(null);
  if (done) {
    return (
      <div className="space-y-3">
        <p role="status" className="text-sm text-green-700">
          The second factor is on.
        </p>
        <h2 className="font-semibold">Your recovery codes</h2>
        <p className="text-sm text-slate-600">
          Keep them somewhere safe, apart from your phone. Each works once, instead of a code from the app, if you lose the phone. They are
          shown only now.
        </p>
        <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-1 font-mono text-sm">
          {done.codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <a className="btn w-full justify-center" href={done.next}>
          I have saved them: continue
        </a>
      </div>
    );
  }
  return (
    <form
      className="space-y-3"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError("");
        const code = String(new FormData(event.currentTarget).get("code") ?? "");
        const result = await post("/api/second-factor/enrol", { code });
        setBusy(false);
        if (result.ok && result.recoveryCodes && result.next) setDone({ codes: result.recoveryCodes, next: result.next });
        else setError(result.error ?? "That code is not right");
      }}
    >
      <div>
        <label className="label" htmlFor="enrol-code">
          Code from the app
        </label>
        <input className="input w-full" id="enrol-code" name="code" autoComplete="one-time-code" inputMode="numeric" required />
      </div>
      <FormAlert error={error} />
      <WideSubmit busy={busy} label="Turn on the second factor" busyLabel="Checking…" />
    </form>
  );
}
