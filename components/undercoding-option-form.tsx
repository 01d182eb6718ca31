// The practice's undercoding option (owners and admins): set ambiguous notes apart as possible loss.
// Shown on the settings page and on the undercoding page; one guarded, audited action behind both.
import { setUndercodingOptionAction } from "@/app/(app)/undercoding/actions";
import { ActionForm, FieldError } from "./forms";

export function UndercodingOptionForm({ on, idPrefix = "uc" }: { on: boolean; idPrefix?: string }) {
  return (
    <ActionForm action={setUndercodingOptionAction} submitLabel="Save undercoding option" className="max-w-xl space-y-2">
      <label className="label" htmlFor={`${idPrefix}-ambiguous`}>
        Ambiguous notes
      </label>
      <select id={`${idPrefix}-ambiguous`} name="reviewAmbiguousNotes" className="input w-full" defaultValue={on ? "on" : "off"}>
        <option value="off">Counted as the reader decides</option>
        <option value="on">Shown apart as possible loss, not counted</option>
      </select>
      <FieldError name="reviewAmbiguousNotes" />
      <p className="text-sm text-slate-600">
        With this on, a note that reads both ways (functional work only attempted, or as much exercise as functional work) is listed under
        &ldquo;Possible&rdquo; and summed as possible loss, never in the loss figure. Changing it recomputes every visit.
      </p>
    </ActionForm>
  );
}
