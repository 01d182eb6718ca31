// Who must sign in with a second factor: admins and managers always (they change users,
// settings, contracts and rates), every role where the practice has switched it on.
import type { RoleName } from "./permissions";

export const SECOND_FACTOR_ROLES: readonly RoleName[] = ["ADMIN", "MANAGER"];

export function mustHaveSecondFactor(role: RoleName, practice: { requireSecondFactor: boolean }): boolean {
  return practice.requireSecondFactor || SECOND_FACTOR_ROLES.includes(role);
}
