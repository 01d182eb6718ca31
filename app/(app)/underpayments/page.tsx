import { pageContext } from "@/lib/server/guard";

export const metadata = { title: "Underpayments · Therapy Revenue" };

export default async function Page() {
  await pageContext("underpayments.read");
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">Underpayments</h1>
      <p className="text-slate-600">Lines paid below contract: this page is being built.</p>
    </div>
  );
}
