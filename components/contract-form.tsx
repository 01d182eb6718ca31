"use client";
// Creating or editing a payer contract: the period, the unit method, the multiple-procedure
// rule and one row per code. Checked on the server with the same rules as contracts.csv;
// errors come back keyed by path ("rates.2.rate_per_unit") and show next to the field.
import { FieldMessages } from "./forms";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { contractRateWarning } from "@/lib/schemas/warnings";
import type { ActionResult } from "@/lib/ui/action-result";

export interface ContractRateValues {
  cpt: string;
  modifier: string;
  rate_per_unit: string;
  percent_of_medicare: string;
  medicare_year: string;
  locality: string;
  max_units_per_visit: string;
  lesser_of_charge: boolean;
}

export interface ContractValues {
  contractId?: number;
  payerId: string;
  effective_from: string;
  effective_to: string;
  unit_method: string;
  multiple_procedure_rule: string;
  rates: ContractRateValues[];
}

const emptyRate = (): ContractRateValues => ({
  cpt: "",
  modifier: "",
  rate_per_unit: "",
  percent_of_medicare: "",
  medicare_year: "",
  locality: "",
  max_units_per_visit: "",
  lesser_of_charge: true,
});

export function ContractForm({
  initial,
  payers,
  action,
}: {
  initial?: ContractValues;
  payers: { id: number; name: string }[];
  action: (input: unknown) => Promise<ActionResult<{ contractId: number; visitsRepriced: number; remitLinesRefreshed: number }>>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [v, setV] = useState<ContractValues>(
    initial ?? {
      payerId: "",
      effective_from: "",
      effective_to: "",
      unit_method: "per_code",
      multiple_procedure_rule: "none",
      rates: [emptyRate()],
    },
  );
  const [error, setError] = useState("");
  const [ok, setOk] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>();
  const setRate = (i: number, patch: Partial<ContractRateValues>) =>
    setV((s) => ({ ...s, rates: s.rates.map((r, k) => (k === i ? { ...r, ...patch } : r)) }));
  const id = initial?.contractId ?? "new";
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        setError("");
        setOk("");
        setFieldErrors(undefined);
        startTransition(async () => {
          const result = await action({
            ...v,
            rates: v.rates.map((r) => ({ ...r, lesser_of_charge: r.lesser_of_charge ? "true" : "false" })),
          });
          if (result.ok) {
            setOk(
              `Saved. ${result.data.visitsRepriced} visit(s) re-priced, ${result.data.remitLinesRefreshed} remitted line(s) compared again.`,
            );
            if (!initial?.contractId) router.push(`/contracts/${result.data.contractId}`);
            router.refresh();
          } else {
            setError(result.error);
            setFieldErrors(result.fieldErrors);
          }
        });
      }}
    >
      <div className="grid grid-cols-1 gap-3 md:grid-cols-5">
        <div>
          <label className="label" htmlFor={`${id}-payer`}>
            Payer
          </label>
          <select
            id={`${id}-payer`}
            className="input w-full"
            value={v.payerId}
            onChange={(e) => setV({ ...v, payerId: e.target.value })}
            required
          >
            <option value="">Choose…</option>
            {payers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <FieldMessages id={"payerId-error"} messages={fieldErrors?.["payerId"]} />
        </div>
        <div>
          <label className="label" htmlFor={`${id}-from`}>
            Effective from
          </label>
          <input
            id={`${id}-from`}
            type="date"
            className="input w-full"
            value={v.effective_from}
            onChange={(e) => setV({ ...v, effective_from: e.target.value })}
            required
          />
          <FieldMessages id={"effective_from-error"} messages={fieldErrors?.["effective_from"]} />
        </div>
        <div>
          <label className="label" htmlFor={`${id}-to`}>
            Effective to (empty: open-ended)
          </label>
          <input
            id={`${id}-to`}
            type="date"
            className="input w-full"
            value={v.effective_to}
            onChange={(e) => setV({ ...v, effective_to: e.target.value })}
          />
          <FieldMessages id={"effective_to-error"} messages={fieldErrors?.["effective_to"]} />
        </div>
        <div>
          <label className="label" htmlFor={`${id}-units`}>
            Unit method
          </label>
          <select
            id={`${id}-units`}
            className="input w-full"
            value={v.unit_method}
            onChange={(e) => setV({ ...v, unit_method: e.target.value })}
          >
            <option value="cms">CMS (pooled 8-minute rule)</option>
            <option value="per_code">Per code (rule of eights)</option>
          </select>
          <FieldMessages id={"unit_method-error"} messages={fieldErrors?.["unit_method"]} />
        </div>
        <div>
          <label className="label" htmlFor={`${id}-mppr`}>
            Multiple procedures
          </label>
          <select
            id={`${id}-mppr`}
            className="input w-full"
            value={v.multiple_procedure_rule}
            onChange={(e) => setV({ ...v, multiple_procedure_rule: e.target.value })}
          >
            <option value="none">None: every unit in full</option>
            <option value="medicare_pe_50">Medicare MPPR (PE 50%)</option>
            <option value="whole_50">Later codes at 50%</option>
          </select>
          <FieldMessages id={"multiple_procedure_rule-error"} messages={fieldErrors?.["multiple_procedure_rule"]} />
        </div>
      </div>
      <FieldMessages id={"rates-error"} messages={fieldErrors?.["rates"]} />
      <table className="data">
        <thead>
          <tr>
            <th>Code</th>
            <th>Modifier</th>
            <th>Rate per unit ($)</th>
            <th>or % of Medicare</th>
            <th>Medicare year</th>
            <th>Locality</th>
            <th>Max units</th>
            <th>Lesser of charge</th>
            <th>
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {v.rates.map((r, i) => {
            const p = `rates.${i}`;
            return (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Code, row ${i + 1}`}
                    className="input w-20"
                    value={r.cpt}
                    onChange={(e) => setRate(i, { cpt: e.target.value })}
                    required
                  />
                  <FieldMessages id={`${p}.cpt-error`} messages={fieldErrors?.[`${p}.cpt`]} />
                </td>
                <td>
                  <input
                    aria-label={`Modifier, row ${i + 1}`}
                    className="input w-14"
                    placeholder="any"
                    value={r.modifier}
                    onChange={(e) => setRate(i, { modifier: e.target.value })}
                  />
                  <FieldMessages id={`${p}.modifier-error`} messages={fieldErrors?.[`${p}.modifier`]} />
                </td>
                <td>
                  <input
                    aria-label={`Rate per unit, row ${i + 1}`}
                    inputMode="decimal"
                    className="input w-24"
                    value={r.rate_per_unit}
                    onChange={(e) => setRate(i, { rate_per_unit: e.target.value })}
                  />
                  <FieldMessages id={`${p}.rate_per_unit-error`} messages={fieldErrors?.[`${p}.rate_per_unit`]} />
                  {contractRateWarning(r.rate_per_unit) ? (
                    <p className="text-xs text-amber-800" role="status">
                      {contractRateWarning(r.rate_per_unit)}
                    </p>
                  ) : null}
                </td>
                <td>
                  <input
                    aria-label={`Percent of Medicare, row ${i + 1}`}
                    inputMode="decimal"
                    className="input w-20"
                    value={r.percent_of_medicare}
                    onChange={(e) => setRate(i, { percent_of_medicare: e.target.value })}
                  />
                  <FieldMessages id={`${p}.percent_of_medicare-error`} messages={fieldErrors?.[`${p}.percent_of_medicare`]} />
                </td>
                <td>
                  <input
                    aria-label={`Medicare year, row ${i + 1}`}
                    inputMode="numeric"
                    className="input w-20"
                    value={r.medicare_year}
                    onChange={(e) => setRate(i, { medicare_year: e.target.value })}
                  />
                  <FieldMessages id={`${p}.medicare_year-error`} messages={fieldErrors?.[`${p}.medicare_year`]} />
                </td>
                <td>
                  <input
                    aria-label={`Locality, row ${i + 1}`}
                    className="input w-20"
                    placeholder="CA-18"
                    value={r.locality}
                    onChange={(e) => setRate(i, { locality: e.target.value })}
                  />
                  <FieldMessages id={`${p}.locality-error`} messages={fieldErrors?.[`${p}.locality`]} />
                </td>
                <td>
                  <input
                    aria-label={`Max units per visit, row ${i + 1}`}
                    inputMode="numeric"
                    className="input w-14"
                    value={r.max_units_per_visit}
                    onChange={(e) => setRate(i, { max_units_per_visit: e.target.value })}
                  />
                  <FieldMessages id={`${p}.max_units_per_visit-error`} messages={fieldErrors?.[`${p}.max_units_per_visit`]} />
                </td>
                <td className="text-center">
                  <input
                    aria-label={`Lesser of charge, row ${i + 1}`}
                    type="checkbox"
                    checked={r.lesser_of_charge}
                    onChange={(e) => setRate(i, { lesser_of_charge: e.target.checked })}
                  />
                </td>
                <td>
                  {v.rates.length > 1 ? (
                    <button
                      type="button"
                      className="btn-secondary"
                      onClick={() => setV({ ...v, rates: v.rates.filter((_, k) => k !== i) })}
                      aria-label={`Remove row ${i + 1}`}
                    >
                      ×
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary" onClick={() => setV({ ...v, rates: [...v.rates, emptyRate()] })}>
          Add code
        </button>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Saving and re-pricing…" : initial?.contractId ? "Save changes" : "Create contract"}
        </button>
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
      </div>
    </form>
  );
}
