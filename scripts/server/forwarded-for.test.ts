import { describe, expect, it } from "vitest";
import { addressFromHeaders } from "@/lib/server/core/client-address";
import { clientAddress, parseTrustedProxies } from "./forwarded-for";

describe("the client's address", () => {
  it("trusts no proxy by default: the socket's address, whatever X-Forwarded-For says", () => {
    const none = parseTrustedProxies(undefined);
    expect(clientAddress("203.0.113.9", "1.2.3.4", none)).toBe("203.0.113.9");
    expect(clientAddress("::ffff:127.0.0.1", "10.9.8.7, 1.2.3.4", none)).toBe("127.0.0.1");
  });

  it("reads X-Forwarded-For from the right through the trusted proxies only", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8, 192.168.1.5, ::1");
    // the proxy 10.0.0.2 saw 203.0.113.9; what the client wrote at the left is not read
    expect(clientAddress("10.0.0.2", "6.6.6.6, 203.0.113.9", trusted)).toBe("203.0.113.9");
    // two trusted hops (192.168.1.5 then 10.0.0.2), then the client
    expect(clientAddress("10.0.0.2", "7.7.7.7, 198.51.100.4, 192.168.1.5", trusted)).toBe("198.51.100.4");
    expect(clientAddress("::1", "198.51.100.4", trusted)).toBe("198.51.100.4");
    // a trusted proxy with no header: the proxy itself
    expect(clientAddress("10.0.0.2", undefined, trusted)).toBe("10.0.0.2");
    // a garbled hop stops the walk at the last address vouched for
    expect(clientAddress("10.0.0.2", "198.51.100.4, not-an-ip", trusted)).toBe("10.0.0.2");
    // a proxy outside the list is the client, whatever it forwards
    expect(clientAddress("172.16.0.1", "198.51.100.4", trusted)).toBe("172.16.0.1");
  });

  it("refuses a setting that is not addresses and ranges", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, proxy.local")).toThrow(/"proxy.local" is not an IP address or CIDR range/);
  });

  it("takes the one address the server put in X-Forwarded-For", () => {
    expect(addressFromHeaders({ "x-forwarded-for": "203.0.113.9" })).toBe("203.0.113.9");
    expect(addressFromHeaders({})).toBe("local");
  });
});
