// Who may do what: one table, read by the single guard every page, action and route uses.
export const ROLES = ["OWNER", "BILLER", "MANAGER", "ADMIN"] as const;
export type RoleName = (typeof ROLES)[number];

export const PERMISSIONS = {
  "patients.read": ["OWNER", "BILLER", "MANAGER", "ADMIN"],
  "patients.write": ["OWNER", "BILLER", "ADMIN"],
  "visits.read": ["OWNER", "BILLER", "MANAGER", "ADMIN"],
  "visits.write": ["OWNER", "BILLER", "ADMIN"],
  "claims.read": ["OWNER", "BILLER", "MANAGER"],
  "kx.read": ["OWNER", "BILLER", "MANAGER"],
  "kx.work": ["BILLER", "OWNER"],
  "usage.write": ["BILLER", "OWNER", "ADMIN"],
  "remits.read": ["OWNER", "BILLER", "MANAGER"],
  "remits.import": ["MANAGER", "BILLER", "ADMIN"],
  "remits.match": ["MANAGER", "BILLER"],
  "contracts.read": ["OWNER", "MANAGER", "BILLER"],
  "contracts.write": ["MANAGER", "ADMIN"],
  "underpayments.read": ["OWNER", "MANAGER", "BILLER"],
  "underpayments.work": ["MANAGER"],
  "revenue.read": ["OWNER", "MANAGER"],
  "undercoding.read": ["OWNER", "MANAGER", "BILLER"],
  "undercoding.review": ["OWNER", "MANAGER"],
  "data.import": ["ADMIN", "BILLER", "MANAGER"],
  "data.export": ["OWNER", "BILLER", "MANAGER", "ADMIN"],
  "reference.manage": ["MANAGER", "ADMIN"],
  "settings.manage": ["ADMIN"],
  "users.manage": ["ADMIN"],
  "audit.read": ["ADMIN", "OWNER"],
} as const satisfies Record<string, readonly RoleName[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: RoleName, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly RoleName[]).includes(role);
}

/** The page each role lands on after signing in. */
export const LANDING: Record<RoleName, string> = {
  OWNER: "/revenue",
  BILLER: "/kx",
  MANAGER: "/remits",
  ADMIN: "/admin",
};
