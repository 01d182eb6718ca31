// Synthetic X12 835s, written through one segment writer (segments.ts): random or given claims
// for the tests and benchmarks (synthetic.ts), and the demo practice's remits (practice-remits.ts).
// Test and demo material: the app reads 835s with lib/x12 and writes none.
export {
  type Generate835Options,
  type Generated835Totals,
  generate835,
  generate835Chunks,
  paidServiceLine,
  randomRemitClaims,
  type SyntheticAdjustment,
  type SyntheticClaim,
  type SyntheticProviderAdjustment,
  type SyntheticServiceLine,
} from "./synthetic";
