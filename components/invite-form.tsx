"use client";
// Invites a user: the answer is a link for the admin to pass on (there is no mail server).
import { FieldMessages } from "./forms";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { inviteUserAction } from "@/app/(app)/admin/actions";

export function InviteForm({ timeZone }: { timeZone: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [invited, setInvited] = useState<{ email: string; link: string; expires: string } | null>(null);
  const fieldError = (name: string) => <FieldMessages id={`${name}-error`} messages={fieldErrors[name]} />;
  return (
    <div className="space-y-3">
      <form
        className="grid grid-cols-1 gap-3 md:grid-cols-4 md:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const data = new FormData(form);
          const input = {
            email: String(data.get("email") ?? ""),
            name: String(data.get("name") ?? ""),
            role: String(data.get("role") ?? ""),
          };
          setError("");
          setFieldErrors({});
          setInvited(null);
          start(async () => {
            const result = await inviteUserAction(input as never);
            if (!result.ok) {
              setError(result.error);
              setFieldErrors(result.fieldErrors ?? {});
              return;
            }
            const expires = new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(
              new Date(result.data.expiresAt),
            );
            setInvited({ email: input.email, link: `${window.location.origin}${result.data.path}`, expires });
            form.reset();
            router.refresh();
          });
        }}
      >
        <div>
          <label className="label" htmlFor="new-email">
            Email
          </label>
          <input id="new-email" name="email" type="email" className="input w-full" required />
          {fieldError("email")}
        </div>
        <div>
          <label className="label" htmlFor="new-name">
            Name (they can change it)
          </label>
          <input id="new-name" name="name" className="input w-full" />
          {fieldError("name")}
        </div>
        <div>
          <label className="label" htmlFor="new-role">
            Their role
          </label>
          <select id="new-role" name="role" className="input w-full" defaultValue="BILLER">
            <option value="OWNER">Owner</option>
            <option value="BILLER">Biller</option>
            <option value="MANAGER">Manager</option>
            <option value="ADMIN">Admin</option>
          </select>
          {fieldError("role")}
        </div>
        <button type="submit" className="btn justify-center" disabled={pending}>
          {pending ? "Inviting…" : "Invite"}
        </button>
      </form>
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}
      {invited ? (
        <div role="status" className="rounded border border-green-300 bg-green-50 p-3 text-sm">
          <p>
            Invitation for {invited.email} created. This app sends no email: pass this link on to them yourself (it works once, until{" "}
            {invited.expires}):
          </p>
          <p className="mt-1 break-all font-mono" data-testid="invitation-link">
            {invited.link}
          </p>
        </div>
      ) : null}
    </div>
  );
}
