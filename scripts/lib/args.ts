// A small, strict argument reader for the command-line tools: unknown flags are usage errors.
export class UsageError extends Error {}

export function parseArgs(argv: string[], flags: Record<string, "string" | "boolean">) {
  const positional: string[] = [];
  const values: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--")) {
      const name = a.slice(2);
      const kind = flags[name];
      if (!kind) throw new UsageError(`unknown option --${name}`);
      if (kind === "boolean") values[name] = true;
      else {
        const v = argv[++i];
        if (v === undefined || v.startsWith("--")) throw new UsageError(`--${name} needs a value`);
        values[name] = v;
      }
    } else positional.push(a);
  }
  return { positional, values };
}

export function str(values: Record<string, string | boolean>, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}
