"use client";
// The practice's KX alert level, with a word under it when the level is one a biller would not
// mean (at or above the year's KX threshold, or under half of it).
import { useState } from "react";
import { alertLevelWarning } from "@/lib/schemas/warnings";
import { FieldError } from "./forms";

export function AlertLevelField({ defaultDollars, year }: { defaultDollars: string; year: number }) {
  const [value, setValue] = useState(defaultDollars);
  const warning = alertLevelWarning(value, year);
  return (
    <div>
      <label className="label" htmlFor="s-alert">
        KX alert level (dollars)
      </label>
      <input
        id="s-alert"
        name="alertLevelDollars"
        inputMode="decimal"
        className="input w-full"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-describedby={warning ? "s-alert-warning" : undefined}
      />
      <FieldError name="alertLevelDollars" />
      {warning ? (
        <p id="s-alert-warning" className="text-sm text-amber-800" role="status">
          {warning}
        </p>
      ) : null}
    </div>
  );
}
