// A small bar of a pool's running total against the practice's alert level, the KX
// threshold and the review threshold, with a mark at each level. Pure markup: usable in
// server and client components alike.
import { usd, usdLevel } from "@/lib/ui/money";

export interface KxGaugeProps {
  totalCents: number;
  alertCents: number;
  kxCents: number;
  reviewCents: number;
  estimated?: boolean;
  width?: number;
}

export function KxGauge({ totalCents, alertCents, kxCents, reviewCents, estimated, width = 140 }: KxGaugeProps) {
  const max = Math.max(reviewCents * 1.15, totalCents);
  const pct = (cents: number) => `${Math.min(100, (cents / max) * 100).toFixed(2)}%`;
  const fill =
    totalCents > reviewCents
      ? "bg-purple-600"
      : totalCents > kxCents
        ? "bg-red-600"
        : totalCents > alertCents
          ? "bg-amber-500"
          : "bg-brand-600";
  const label =
    `${estimated ? "Estimated" : "Confirmed"} total ${usd(totalCents)}: ` +
    `alert level ${usdLevel(alertCents)}, KX threshold ${usdLevel(kxCents)}, review threshold ${usdLevel(reviewCents)}`;
  return (
    <div role="img" aria-label={label} title={label} className="relative h-3 rounded-sm bg-slate-200" style={{ width }}>
      <div className={`absolute inset-y-0 left-0 rounded-sm ${fill} ${estimated ? "opacity-70" : ""}`} style={{ width: pct(totalCents) }} />
      {[
        { name: "alert", cents: alertCents, cls: "bg-amber-700" },
        { name: "kx", cents: kxCents, cls: "bg-red-800" },
        { name: "review", cents: reviewCents, cls: "bg-purple-900" },
      ].map((m) => (
        <div key={m.name} aria-hidden="true" className={`absolute -inset-y-0.5 w-0.5 ${m.cls}`} style={{ left: pct(m.cents) }} />
      ))}
    </div>
  );
}
