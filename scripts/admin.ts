// npm run admin -- create-practice --slug S --name N --medicare-locality ST-NN --time-zone ZONE
// npm run admin -- create-user --practice S --email E --role OWNER|BILLER|MANAGER|ADMIN [--name N]  (password on stdin)
// npm run admin -- recheck-claims --practice S   (stores every visit's claim checks afresh)
import { createPracticeSchema, createUserSchema } from "@/lib/schemas/admin";
import { recheckAllClaims } from "@/lib/server/claims/checks";
import { createPractice, practiceBySlugOrOnly } from "@/lib/server/practices";
import { createUser } from "@/lib/server/users";
import { withPracticeScope } from "@/lib/server/core/scope";
import { parseArgs, str, UsageError } from "./lib/args";
import { runCli } from "./lib/cli";

const USAGE = `usage:
  npm run admin -- create-practice --slug <slug> --name <name> --medicare-locality <ST-NN> --time-zone <IANA zone>
  npm run admin -- create-user --practice <slug> --email <email> --role OWNER|BILLER|MANAGER|ADMIN [--name <name>]   (password read from stdin)
  npm run admin -- recheck-claims --practice <slug>   (checks every visit's claim again and stores the results)`;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("password: ");
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "create-practice") {
    const { values } = parseArgs(rest, {
      slug: "string",
      name: "string",
      "medicare-locality": "string",
      "time-zone": "string",
      "alert-level": "string",
    });
    const parsed = createPracticeSchema.safeParse({
      slug: str(values, "slug"),
      name: str(values, "name"),
      medicareLocality: str(values, "medicare-locality"),
      timeZone: str(values, "time-zone") ?? "America/New_York",
      alertLevelDollars: str(values, "alert-level"),
    });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join("\n"));
    const p = await createPractice(parsed.data);
    process.stdout.write(
      `${JSON.stringify({ status: "created", practice: { id: p.id, slug: p.slug, name: p.name, medicareLocality: p.medicareLocality, timeZone: p.timeZone } })}\n`,
    );
    return 0;
  }
  if (command === "create-user") {
    const { values } = parseArgs(rest, { practice: "string", email: "string", role: "string", name: "string" });
    const practice = await practiceBySlugOrOnly(str(values, "practice"));
    const password = await readStdin();
    const parsed = createUserSchema.safeParse({
      email: str(values, "email"),
      role: str(values, "role")?.toUpperCase(),
      name: str(values, "name"),
      password,
    });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("\n"));
    const u = await withPracticeScope(practice.id, () => createUser(practice.id, parsed.data));
    process.stdout.write(
      `${JSON.stringify({ status: "created", user: { id: u.id, email: u.email, role: parsed.data.role, practice: practice.slug } })}\n`,
    );
    return 0;
  }
  if (command === "recheck-claims") {
    const { values } = parseArgs(rest, { practice: "string" });
    const practice = await practiceBySlugOrOnly(str(values, "practice"));
    const checked = await withPracticeScope(practice.id, () => recheckAllClaims(practice.id));
    process.stdout.write(`${JSON.stringify({ status: "checked", practice: practice.slug, visits: checked })}\n`);
    return 0;
  }
  throw new UsageError(command ? `unknown command "${command}"` : "no command given");
}

runCli(main, USAGE, { productErrorExit: 1 });
