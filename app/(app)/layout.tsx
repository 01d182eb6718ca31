import { MainNav, type NavItem } from "@/components/main-nav";
import { ScrollRegions } from "@/components/scroll-regions";
import { signedInContext } from "@/lib/server/core/guard";
import { urgentKxCount } from "@/lib/server/kx/urgent-count";
import { navFor } from "@/lib/server/core/navigation";
import { roleInWords } from "@/lib/ui/words";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const ctx = await signedInContext();
  const nav = navFor(ctx.role);
  const urgent = nav.some((i) => i.href === "/kx") ? await urgentKxCount(ctx.practiceId, ctx.practice.timeZone) : 0;
  const items: NavItem[] = nav.map((i) => ({
    href: i.href,
    label: i.label,
    badge: i.href === "/kx" ? { count: urgent, title: "urgent KX items" } : undefined,
  }));
  return (
    <div className="min-h-screen">
      <MainNav
        items={items}
        practiceName={ctx.practice.name}
        userName={ctx.userName}
        roleName={roleInWords(ctx.role)}
        notice={ctx.secondFactor.enrolled ? undefined : { href: "/second-factor/enrol", label: "Set up a second factor" }}
      />
      <main className="mx-auto max-w-screen-2xl px-3 py-6 sm:px-4">{children}</main>
      <ScrollRegions />
    </div>
  );
}
