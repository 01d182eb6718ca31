import { pageContext } from "@/lib/server/guard";

export const metadata = { title: "Undercoding · Therapy Revenue" };

export default async function Page() {
  await pageContext("undercoding.read");
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">Undercoding</h1>
      <p className="text-slate-600">97530 vs 97110 candidates: this page is being built.</p>
    </div>
  );
}
