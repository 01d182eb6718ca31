import { dollarsField } from "@/lib/ui/money";
import { AlertLevelField } from "@/components/alert-level-field";
import { ActionForm, ConfirmButton, FieldError } from "@/components/forms";
import { InviteForm } from "@/components/invite-form";
import { RoleSelect } from "@/components/role-select";
import { UndercodingOptionForm } from "@/components/undercoding-option-form";
import { listMembers, practiceSettingsPage } from "@/lib/server/admin";
import { pageContext } from "@/lib/server/guard";
import { todayInZone } from "@/lib/server/underpayments/weeks";
import { listInvitations } from "@/lib/server/invitations";
import { endSessionsAction, resetSecondFactorAction, revokeInvitationAction, setActiveAction, updateSettingsAction } from "./actions";
import { nameInOwnCase, roleInWords } from "@/lib/ui/words";

export const metadata = { title: "Users & settings · Therapy Revenue" };

export default async function AdminPage() {
  const ctx = await pageContext("users.manage");
  const [members, invitations, { practice, localities }] = await Promise.all([
    listMembers(ctx.practiceId),
    listInvitations(ctx.practiceId),
    practiceSettingsPage(ctx.practiceId),
  ]);
  const expiry = new Intl.DateTimeFormat("en-US", { timeZone: practice.timeZone, dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Users & settings</h1>
      <section className="card space-y-3" aria-labelledby="users-heading">
        <h2 id="users-heading" className="text-lg font-semibold">
          Users
        </h2>
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Status</th>
              <th>Second factor</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>{m.name ?? m.user.name}</td>
                <td>{m.user.email}</td>
                <td>{m.userId === ctx.userId ? roleInWords(m.role) : <RoleSelect membershipId={m.id} role={m.role} />}</td>
                <td>{m.active ? "active" : <span className="badge bg-slate-200">deactivated</span>}</td>
                <td>{m.user.totpEnabledAt ? "on" : "off"}</td>
                <td>
                  {m.userId === ctx.userId ? (
                    <span className="text-sm text-slate-500">you</span>
                  ) : (
                    <div className="flex flex-wrap gap-2">
                      <ConfirmButton
                        action={setActiveAction}
                        input={{ membershipId: m.id, active: !m.active }}
                        label={m.active ? "Deactivate" : "Reactivate"}
                        confirm={m.active ? `Deactivate ${m.user.email}? They are signed out at once.` : undefined}
                      />
                      <ConfirmButton
                        action={endSessionsAction}
                        input={{ membershipId: m.id }}
                        label="Sign out everywhere"
                        confirm={`Sign ${m.user.email} out on every device?`}
                      />
                      {m.user.totpEnabledAt ? (
                        <ConfirmButton
                          action={resetSecondFactorAction}
                          input={{ membershipId: m.id }}
                          label="Reset second factor"
                          confirm={`Reset ${m.user.email}'s second factor? They are signed out and set up a new one at their next sign-in.`}
                        />
                      ) : null}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {invitations.length ? (
          <>
            <h3 className="pt-2 font-semibold">Invitations not yet accepted</h3>
            <table className="data">
              <thead>
                <tr>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Link works until</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>{roleInWords(i.role)}</td>
                    <td>{i.expiresAt.getTime() <= Date.now() ? "expired" : expiry.format(i.expiresAt)}</td>
                    <td>
                      <ConfirmButton action={revokeInvitationAction} input={{ invitationId: i.id }} label="Withdraw" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
        <h3 className="pt-2 font-semibold">Invite a user</h3>
        <p className="text-sm text-slate-600">
          You get a link to pass on: the person opens it, enters their name and chooses a password (or uses the password of the account they
          already have with this email).
        </p>
        <InviteForm timeZone={practice.timeZone} />
      </section>

      <section className="card space-y-3" aria-labelledby="settings-heading">
        <h2 id="settings-heading" className="text-lg font-semibold">
          Practice settings
        </h2>
        <p className="text-sm text-slate-600">
          The Medicare locality selects the GPCIs that price Medicare lines; changing it re-prices every visit. The alert level is when a
          Medicare patient enters the KX queue. The NPI, tax id and address head the appeal letters, and an 835 paid to another NPI or tax
          id is held until someone confirms it.
        </p>
        <ActionForm action={updateSettingsAction} submitLabel="Save settings" className="grid max-w-xl grid-cols-1 gap-3">
          <div>
            <label className="label" htmlFor="s-name">
              Practice name
            </label>
            <input id="s-name" name="name" className="input w-full" defaultValue={practice.name} required />
            <FieldError name="name" />
          </div>
          <div>
            <label className="label" htmlFor="s-locality">
              Medicare locality
            </label>
            <select id="s-locality" name="medicareLocality" className="input w-full" defaultValue={practice.medicareLocality}>
              {localities.map((l) => (
                <option key={l.locality} value={l.locality}>
                  {l.locality} · {nameInOwnCase(l.localityName)}
                </option>
              ))}
            </select>
            <FieldError name="medicareLocality" />
          </div>
          <div>
            <label className="label" htmlFor="s-tz">
              Time zone
            </label>
            <input id="s-tz" name="timeZone" className="input w-full" defaultValue={practice.timeZone} />
            <FieldError name="timeZone" />
          </div>
          <div>
            <label className="label" htmlFor="s-npi">
              Billing NPI
            </label>
            <input
              id="s-npi"
              name="npi"
              inputMode="numeric"
              className="input w-full"
              defaultValue={practice.npi ?? ""}
              placeholder="1234567893"
            />
            <FieldError name="npi" />
          </div>
          <div>
            <label className="label" htmlFor="s-tax-id">
              Tax id (EIN)
            </label>
            <input id="s-tax-id" name="taxId" className="input w-full" defaultValue={practice.taxId ?? ""} placeholder="12-3456789" />
            <FieldError name="taxId" />
          </div>
          <div>
            <label className="label" htmlFor="s-address">
              Mailing address (as printed on letters)
            </label>
            <textarea id="s-address" name="address" rows={3} className="input w-full" defaultValue={practice.address ?? ""} />
            <FieldError name="address" />
          </div>
          <AlertLevelField
            defaultDollars={dollarsField(practice.alertLevelCents)}
            year={Number(todayInZone(practice.timeZone).slice(0, 4))}
          />
          <div>
            <label className="label" htmlFor="s-idle">
              Sign out after this many idle minutes
            </label>
            <input
              id="s-idle"
              name="sessionIdleMinutes"
              inputMode="numeric"
              className="input w-full"
              defaultValue={practice.sessionIdleMinutes}
            />
            <FieldError name="sessionIdleMinutes" />
          </div>
          <div>
            <label className="label" htmlFor="s-second-factor">
              Second factor (authenticator app) required for
            </label>
            <select
              id="s-second-factor"
              name="secondFactorFor"
              className="input w-full"
              defaultValue={practice.requireSecondFactor ? "everyone" : "admins-and-managers"}
            >
              <option value="admins-and-managers">Admins and managers</option>
              <option value="everyone">Everyone</option>
            </select>
            <FieldError name="secondFactorFor" />
          </div>
        </ActionForm>
      </section>
      <section className="card space-y-3" aria-labelledby="undercoding-option-heading">
        <h2 id="undercoding-option-heading" className="text-lg font-semibold">
          Undercoding review
        </h2>
        <UndercodingOptionForm on={practice.reviewAmbiguousNotes} idPrefix="s-uc" />
      </section>
    </div>
  );
}
