"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changeRoleAction } from "@/app/(app)/admin/actions";

export function RoleSelect({ membershipId, role }: { membershipId: number; role: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState("");
  return (
    <span>
      <label className="sr-only" htmlFor={`role-${membershipId}`}>
        Role
      </label>
      <select
        id={`role-${membershipId}`}
        className="input"
        defaultValue={role}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.value as "OWNER" | "BILLER" | "MANAGER" | "ADMIN";
          start(async () => {
            const result = await changeRoleAction({ membershipId, role: next });
            if (!result.ok) setError(result.error);
            router.refresh();
          });
        }}
      >
        <option value="OWNER">Owner</option>
        <option value="BILLER">Biller</option>
        <option value="MANAGER">Manager</option>
        <option value="ADMIN">Admin</option>
      </select>
      {error ? (
        <span role="alert" className="field-error ml-2">
          {error}
        </span>
      ) : null}
    </span>
  );
}
