import Link from "@/components/link";

export default function Forbidden() {
  return (
    <main className="mx-auto mt-24 max-w-md card">
      <h1 className="text-lg font-semibold">You do not have access to this page</h1>
      <p className="mt-2 text-sm text-slate-600">Your role does not include it. Ask your practice administrator if you need it.</p>
      <Link href="/" className="mt-4 inline-block">
        Back to your start page
      </Link>
    </main>
  );
}
