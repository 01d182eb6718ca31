// npm run bench -- html [--url http://127.0.0.1:3000] [--json]
// The HTML each list page sends, signed in as the role that works it, at the widest period a
// user can choose (two years up to today: MAX_RANGE_DAYS) and on page 2 where there is one,
// against the 150 KB target of docs/performance.md ("List pages").
import { MAX_RANGE_DAYS } from "@/lib/schemas/search-params";
import { signIn } from "./http";

const PASSWORD = "demo-password-2026";
const TOTP = process.env.DEMO_TOTP_KEY ?? "DEMODEMODEMODEMODEMODEMODEMODEMO";
export const HTML_LIMIT_BYTES = 150 * 1024;

/** The widest from–to a list accepts: MAX_RANGE_DAYS days up to today. */
export function widestRange(today = new Date()): { from: string; to: string } {
  const to = today.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - MAX_RANGE_DAYS * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/** Every list page with the query that makes it longest, by the role that works it. */
export function listPages(): { role: string; path: string }[] {
  const { from, to } = widestRange();
  const range = `from=${from}&to=${to}`;
  return [
    { role: "biller", path: "/kx" },
    { role: "biller", path: "/kx?status=resolved" },
    { role: "biller", path: "/kx?view=rebill" },
    { role: "biller", path: "/claims-to-fix" },
    { role: "biller", path: `/claims-to-fix?${range}` },
    { role: "biller", path: "/patients" },
    { role: "biller", path: "/patients?page=2" },
    { role: "manager", path: "/remits" },
    { role: "manager", path: "/remits?page=2" },
    { role: "manager", path: "/remits/unmatched" },
    { role: "manager", path: `/denials?${range}` },
    { role: "manager", path: `/denials?${range}&cause=modifier` },
    { role: "manager", path: `/underpayments?${range}&status=all` },
    { role: "manager", path: "/contracts" },
    { role: "owner", path: "/undercoding?weeks=52" },
    { role: "owner", path: "/revenue/lines?metric=charges&weeks=13" },
    { role: "admin", path: "/imports" },
    { role: "admin", path: "/admin" },
    { role: "admin", path: "/admin/ncci" },
    { role: "admin", path: "/admin/reference" },
  ];
}

export async function main(argv: string[]) {
  const at = argv.indexOf("--url");
  const base = at >= 0 ? argv[at + 1]! : `http://127.0.0.1:${process.env.E2E_PORT ?? 3000}`;
  const cookies = new Map<string, string>();
  const rows: { path: string; role: string; status: number; bytes: number; met: boolean }[] = [];
  for (const { role, path } of listPages()) {
    if (!cookies.has(role)) {
      const totp = role === "manager" || role === "admin" ? TOTP : undefined;
      cookies.set(role, await signIn(base, `${role}@demo.test`, PASSWORD, totp));
    }
    const res = await fetch(`${base}${path}`, { headers: { cookie: cookies.get(role)! }, redirect: "manual" });
    const bytes = Buffer.byteLength(await res.text());
    rows.push({ path, role, status: res.status, bytes, met: res.status === 200 && bytes <= HTML_LIMIT_BYTES });
  }
  if (argv.includes("--json")) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  for (const r of rows)
    process.stdout.write(
      `${r.path.padEnd(60)} ${r.role.padEnd(8)} ${String(r.status).padEnd(4)} ${(r.bytes / 1024).toFixed(1).padStart(7)} KB  ${r.met ? "met" : "MISSED"}\n`,
    );
  process.stdout.write(`target: every list page ≤ ${HTML_LIMIT_BYTES / 1024} KB of HTML: ${rows.every((r) => r.met) ? "met" : "missed"}\n`);
}
