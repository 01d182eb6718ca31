"use client";
// A "Print" button for a printable page (its print stylesheet lays the page out on paper).
export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <button type="button" className="btn no-print" onClick={() => window.print()}>
      {label}
    </button>
  );
}
