// For integration tests: call a page (a server component) as a user, the way Next does on a
// request, and read the HTTP status it answers: 200 when it renders, else the status of
// Next's forbidden() / notFound() / redirect() signal. The page's data loading, guard and
// audit run for real; nothing is rendered to HTML.
import { runAsUser } from "./core/context";

// next.config.js enables forbidden() (experimental.authInterrupts); `next build` passes it on
// to the server as this variable, which a test process must set itself
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS ??= "true";

type SearchParams = Record<string, string | string[] | undefined>;
export type PageComponent = (props: { params: Promise<Record<string, string>>; searchParams: Promise<SearchParams> }) => Promise<unknown>;

export interface PageAnswer {
  status: number;
  /** the element tree the page returned (when it rendered) */
  element?: unknown;
}

export async function callPage(
  userId: number,
  page: PageComponent,
  searchParams: SearchParams = {},
  params: Record<string, string> = {},
): Promise<PageAnswer> {
  try {
    const element = await runAsUser(userId, () => page({ params: Promise.resolve(params), searchParams: Promise.resolve(searchParams) }));
    return { status: 200, element };
  } catch (error) {
    const digest = String((error as { digest?: unknown }).digest ?? "");
    const fallback = /^NEXT_HTTP_ERROR_FALLBACK;(\d+)$/.exec(digest);
    if (fallback) return { status: Number(fallback[1]) };
    if (digest.startsWith("NEXT_REDIRECT")) return { status: 307 };
    throw error;
  }
}

/** The text of an element tree (strings and numbers of the page's own markup, in order). */
export function textOf(node: unknown): string {
  if (node == null || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (typeof node === "object" && "props" in node) return textOf((node as { props: { children?: unknown } }).props.children);
  return "";
}
