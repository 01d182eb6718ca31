import Link from "@/components/link";

export default function NotFound() {
  return (
    <main className="mx-auto mt-24 max-w-md card">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is nothing at this address in your practice.</p>
      <Link href="/" className="mt-4 inline-block">
        Back to your start page
      </Link>
    </main>
  );
}
