"use client";
// Prints the weekly review (the print stylesheet lays it out for the weekly meeting).
export function RevenuePrintButton() {
  return (
    <button type="button" className="btn-secondary no-print" onClick={() => window.print()}>
      Print
    </button>
  );
}
