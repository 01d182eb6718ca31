// Which address a request comes from, trusting X-Forwarded-For only from configured proxies.
// TRUSTED_PROXIES lists proxy addresses and CIDR ranges, comma-separated ("10.0.0.0/8,
// 127.0.0.1, ::1"); empty (the default) trusts none: the socket's address is the client's.
// With proxies, X-Forwarded-For is read from the right (each proxy appends the address it
// saw): the first address that is not a trusted proxy is the client. A client can put
// anything at the left of the header, and it is never read past an untrusted hop.
// The production server (./production.ts) runs this file under plain Node (type stripping),
// inside the standalone build and the container, so it imports nothing but Node itself.
import { BlockList, isIP } from "node:net";

export function parseTrustedProxies(setting: string | undefined): BlockList {
  const list = new BlockList();
  for (const raw of (setting ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address, bits] = entry.split("/");
    const family = isIP(address ?? "");
    if (!family || (bits !== undefined && !/^\d{1,3}$/.test(bits)))
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8)`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, Number(bits), type);
  }
  return list;
}

/** "::ffff:127.0.0.1" (an IPv4 client on a dual-stack socket) is 127.0.0.1. */
function normalise(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, "");
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a) ? a.slice(7) : a;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** The client's address from the socket's and the X-Forwarded-For header (one or several). */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  let current = normalise(socketAddress ?? "") || "unknown";
  if (!isTrusted(trusted, current)) return current;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",").map(normalise).filter(Boolean);
  while (hops.length > 0) {
    const previous = hops.pop()!;
    if (!isIP(previous)) return current; // a garbled hop: stop at the last address vouched for
    current = previous;
    if (!isTrusted(trusted, current)) return current;
  }
  return current;
}
