import { pageContext } from "@/lib/server/guard";

export const metadata = { title: "Contracts · Therapy Revenue" };

export default async function Page() {
  await pageContext("contracts.read");
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">Contracts</h1>
      <p className="text-slate-600">Payer contracts: this page is being built.</p>
    </div>
  );
}
