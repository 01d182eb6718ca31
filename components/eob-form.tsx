"use client";
// Entering a paper EOB: payer, check, claims with their lines and adjustments. The server
// action checks it with the shared schema (lib/schemas/eob.ts) and answers field errors keyed
// by path ("claims.0.lines.1.paid"), shown next to each field.
import { FieldMessages } from "./forms";
import { usd } from "@/lib/ui/money";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/ui/action-result";

interface Adjustment {
  group: string;
  reason: string;
  amount: string;
}
interface Line {
  serviceDate: string;
  cpt: string;
  modifiers: string;
  units: string;
  charge: string;
  allowed: string;
  paid: string;
  remarks: string;
  adjustments: Adjustment[];
}
interface Claim {
  claimNumber: string;
  status: string;
  payerClaimNumber: string;
  patientName: string;
  memberId: string;
  lines: Line[];
}

const newLine = (date = ""): Line => ({
  serviceDate: date,
  cpt: "",
  modifiers: "",
  units: "1",
  charge: "",
  allowed: "",
  paid: "",
  remarks: "",
  adjustments: [{ group: "CO", reason: "45", amount: "" }],
});
const newClaim = (): Claim => ({ claimNumber: "", status: "1", payerClaimNumber: "", patientName: "", memberId: "", lines: [newLine()] });

function cents(text: string): number | null {
  if (!/^-?\d+(\.\d{1,2})?$/.test(text.trim())) return null;
  return Math.round(Number(text) * 100);
}

export function EobForm({
  payers,
  statuses,
  action,
  afterSave,
}: {
  payers: { id: number; name: string }[];
  /** where to go once saved: the new remit when the user may read remits, else this page */
  afterSave: "remit" | "stay";
  statuses: readonly { code: string; label: string }[];
  action: (input: unknown) => Promise<ActionResult<{ paymentId: number; claims: number; matchedClaims: number }>>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [payerId, setPayerId] = useState("");
  const [checkNumber, setCheckNumber] = useState("");
  const [paymentDate, setPaymentDate] = useState("");
  const [amount, setAmount] = useState("");
  const [claims, setClaims] = useState<Claim[]>([newClaim()]);
  const [error, setError] = useState("");
  const [saved, setSaved] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>();

  const setClaim = (i: number, patch: Partial<Claim>) => setClaims((cs) => cs.map((c, k) => (k === i ? { ...c, ...patch } : c)));
  const setLine = (i: number, j: number, patch: Partial<Line>) =>
    setClaims((cs) => cs.map((c, k) => (k === i ? { ...c, lines: c.lines.map((l, m) => (m === j ? { ...l, ...patch } : l)) } : c)));
  const setAdjustment = (i: number, j: number, a: number, patch: Partial<Adjustment>) =>
    setClaims((cs) =>
      cs.map((c, k) =>
        k === i
          ? {
              ...c,
              lines: c.lines.map((l, m) =>
                m === j ? { ...l, adjustments: l.adjustments.map((x, n) => (n === a ? { ...x, ...patch } : x)) } : l,
              ),
            }
          : c,
      ),
    );

  const totalPaid = claims.reduce((s, c) => s + c.lines.reduce((t, l) => t + (cents(l.paid) ?? 0), 0), 0);

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        setError("");
        setSaved("");
        setFieldErrors(undefined);
        startTransition(async () => {
          const result = await action({ payerId, checkNumber, paymentDate, amount, claims });
          if (result.ok && afterSave === "remit") router.push(`/remits/${result.data.paymentId}`);
          else if (result.ok) {
            setClaims([newClaim()]);
            setSaved(`Saved: ${result.data.claims} claims, ${result.data.matchedClaims} matched to ours.`);
            router.refresh();
          } else {
            setError(result.error);
            setFieldErrors(result.fieldErrors);
          }
        });
      }}
    >
      <fieldset className="card grid grid-cols-1 gap-3 md:grid-cols-4">
        <legend className="px-1 font-semibold">Payment</legend>
        <div>
          <label className="label" htmlFor="eob-payer">
            Payer
          </label>
          <select id="eob-payer" className="input w-full" value={payerId} onChange={(e) => setPayerId(e.target.value)} required>
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
          <label className="label" htmlFor="eob-check">
            Check number
          </label>
          <input id="eob-check" className="input w-full" value={checkNumber} onChange={(e) => setCheckNumber(e.target.value)} required />
          <FieldMessages id={"checkNumber-error"} messages={fieldErrors?.["checkNumber"]} />
        </div>
        <div>
          <label className="label" htmlFor="eob-date">
            Check date
          </label>
          <input
            id="eob-date"
            type="date"
            className="input w-full"
            value={paymentDate}
            onChange={(e) => setPaymentDate(e.target.value)}
            required
          />
          <FieldMessages id={"paymentDate-error"} messages={fieldErrors?.["paymentDate"]} />
        </div>
        <div>
          <label className="label" htmlFor="eob-amount">
            Check amount ($)
          </label>
          <input
            id="eob-amount"
            inputMode="decimal"
            className="input w-full"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            required
          />
          <p className="text-xs text-slate-600">Lines paid so far: {usd(totalPaid)}</p>
          <FieldMessages id={"amount-error"} messages={fieldErrors?.["amount"]} />
        </div>
      </fieldset>

      {claims.map((claim, i) => (
        <fieldset key={i} className="card space-y-3">
          <legend className="px-1 font-semibold">Claim {i + 1}</legend>
          <div className="grid grid-cols-1 gap-3 md:grid-cols-5">
            <div>
              <label className="label" htmlFor={`c${i}-number`}>
                Our claim number
              </label>
              <input
                id={`c${i}-number`}
                className="input w-full"
                value={claim.claimNumber}
                onChange={(e) => setClaim(i, { claimNumber: e.target.value })}
                required
              />
              <FieldMessages id={`claims.${i}.claimNumber-error`} messages={fieldErrors?.[`claims.${i}.claimNumber`]} />
            </div>
            <div>
              <label className="label" htmlFor={`c${i}-status`}>
                Status
              </label>
              <select
                id={`c${i}-status`}
                className="input w-full"
                value={claim.status}
                onChange={(e) => setClaim(i, { status: e.target.value })}
              >
                {statuses.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label className="label" htmlFor={`c${i}-patient`}>
                Patient (Last, First)
              </label>
              <input
                id={`c${i}-patient`}
                className="input w-full"
                value={claim.patientName}
                onChange={(e) => setClaim(i, { patientName: e.target.value })}
              />
              <FieldMessages id={`claims.${i}.patientName-error`} messages={fieldErrors?.[`claims.${i}.patientName`]} />
            </div>
            <div>
              <label className="label" htmlFor={`c${i}-member`}>
                Member id
              </label>
              <input
                id={`c${i}-member`}
                className="input w-full"
                value={claim.memberId}
                onChange={(e) => setClaim(i, { memberId: e.target.value })}
              />
            </div>
            <div>
              <label className="label" htmlFor={`c${i}-icn`}>
                Payer claim number
              </label>
              <input
                id={`c${i}-icn`}
                className="input w-full"
                value={claim.payerClaimNumber}
                onChange={(e) => setClaim(i, { payerClaimNumber: e.target.value })}
              />
            </div>
          </div>
          <FieldMessages id={`claims.${i}.lines-error`} messages={fieldErrors?.[`claims.${i}.lines`]} />
          {claim.lines.map((line, j) => {
            const p = `claims.${i}.lines.${j}`;
            const adjusted = line.adjustments.reduce((s, a) => s + (cents(a.amount) ?? 0), 0);
            const charge = cents(line.charge);
            return (
              <div key={j} className="rounded border border-slate-200 p-2">
                <div className="grid grid-cols-2 gap-2 md:grid-cols-9">
                  <div>
                    <label className="label" htmlFor={`${p}-date`}>
                      Date of service
                    </label>
                    <input
                      id={`${p}-date`}
                      type="date"
                      className="input w-full"
                      value={line.serviceDate}
                      onChange={(e) => setLine(i, j, { serviceDate: e.target.value })}
                      required
                    />
                    <FieldMessages id={`${p}.serviceDate-error`} messages={fieldErrors?.[`${p}.serviceDate`]} />
                  </div>
                  <div>
                    <label className="label" htmlFor={`${p}-cpt`}>
                      Code
                    </label>
                    <input
                      id={`${p}-cpt`}
                      className="input w-full"
                      value={line.cpt}
                      onChange={(e) => setLine(i, j, { cpt: e.target.value })}
                      required
                    />
                    <FieldMessages id={`${p}.cpt-error`} messages={fieldErrors?.[`${p}.cpt`]} />
                  </div>
                  <div>
                    <label className="label" htmlFor={`${p}-mods`}>
                      Modifiers
                    </label>
                    <input
                      id={`${p}-mods`}
                      className="input w-full"
                      placeholder="GP;KX"
                      value={line.modifiers}
                      onChange={(e) => setLine(i, j, { modifiers: e.target.value })}
                    />
                    <FieldMessages id={`${p}.modifiers-error`} messages={fieldErrors?.[`${p}.modifiers`]} />
                  </div>
                  <div>
                    <label className="label" htmlFor={`${p}-units`}>
                      Units
                    </label>
                    <input
                      id={`${p}-units`}
                      className="input w-full"
                      value={line.units}
                      onChange={(e) => setLine(i, j, { units: e.target.value })}
                    />
                    <FieldMessages id={`${p}.units-error`} messages={fieldErrors?.[`${p}.units`]} />
                  </div>
                  <div>
                    <label className="label" htmlFor={`${p}-charge`}>
                      Charge
                    </label>
                    <input
                      id={`${p}-charge`}
                      inputMode="decimal"
                      className="input w-full"
                      value={line.charge}
                      onChange={(e) => setLine(i, j, { charge: e.target.value })}
                      required
                    />
                    <FieldMessages id={`${p}.charge-error`} messages={fieldErrors?.[`${p}.charge`]} />
                  </div>
                  <div>
                    <label className="label" htmlFor={`${p}-allowed`}>
                      Allowed
                    </label>
                    <input
                      id={`${p}-allowed`}
                      inputMode="decimal"
                      className="input w-full"
                      placeholder="from the EOB"
                      value={line.allowed}
                      onChange={(e) => setLine(i, j, { allowed: e.target.value })}
                    />
                    <FieldMessages id={`${p}.allowed-error`} messages={fieldErrors?.[`${p}.allowed`]} />
                  </div>
                  <div>
                    <label className="label" htmlFor={`${p}-paid`}>
                      Paid
                    </label>
                    <input
                      id={`${p}-paid`}
                      inputMode="decimal"
                      className="input w-full"
                      value={line.paid}
                      onChange={(e) => setLine(i, j, { paid: e.target.value })}
                      required
                    />
                    {charge !== null ? <p className="text-xs text-slate-600">charge − adjustments = {usd(charge - adjusted)}</p> : null}
                    <FieldMessages id={`${p}.paid-error`} messages={fieldErrors?.[`${p}.paid`]} />
                  </div>
                  <div>
                    <label className="label" htmlFor={`${p}-remarks`}>
                      Remarks (RARC)
                    </label>
                    <input
                      id={`${p}-remarks`}
                      className="input w-full"
                      placeholder="N640"
                      value={line.remarks}
                      onChange={(e) => setLine(i, j, { remarks: e.target.value })}
                    />
                    <FieldMessages id={`${p}.remarks-error`} messages={fieldErrors?.[`${p}.remarks`]} />
                  </div>
                  <div className="flex items-end">
                    {claim.lines.length > 1 ? (
                      <button
                        type="button"
                        className="btn-secondary"
                        onClick={() => setClaim(i, { lines: claim.lines.filter((_, m) => m !== j) })}
                      >
                        Remove line
                      </button>
                    ) : null}
                  </div>
                </div>
                <div className="mt-2 space-y-1">
                  {line.adjustments.map((a, n) => (
                    <div key={n} className="flex flex-wrap items-end gap-2 text-sm">
                      <div>
                        <label className="label" htmlFor={`${p}-adj${n}-group`}>
                          Group
                        </label>
                        <select
                          id={`${p}-adj${n}-group`}
                          className="input"
                          value={a.group}
                          onChange={(e) => setAdjustment(i, j, n, { group: e.target.value })}
                        >
                          {["CO", "PR", "OA", "PI"].map((g) => (
                            <option key={g}>{g}</option>
                          ))}
                        </select>
                      </div>
                      <div>
                        <label className="label" htmlFor={`${p}-adj${n}-reason`}>
                          CARC
                        </label>
                        <input
                          id={`${p}-adj${n}-reason`}
                          className="input w-20"
                          value={a.reason}
                          onChange={(e) => setAdjustment(i, j, n, { reason: e.target.value })}
                        />
                      </div>
                      <div>
                        <label className="label" htmlFor={`${p}-adj${n}-amount`}>
                          Amount
                        </label>
                        <input
                          id={`${p}-adj${n}-amount`}
                          inputMode="decimal"
                          className="input w-28"
                          value={a.amount}
                          onChange={(e) => setAdjustment(i, j, n, { amount: e.target.value })}
                        />
                      </div>
                      <button
                        type="button"
                        className="btn-secondary"
                        onClick={() => setLine(i, j, { adjustments: line.adjustments.filter((_, x) => x !== n) })}
                        aria-label={`Remove adjustment ${n + 1} of line ${j + 1}`}
                      >
                        ×
                      </button>
                      <FieldMessages id={`${p}.adjustments.${n}.group-error`} messages={fieldErrors?.[`${p}.adjustments.${n}.group`]} />
                      <FieldMessages id={`${p}.adjustments.${n}.reason-error`} messages={fieldErrors?.[`${p}.adjustments.${n}.reason`]} />
                      <FieldMessages id={`${p}.adjustments.${n}.amount-error`} messages={fieldErrors?.[`${p}.adjustments.${n}.amount`]} />
                    </div>
                  ))}
                  <button
                    type="button"
                    className="btn-secondary"
                    onClick={() => setLine(i, j, { adjustments: [...line.adjustments, { group: "PR", reason: "2", amount: "" }] })}
                  >
                    Add adjustment
                  </button>
                </div>
              </div>
            );
          })}
          <div className="flex gap-2">
            <button
              type="button"
              className="btn-secondary"
              onClick={() => setClaim(i, { lines: [...claim.lines, newLine(claim.lines.at(-1)?.serviceDate)] })}
            >
              Add line
            </button>
            {claims.length > 1 ? (
              <button type="button" className="btn-secondary" onClick={() => setClaims((cs) => cs.filter((_, k) => k !== i))}>
                Remove claim
              </button>
            ) : null}
          </div>
        </fieldset>
      ))}
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary" onClick={() => setClaims((cs) => [...cs, newClaim()])}>
          Add claim
        </button>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Saving…" : "Save EOB"}
        </button>
        {saved ? (
          <p role="status" className="text-sm text-green-700">
            {saved}
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="field-error">
            {error}
          </p>
        ) : null}
      </div>
    </form>
  );
}
