import { redirect } from "next/navigation";
import { signedInContext } from "@/lib/server/core/guard";
import { LANDING } from "@/lib/server/core/permissions";

export default async function Home() {
  const ctx = await signedInContext();
  redirect(LANDING[ctx.role]);
}
