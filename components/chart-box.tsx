"use client";
// The box a chart draws in: its height is fixed from the server's HTML on (the page does not
// jump), and the chart is drawn in the browser only. recharts 3 draws its SVG only once mounted
// anyway (the server's HTML held seven empty wrappers), but rendering it on the server still ran
// its store and its components for every chart of every request. The figures of each chart are
// in its "The numbers" table, which the server renders.
import { type ReactNode, useSyncExternalStore } from "react";

const never = () => () => {};

/** false in the server's render and while hydrating, true once in the browser */
export function useInBrowser(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}

export function ChartBox({ height, children }: { height: number; children: ReactNode }) {
  const inBrowser = useInBrowser();
  return (
    <div className="chart-box" style={{ width: "100%", height }}>
      {inBrowser ? children : null}
    </div>
  );
}
