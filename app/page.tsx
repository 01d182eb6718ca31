import { redirect } from "next/navigation";
import { signedInContext } from "@/lib/server/guard";
import { LANDING } from "@/lib/server/permissions";

export default async function Home() {
  const ctx = await signedInContext();
  redirect(LANDING[ctx.role]);
}
