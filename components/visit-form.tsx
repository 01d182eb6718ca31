"use client";
// The visit form: visit fields and its lines (add, remove, reorder). The same zod schema
// checks the input here, before sending, and again in the server action; errors show next
// to the field they name ("lines.2.minutes").
import { FieldMessages } from "./forms";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { createVisitAction, updateVisitAction } from "@/app/(app)/visits/actions";
import { blankVisitLine, type VisitFormInput, type VisitLineInput, visitFieldErrors, visitFormSchema } from "@/lib/schemas/visit";

interface Choice {
  id: number;
  label: string;
}

type Line = VisitLineInput & { key: string };

/** The inputs of a line, in order; errors show under each. */
const LINE_FIELDS: {
  name: Exclude<keyof VisitLineInput, "id">;
  label: string;
  ariaLabel: string;
  width: string;
  inputMode?: "numeric" | "decimal";
  placeholder?: string;
}[] = [
  { name: "cpt", label: "Code", ariaLabel: "code", width: "w-32" },
  { name: "minutes", label: "Minutes", ariaLabel: "minutes", width: "w-28", inputMode: "numeric" },
  { name: "modifiers", label: "Modifiers", ariaLabel: "modifiers", width: "w-36", placeholder: "GP;KX" },
  { name: "unitsBilled", label: "Units", ariaLabel: "units billed", width: "w-24", inputMode: "numeric" },
  { name: "charge", label: "Charge ($)", ariaLabel: "charge", width: "w-32", inputMode: "decimal" },
  { name: "note", label: "Note", ariaLabel: "note", width: "min-w-48 flex-1" },
];

let keySeq = 0;
const withKey = (line: VisitLineInput): Line => ({ ...line, key: `line-${++keySeq}` });

export function VisitForm({
  visit,
  initial,
  therapists,
  payers,
}: {
  /** the visit being edited (id and the version the page was loaded with); absent for a new visit */
  visit?: { id: number; version: number };
  initial: VisitFormInput;
  therapists: Choice[];
  payers: Choice[];
}) {
  const router = useRouter();
  const formId = useId();
  const [fields, setFields] = useState<Omit<VisitFormInput, "lines">>(() => {
    const { lines: _, ...rest } = initial;
    return rest;
  });
  const [lines, setLines] = useState<Line[]>(() => initial.lines.map(withKey));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState("");
  const [pending, startTransition] = useTransition();

  const idOf = (name: string) => `${formId}-${name}`;
  const ariaFor = (name: string) => (errors[name] ? { "aria-invalid": true, "aria-describedby": `${idOf(name)}-error` } : {});
  const errorText = (name: string) => <FieldMessages key={name} id={`${idOf(name)}-error`} messages={errors[name]} />;

  const setField = (name: keyof typeof fields, value: string) => setFields((f) => ({ ...f, [name]: value }));
  const setLine = (index: number, name: keyof VisitLineInput, value: string) =>
    setLines((ls) => ls.map((l, i) => (i === index ? { ...l, [name]: value } : l)));
  const moveLine = (index: number, by: -1 | 1) =>
    setLines((ls) => {
      const to = index + by;
      if (to < 0 || to >= ls.length) return ls;
      const next = [...ls];
      [next[index], next[to]] = [next[to]!, next[index]!];
      return next;
    });
  // errors are keyed by line position: after adding, removing or moving lines they no longer fit
  const clearLineErrors = () => setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith("lines."))));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setFormError("");
    const input: VisitFormInput = { ...fields, lines: lines.map(({ key: _, ...line }) => line) };
    const parsed = visitFormSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(visitFieldErrors(parsed.error));
      setFormError("Some fields need attention.");
      return;
    }
    setErrors({});
    startTransition(async () => {
      const result = visit
        ? await updateVisitAction({ id: visit.id, version: visit.version, visit: input })
        : await createVisitAction(input);
      if (result.ok) {
        router.replace(`/visits/${result.data.id}?saved=${result.data.version}`);
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.status === 409 ? result.error : result.error.endsWith(".") ? result.error : `${result.error}.`);
    });
  };

  const defaultDiscipline = () => {
    const first = lines.find((l) => l.modifiers.trim() !== "");
    return first ? (first.modifiers.split(/[;,\s]+/).find((m) => ["GP", "GO", "GN"].includes(m.toUpperCase())) ?? "") : "";
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label={visit ? "Edit visit" : "New visit"}>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <label className="label" htmlFor={idOf("patient")}>
            Patient ID
          </label>
          <input
            className="input w-full"
            id={idOf("patient")}
            value={fields.patient}
            onChange={(e) => setField("patient", e.target.value)}
            {...ariaFor("patient")}
          />
          {errorText("patient")}
        </div>
        <div>
          <label className="label" htmlFor={idOf("visitId")}>
            Visit ID
          </label>
          <input
            className="input w-full"
            id={idOf("visitId")}
            value={fields.visitId}
            placeholder={visit ? "" : "assigned when empty"}
            onChange={(e) => setField("visitId", e.target.value)}
            {...ariaFor("visitId")}
          />
          {errorText("visitId")}
        </div>
        <div>
          <label className="label" htmlFor={idOf("dateOfService")}>
            Date of service
          </label>
          <input
            className="input w-full"
            id={idOf("dateOfService")}
            type="date"
            value={fields.dateOfService}
            onChange={(e) => setField("dateOfService", e.target.value)}
            {...ariaFor("dateOfService")}
          />
          {errorText("dateOfService")}
        </div>
        <div>
          <label className="label" htmlFor={idOf("placeOfService")}>
            Place of service
          </label>
          <input
            className="input w-full"
            id={idOf("placeOfService")}
            inputMode="numeric"
            value={fields.placeOfService}
            onChange={(e) => setField("placeOfService", e.target.value)}
            {...ariaFor("placeOfService")}
          />
          {errorText("placeOfService")}
        </div>
        <div>
          <label className="label" htmlFor={idOf("therapistId")}>
            Therapist
          </label>
          <select
            className="input w-full"
            id={idOf("therapistId")}
            value={fields.therapistId}
            onChange={(e) => setField("therapistId", e.target.value)}
            {...ariaFor("therapistId")}
          >
            <option value="">Choose…</option>
            {therapists.map((t) => (
              <option key={t.id} value={String(t.id)}>
                {t.label}
              </option>
            ))}
          </select>
          {errorText("therapistId")}
        </div>
        <div>
          <label className="label" htmlFor={idOf("payerId")}>
            Payer
          </label>
          <select
            className="input w-full"
            id={idOf("payerId")}
            value={fields.payerId}
            onChange={(e) => setField("payerId", e.target.value)}
            {...ariaFor("payerId")}
          >
            <option value="">Choose…</option>
            {payers.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.label}
              </option>
            ))}
          </select>
          {errorText("payerId")}
        </div>
        <div>
          <label className="label" htmlFor={idOf("claimId")}>
            Claim ID
          </label>
          <input
            className="input w-full"
            id={idOf("claimId")}
            value={fields.claimId}
            onChange={(e) => setField("claimId", e.target.value)}
            {...ariaFor("claimId")}
          />
          {errorText("claimId")}
        </div>
      </div>

      <fieldset className="space-y-2">
        <legend className="label mb-1">Lines</legend>
        {lines.map((line, lineIndex) => {
          const lineNumber = lineIndex + 1;
          const name = (f: keyof VisitLineInput) => `lines.${lineIndex}.${f}`;
          return (
            <div key={line.key} className="rounded-md border border-slate-200 p-2" data-testid={`visit-line-${lineNumber}`}>
              <div className="flex flex-wrap items-start gap-2">
                <span className="mt-6 w-6 text-sm text-slate-500">{lineNumber}</span>
                {LINE_FIELDS.map((f) => (
                  <div key={f.name} className={f.width}>
                    <label className="label" htmlFor={idOf(name(f.name))}>
                      {f.label}
                    </label>
                    {f.name === "note" ? (
                      <textarea
                        className="input w-full"
                        rows={1}
                        id={idOf(name(f.name))}
                        aria-label={`Line ${lineNumber} ${f.ariaLabel}`}
                        value={line[f.name]}
                        onChange={(e) => setLine(lineIndex, f.name, e.target.value)}
                        {...ariaFor(name(f.name))}
                      />
                    ) : (
                      <input
                        className="input w-full"
                        id={idOf(name(f.name))}
                        aria-label={`Line ${lineNumber} ${f.ariaLabel}`}
                        inputMode={f.inputMode}
                        placeholder={f.placeholder}
                        value={line[f.name]}
                        onChange={(e) => setLine(lineIndex, f.name, e.target.value)}
                        {...ariaFor(name(f.name))}
                      />
                    )}
                    {errorText(name(f.name))}
                  </div>
                ))}
                <div className="mt-5 flex gap-1">
                  <button
                    type="button"
                    className="btn-secondary"
                    aria-label={`Move line ${lineNumber} up`}
                    disabled={lineIndex === 0}
                    onClick={() => {
                      moveLine(lineIndex, -1);
                      clearLineErrors();
                    }}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn-secondary"
                    aria-label={`Move line ${lineNumber} down`}
                    disabled={lineIndex === lines.length - 1}
                    onClick={() => {
                      moveLine(lineIndex, 1);
                      clearLineErrors();
                    }}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="btn-secondary"
                    aria-label={`Remove line ${lineNumber}`}
                    disabled={lines.length === 1}
                    onClick={() => {
                      setLines((ls) => ls.filter((_, j) => j !== lineIndex));
                      clearLineErrors();
                    }}
                  >
                    Remove
                  </button>
                </div>
              </div>
              {errorText(`lines.${lineIndex}`)}
            </div>
          );
        })}
        {errorText("lines")}
        <button
          type="button"
          className="btn-secondary"
          onClick={() => {
            setLines((ls) => [...ls, withKey(blankVisitLine(defaultDiscipline()))]);
            clearLineErrors();
          }}
        >
          Add line
        </button>
      </fieldset>

      {formError ? (
        <p role="alert" className="field-error">
          {formError}
        </p>
      ) : null}
      <button type="submit" className="btn" disabled={pending}>
        {pending ? "Saving…" : visit ? "Save visit" : "Create visit"}
      </button>
    </form>
  );
}
