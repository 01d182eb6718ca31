"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useTransition } from "react";

// The usual cause of an error here is a database restart: the page tries again by itself a
// few times, further apart each time (2, 4, 8, 16, 32 s), and the button tries at once. A retry
// asks the server for the page again (router.refresh) before re-rendering it (reset): reset
// alone would only re-render what already failed. The count survives the boundary's remounts.
const retries = { count: 0, since: 0 };
const MAX_AUTOMATIC = 5;

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const retry = useCallback(() => {
    startTransition(() => {
      router.refresh();
      reset();
    });
  }, [router, reset]);

  useEffect(() => {
    if (Date.now() - retries.since > 120_000) Object.assign(retries, { count: 0, since: Date.now() });
    if (retries.count >= MAX_AUTOMATIC) return;
    const timer = setTimeout(
      () => {
        retries.count += 1;
        retry();
      },
      2_000 * 2 ** retries.count,
    );
    return () => clearTimeout(timer);
  }, [retry]);

  return (
    <main className="mx-auto mt-24 max-w-md card" role="alert">
      <h1 className="text-lg font-semibold">This page could not load just now</h1>
      <p className="mt-2 text-sm text-slate-600">
        The database may be restarting, or the page asked for more than can be shown at once (narrow its dates or filters). Nothing you
        saved is lost. Try again in a few seconds.
      </p>
      <button type="button" className="btn mt-4" disabled={pending} onClick={retry}>
        {pending ? "Trying again…" : "Try again"}
      </button>
    </main>
  );
}
