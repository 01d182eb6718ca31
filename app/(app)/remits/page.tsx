import { pageContext } from "@/lib/server/guard";

export const metadata = { title: "Remits · Therapy Revenue" };

export default async function Page() {
  await pageContext("remits.read");
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">Remits</h1>
      <p className="text-slate-600">Imported 835 remits and paper EOBs: this page is being built.</p>
    </div>
  );
}
