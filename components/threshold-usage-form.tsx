"use client";
// "Amount used elsewhere this year" for one pool (DOMAIN.md §1): what the patient used at
// other providers, with where the figure comes from and its date. The same zod schema
// checks the fields here and in the server action.
import { FieldMessages } from "./forms";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { z } from "zod";
import { type UsedElsewhereInput, usedElsewhereSchema } from "@/lib/schemas/kx";
import type { ActionResult } from "@/lib/ui/action-result";

export interface ThresholdUsageFormProps {
  patientId: number;
  year: number;
  pool: "PT_SLP" | "OT";
  poolLabel: string;
  current: { amount: string; source: string; asOf: string } | null;
  today: string;
  save: (input: UsedElsewhereInput) => Promise<ActionResult<unknown>>;
}

export function ThresholdUsageForm({ patientId, year, pool, poolLabel, current, today, save }: ThresholdUsageFormProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [amount, setAmount] = useState(current?.amount ?? "");
  const [source, setSource] = useState(current?.source ?? "");
  const [asOf, setAsOf] = useState(current?.asOf ?? today);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const field = (name: "amount" | "source" | "asOf") => ({
    "aria-invalid": errors[name]?.length ? true : undefined,
    "aria-describedby": errors[name]?.length ? `usage-${name}-error` : undefined,
  });
  const errorOf = (name: "amount" | "source" | "asOf") => <FieldMessages id={`usage-${name}-error`} messages={errors[name]} />;

  return (
    <form
      noValidate
      aria-label={`Amount used elsewhere in ${year}, ${poolLabel}`}
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        setFormError(null);
        const input: UsedElsewhereInput = { patientId, year, pool, amount: amount.replace(/[$,\s]/g, ""), source, asOf };
        const checked = usedElsewhereSchema.safeParse(input);
        if (!checked.success) {
          setErrors(z.flattenError(checked.error).fieldErrors as Record<string, string[]>);
          return;
        }
        setErrors({});
        startTransition(async () => {
          const result = await save(input);
          if (result.ok) {
            setSaved(true);
            router.refresh();
          } else {
            setErrors(result.fieldErrors ?? {});
            setFormError(result.error);
          }
        });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <label className="label" htmlFor="usage-amount">
            Amount used elsewhere ($)
          </label>
          <input
            id="usage-amount"
            className="input w-full aria-invalid:border-red-600"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            placeholder="0.00"
            {...field("amount")}
          />
          {errorOf("amount")}
        </div>
        <div>
          <label className="label" htmlFor="usage-source">
            Source
          </label>
          <input
            id="usage-source"
            className="input w-full aria-invalid:border-red-600"
            list="usage-sources"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            placeholder="MAC portal"
            {...field("source")}
          />
          <datalist id="usage-sources">
            <option value="MAC portal" />
            <option value="Eligibility response (271)" />
            <option value="Patient's prior provider" />
          </datalist>
          {errorOf("source")}
        </div>
        <div>
          <label className="label" htmlFor="usage-asof">
            As of
          </label>
          <input
            id="usage-asof"
            type="date"
            className="input w-full aria-invalid:border-red-600"
            max={today}
            value={asOf}
            onChange={(e) => setAsOf(e.target.value)}
            {...field("asOf")}
          />
          {errorOf("asOf")}
        </div>
      </div>
      {formError ? (
        <p role="alert" className="field-error">
          {formError}
        </p>
      ) : null}
      <div className="flex items-center gap-3">
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Saving…" : "Save amount used elsewhere"}
        </button>
        {saved ? (
          <span role="status" className="text-sm text-green-800">
            Saved. The totals below include it.
          </span>
        ) : null}
      </div>
    </form>
  );
}
