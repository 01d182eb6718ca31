"use client";
// A table or box that scrolls (sideways on a small screen, or a long list in a box of fixed
// height) must be reachable with the keyboard (WCAG 2.1.1): once a page has drawn, each such region
// that really overflows gets a tab stop and a name; one that fits gets neither. Runs after every
// navigation and when the window resizes. After the second pass (500 ms after the page drew) it
// sets data-regions-marked on <html>: the page's final state, which e2e/pages.spec.ts waits for
// before it checks a page (instead of waiting for the network to fall quiet).
import { usePathname } from "next/navigation";
import { useEffect } from "react";

const SELECTOR = "table.data, .overflow-x-auto, .overflow-y-auto, .overflow-auto";
const SCROLLS = new Set(["auto", "scroll"]);

function mark() {
  for (const el of document.querySelectorAll<HTMLElement>(SELECTOR)) {
    const style = getComputedStyle(el);
    const overflows =
      (SCROLLS.has(style.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
      (SCROLLS.has(style.overflowY) && el.scrollHeight > el.clientHeight + 1);
    if (overflows && !el.hasAttribute("tabindex")) {
      el.tabIndex = 0;
      el.dataset.scrollRegion = "";
      if (!el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) {
        const caption = el.querySelector("caption")?.textContent?.trim();
        el.setAttribute("aria-label", caption || "Table (scrolls)");
      }
    } else if (!overflows && el.dataset.scrollRegion !== undefined) {
      el.removeAttribute("tabindex");
      if (el.getAttribute("aria-label") === "Table (scrolls)") el.removeAttribute("aria-label");
      delete el.dataset.scrollRegion;
    }
  }
}

export function ScrollRegions() {
  const pathname = usePathname();
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again on each navigation on purpose
  useEffect(() => {
    mark();
    delete document.documentElement.dataset.regionsMarked;
    const again = window.setTimeout(() => {
      mark();
      document.documentElement.dataset.regionsMarked = "";
    }, 500);
    window.addEventListener("resize", mark);
    return () => {
      window.clearTimeout(again);
      window.removeEventListener("resize", mark);
    };
  }, [pathname]);
  return null;
}
