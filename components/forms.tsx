"use client";
// Small helpers for forms that call a guarded server action with a plain object and show
// its field-level errors next to the fields.
import { useRouter } from "next/navigation";
import { createContext, useContext, useState, useTransition } from "react";
import { sentenceOf } from "@/lib/schemas/messages";
import type { ActionResult } from "@/lib/ui/action-result";

const ErrorsContext = createContext<Record<string, string[]> | undefined>(undefined);

export function ActionForm<R>({
  action,
  children,
  className,
  submitLabel,
  successMessage,
  transform,
  resetOnSuccess,
}: {
  action: (input: never) => Promise<ActionResult<R>>;
  children: React.ReactNode;
  className?: string;
  submitLabel: string;
  successMessage?: string;
  transform?: (values: Record<string, string>) => unknown;
  resetOnSuccess?: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState("");
  const [ok, setOk] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>();
  return (
    <form
      className={className ?? "space-y-3"}
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const values: Record<string, string> = {};
        new FormData(form).forEach((v, k) => {
          values[k] = String(v);
        });
        setError("");
        setOk("");
        setFieldErrors(undefined);
        startTransition(async () => {
          const result = await action((transform ? transform(values) : values) as never);
          if (result.ok) {
            setOk(successMessage ?? "Saved");
            if (resetOnSuccess) form.reset();
            router.refresh();
          } else {
            setError(result.error);
            setFieldErrors(result.fieldErrors);
          }
        });
      }}
    >
      <ErrorsContext.Provider value={fieldErrors}>{children}</ErrorsContext.Provider>
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}
      {ok ? (
        <p role="status" className="text-sm text-green-700">
          {ok}
        </p>
      ) : null}
      <button type="submit" className="btn" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </button>
    </form>
  );
}

/**
 * The one way a field's errors are shown: under the field, as sentences ("Required.",
 * "Must be 600 or less."), with the id its input names in aria-describedby. Nothing when the
 * field has no error.
 */
export function FieldMessages({ id, messages }: { id?: string; messages?: readonly string[] }) {
  if (!messages?.length) return null;
  return (
    <p className="field-error" id={id}>
      {messages.map(sentenceOf).join(" ")}
    </p>
  );
}

/** A field's errors inside an ActionForm (from the action's answer), by the field's name. */
export function FieldError({ name }: { name: string }) {
  return <FieldMessages id={`${name}-error`} messages={useContext(ErrorsContext)?.[name]} />;
}

export function ConfirmButton<R>({
  action,
  input,
  label,
  confirm,
  className,
}: {
  action: (input: never) => Promise<ActionResult<R>>;
  input: unknown;
  label: string;
  confirm?: string;
  className?: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState("");
  return (
    <span>
      <button
        type="button"
        className={className ?? "btn-secondary"}
        disabled={pending}
        onClick={() => {
          if (confirm && !window.confirm(confirm)) return;
          startTransition(async () => {
            const result = await action(input as never);
            if (result.ok) router.refresh();
            else setError(result.error);
          });
        }}
      >
        {label}
      </button>
      {error ? (
        <span role="alert" className="field-error ml-2">
          {error}
        </span>
      ) : null}
    </span>
  );
}

/** A form's own error, announced to screen readers; nothing when there is none. */
export function FormAlert({ error }: { error: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="field-error">
      {error}
    </p>
  );
}

/** The full-width submit button of the sign-in style forms, with its wording while it works. */
export function WideSubmit({ busy, label, busyLabel }: { busy: boolean; label: string; busyLabel: string }) {
  return (
    <button className="btn w-full justify-center" type="submit" disabled={busy}>
      {busy ? busyLabel : label}
    </button>
  );
}
