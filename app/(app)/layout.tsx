import Link from "next/link";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/sign-out-button";
import { currentContext } from "@/lib/server/context";
import { signInWithReturn } from "@/lib/server/guard";
import { navFor } from "@/lib/server/navigation";
import { urgentKxCount } from "@/lib/server/kx/urgent-count";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const ctx = await currentContext();
  if (!ctx) redirect(await signInWithReturn());
  const items = navFor(ctx.role);
  const urgent = items.some((i) => i.href === "/kx") ? await urgentKxCount(ctx.practiceId) : 0;
  return (
    <div className="min-h-screen">
      <nav aria-label="Main" className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-2">
          <Link href="/" className="font-semibold text-brand-900 no-underline">
            Therapy Revenue
          </Link>
          <ul className="flex flex-wrap gap-3 text-sm">
            {items.map((item) => (
              <li key={item.href}>
                <Link href={item.href} className="text-slate-700">
                  {item.label}
                  {item.href === "/kx" && urgent > 0 ? (
                    <span className="badge ml-1 bg-red-600 text-white" title="urgent KX items">
                      {urgent}
                    </span>
                  ) : null}
                </Link>
              </li>
            ))}
          </ul>
          <div className="ml-auto flex items-center gap-3 text-sm text-slate-600">
            <span>
              {ctx.practice.name} · {ctx.userName} ({ctx.role.toLowerCase()})
            </span>
            <SignOutButton />
          </div>
        </div>
      </nav>
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
