import { redirect } from "next/navigation";
import { currentContext } from "@/lib/server/context";
import { LANDING } from "@/lib/server/permissions";

export default async function Home() {
  const ctx = await currentContext();
  redirect(ctx ? LANDING[ctx.role] : "/signin");
}
