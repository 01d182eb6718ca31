import { pageContext } from "@/lib/server/guard";

export const metadata = { title: "Denials · Therapy Revenue" };

export default async function Page() {
  await pageContext("remits.read");
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">Denials</h1>
      <p className="text-slate-600">Denials by root cause: this page is being built.</p>
    </div>
  );
}
