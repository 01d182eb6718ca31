import { can, type Permission, type RoleName } from "./permissions";

const NAV: { href: string; label: string; permission: Permission }[] = [
  { href: "/revenue", label: "Revenue", permission: "revenue.read" },
  { href: "/kx", label: "KX queue", permission: "kx.read" },
  { href: "/remits", label: "Remits", permission: "remits.read" },
  { href: "/underpayments", label: "Underpayments", permission: "underpayments.read" },
  { href: "/denials", label: "Denials", permission: "remits.read" },
  { href: "/contracts", label: "Contracts", permission: "contracts.read" },
  { href: "/undercoding", label: "Undercoding", permission: "undercoding.read" },
  { href: "/claims-to-fix", label: "Claims to fix", permission: "claims.read" },
  { href: "/patients", label: "Patients", permission: "patients.read" },
  { href: "/imports", label: "Import / export", permission: "data.import" },
  { href: "/admin", label: "Users & settings", permission: "users.manage" },
  { href: "/admin/reference", label: "Fee schedule", permission: "reference.manage" },
];

/** The navigation a role sees, its landing page first. */
export function navFor(role: RoleName) {
  return NAV.filter((item) => can(role, item.permission));
}
