import { AcceptInvitationForm } from "@/components/accept-invitation-form";
import { invitationForToken } from "@/lib/server/invitations";

export const metadata = { title: "Join a practice · Therapy Revenue" };

const ROLE_LABEL = { OWNER: "owner", BILLER: "biller", MANAGER: "manager", ADMIN: "administrator" } as const;

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = /^[A-Za-z0-9_-]{43}$/.test(token) ? await invitationForToken(token) : null;
  return (
    <main className="mx-auto mt-24 max-w-sm px-4">
      <div className="card">
        {invitation ? (
          <>
            <h1 className="mb-2 text-xl font-semibold">Join {invitation.practiceName}</h1>
            <p className="mb-4 text-sm text-slate-600">
              You are invited as {ROLE_LABEL[invitation.role]} with the email {invitation.email}.
            </p>
            <AcceptInvitationForm token={token} email={invitation.email} defaultName={invitation.name ?? ""} />
          </>
        ) : (
          <>
            <h1 className="mb-2 text-xl font-semibold">This invitation link does not work</h1>
            <p className="text-sm text-slate-600">
              It was used already, withdrawn, or has expired. Ask your practice's administrator for a new one.
            </p>
          </>
        )}
      </div>
    </main>
  );
}
