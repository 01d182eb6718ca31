"use client";
// The signed-in navigation: one row on a laptop; on a phone a "Menu" button that opens the same
// links as a list. The current page is marked for screen readers and by its style. Links are not
// prefetched: a user opens one page of the menu, not all of them.
import Link from "@/components/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { SignOutButton } from "./sign-out-button";

export interface NavItem {
  href: string;
  label: string;
  badge?: { count: number; title: string };
}

function isCurrent(pathname: string, href: string, all: readonly NavItem[]): boolean {
  if (pathname === href) return true;
  if (!pathname.startsWith(`${href}/`)) return false;
  // "/admin/reference" is its own item: "/admin" is not current there
  return !all.some((other) => other.href !== href && other.href.startsWith(`${href}/`) && pathname.startsWith(other.href));
}

function Links({ items, pathname, className }: { items: readonly NavItem[]; pathname: string; className: string }) {
  return (
    <ul className={className}>
      {items.map((item) => {
        const current = isCurrent(pathname, item.href, items);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              prefetch={false}
              aria-current={current ? "page" : undefined}
              className={`nav-link ${current ? "nav-link-current" : ""}`}
            >
              {item.label}
              {item.badge && item.badge.count > 0 ? (
                <span className="badge ml-1 bg-red-700 text-white" title={item.badge.title}>
                  {item.badge.count}
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export function MainNav({
  items,
  practiceName,
  userName,
  roleName,
  notice,
}: {
  items: readonly NavItem[];
  practiceName: string;
  userName: string;
  roleName: string;
  /** a step the user still owes (setting up a second factor), shown beside their name */
  notice?: { href: string; label: string };
}) {
  const pathname = usePathname() ?? "/";
  const menu = useRef<HTMLDetailsElement>(null);
  // a phone's menu closes once the user has gone to another page
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation on purpose
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname]);
  return (
    <nav aria-label="Main" className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-screen-2xl items-center gap-3 px-3 py-2">
        <Link href="/" prefetch={false} className="shrink-0 font-semibold text-brand-900 no-underline">
          Therapy Revenue
        </Link>
        <Links items={items} pathname={pathname} className="hidden min-w-0 flex-1 items-center gap-x-1 text-sm xl:flex" />
        <div className="ml-auto hidden shrink-0 items-center gap-2 text-sm text-slate-600 xl:flex">
          <span title={practiceName}>
            {userName} · {roleName}
          </span>
          {notice ? <Link href={notice.href}>{notice.label}</Link> : null}
          <SignOutButton />
        </div>
        <details ref={menu} className="nav-menu ml-auto xl:hidden">
          <summary className="btn-secondary cursor-pointer list-none">Menu</summary>
          <div className="nav-menu-panel">
            <p className="px-2 pb-2 text-sm text-slate-600">
              {userName} · {roleName}
              <br />
              {practiceName}
            </p>
            <Links items={items} pathname={pathname} className="flex flex-col text-base" />
            {notice ? (
              <p className="px-2 pt-2 text-sm">
                <Link href={notice.href}>{notice.label}</Link>
              </p>
            ) : null}
            <div className="px-2 pt-2">
              <SignOutButton />
            </div>
          </div>
        </details>
      </div>
    </nav>
  );
}
