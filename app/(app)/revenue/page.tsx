import { pageContext } from "@/lib/server/guard";

export const metadata = { title: "Revenue · Therapy Revenue" };

export default async function Page() {
  await pageContext("revenue.read");
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">Revenue</h1>
      <p className="text-slate-600">The weekly revenue review: this page is being built.</p>
    </div>
  );
}
