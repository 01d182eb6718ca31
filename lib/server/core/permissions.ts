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
  /** the practice's option to set ambiguous notes apart as possible loss (docs/undercoding.md) */
  "undercoding.settings": ["OWNER", "ADMIN"],
  "data.import": ["ADMIN", "BILLER", "MANAGER"],
  "data.export": ["OWNER", "BILLER", "MANAGER", "ADMIN"],
  "reference.manage": ["MANAGER", "ADMIN"],
  "settings.manage": ["ADMIN"],
  "users.manage": ["ADMIN"],
  "audit.read": ["ADMIN", "OWNER"],
} as const satisfies Record<string, readonly RoleName[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * The permission to write each kind of CSV import: the kind's own form (visit form, used-elsewhere
 * form, contract form) and the upload of its file check the same one, so that a file cannot do
 * what its form may not. The upload also needs "data.import".
 */
export const IMPORT_WRITE_PERMISSION = {
  visits: "visits.write",
  usage: "usage.write",
  contracts: "contracts.write",
} as const satisfies Record<string, Permission>;

/**
 * The permission to read each list that can be downloaded: its page and its export check the same
 * one, so that a download never shows what the page would refuse. The export also needs "data.export".
 */
export const LIST_READ_PERMISSION = {
  visits: "visits.read",
  "kx-queue": "kx.read",
  underpayments: "underpayments.read",
  undercoding: "undercoding.read",
} as const satisfies Record<string, Permission>;

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
