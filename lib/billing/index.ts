// The billing rule book (DOMAIN.md) as pure functions. See docs/billing-rules.md.
export * from "./claimChecks";
export * from "./codes";
export * from "./contracts";
export * from "./expected";
export * from "./medicare";
export * from "./remits";
export * from "./money";
export * from "./thresholds";
export * from "./units";
export * from "./undercoding";
export * from "./therapy-codes";
