// A small bar of a pool's running total against the practice's alert level, the KX
// threshold and the review threshold, with a mark at each level. Pure markup: usable in
// server and client components alike. One element (the fill and the marks are drawn by the
// stylesheet, .kx-gauge in app/globals.css): the KX queue draws one per row.
import type { CSSProperties } from "react";
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
  const band = totalCents > reviewCents ? "review" : totalCents > kxCents ? "kx" : totalCents > alertCents ? "alert" : "below";
  const label =
    `${estimated ? "Estimated" : "Confirmed"} total ${usd(totalCents)}: ` +
    `alert level ${usdLevel(alertCents)}, KX threshold ${usdLevel(kxCents)}, review threshold ${usdLevel(reviewCents)}`;
  const style = {
    width,
    "--total": pct(totalCents),
    "--alert": pct(alertCents),
    "--kx": pct(kxCents),
    "--review": pct(reviewCents),
  } as CSSProperties;
  return (
    // the label once, as the title: it names the image for screen readers (an image's title is
    // its accessible name when it has no other) and shows on hover; the KX queue draws 50
    <div role="img" title={label} className="kx-gauge" data-band={band} data-estimated={estimated ? "" : undefined} style={style} />
  );
}
