import { redirect } from "next/navigation";
import { MainNav, type NavItem } from "@/components/main-nav";
import { ScrollRegions } from "@/components/scroll-regions";
import { currentContext } from "@/lib/server/context";
import { signInWithReturn } from "@/lib/server/guard";
import { urgentKxCount } from "@/lib/server/kx/urgent-count";
import { navFor } from "@/lib/server/navigation";
import { roleInWords } from "@/lib/ui/words";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const ctx = await currentContext();
  if (!ctx) redirect(await signInWithReturn());
  const nav = navFor(ctx.role);
  const urgent = nav.some((i) => i.href === "/kx") ? await urgentKxCount(ctx.practiceId) : 0;
  const items: NavItem[] = nav.map((i) => ({
    href: i.href,
    label: i.label,
    badge: i.href === "/kx" ? { count: urgent, title: "urgent KX items" } : undefined,
  }));
  return (
    <div className="min-h-screen">
      <MainNav items={items} practiceName={ctx.practice.name} userName={ctx.userName} roleName={roleInWords(ctx.role)} />
      <main className="mx-auto max-w-screen-2xl px-3 py-6 sm:px-4">{children}</main>
      <ScrollRegions />
    </div>
  );
}
