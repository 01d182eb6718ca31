"use server";
import { headers } from "next/headers";
import { acceptInvitationSchema } from "@/lib/schemas/admin";
import { addressFromHeaders } from "@/lib/server/core/client-address";
import { publicAction } from "@/lib/server/core/guard";
import { acceptInvitation } from "@/lib/server/invitations";

/** The requester's address (outside a request, e.g. called from a test: "local"). */
async function requestAddress(): Promise<string> {
  try {
    return addressFromHeaders(Object.fromEntries(await headers()));
  } catch {
    return "local";
  }
}

/** Open to anyone holding the link: the token is the permission (lib/server/invitations.ts). */
export const acceptInvitationAction = publicAction(acceptInvitationSchema, async (input) =>
  acceptInvitation(input, await requestAddress()),
);
