"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="mx-auto mt-24 max-w-md card" role="alert">
      <h1 className="text-lg font-semibold">This page could not load just now</h1>
      <p className="mt-2 text-sm text-slate-600">The database may be restarting. Nothing you saved is lost. Try again in a few seconds.</p>
      <button type="button" className="btn mt-4" onClick={() => reset()}>
        Try again
      </button>
    </main>
  );
}
