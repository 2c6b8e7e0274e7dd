/**
 * Works out the addresses at which others can reach a server, so the server
 * can tell students what to give their classmates.
 *
 * @module
 */

import { lookup } from "node:dns/promises";

/** Where a server can be reached. */
export interface Reachability {
  /** `host:port` for other machines, one per usable network address. */
  remote: string[];
  /** `host:port` for clients on the same machine. */
  local: string;
}

const WILDCARDS = new Set(["0.0.0.0", "::"]);

/**
 * Lists the addresses at which a server listening on `hostname` and `port`
 * can be reached, given the machine's network interfaces.
 *
 * A wildcard address (`0.0.0.0` for IPv4, `::` for both families) is
 * reachable through every non-loopback interface; link-local IPv6 addresses
 * are left out because they need an interface name to be used. A loopback
 * address is reachable from this machine only.
 */
export function reachableAddresses(
  hostname: string,
  port: number,
  interfaces: readonly Deno.NetworkInterfaceInfo[],
): Reachability {
  const ipv6Listener = hostname.includes(":");
  const local = formatAddress({
    transport: "tcp",
    hostname: ipv6Listener && hostname !== "::" ? "::1" : "127.0.0.1",
    port,
  });
  if (!WILDCARDS.has(hostname)) {
    return {
      remote: isLoopback(hostname) ? [] : [formatHost(hostname, port)],
      local,
    };
  }
  const remote = interfaces
    .filter((info) => hostname === "::" || info.family === "IPv4")
    .filter((info) => !isLoopback(info.address) && !isLinkLocal(info.address))
    .map((info) => formatHost(info.address, port));
  return { remote: [...new Set(remote)], local };
}

function formatHost(hostname: string, port: number): string {
  return formatAddress({ transport: "tcp", hostname, port });
}

/** Whether an address or name refers to this machine only. */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname.startsWith("127.") ||
    hostname === "::1";
}

function isLinkLocal(address: string): boolean {
  return address.toLowerCase().startsWith("fe80:");
}

/** Formats an address as `host:port`, with brackets around IPv6 hosts. */
export function formatAddress(address: Deno.Addr): string {
  if (address.transport !== "tcp" && address.transport !== "udp") {
    return address.transport;
  }
  const host = address.hostname.includes(":")
    ? `[${address.hostname}]`
    : address.hostname;
  return `${host}:${address.port}`;
}

/** Whether `hostname` is an IPv4 or IPv6 address rather than a name. */
export function isIpAddress(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.includes(":");
}

/**
 * Resolves a host name to one address the way the operating system does
 * (the hosts file, then DNS), as the course's "DNS step". An address is
 * returned as it is.
 */
export async function resolveHost(hostname: string): Promise<string> {
  return (await resolveAddresses(hostname))[0];
}

/**
 * Every address of a host name, in the order the operating system prefers
 * them; an address is returned as it is.
 */
export async function resolveAddresses(hostname: string): Promise<string[]> {
  if (isIpAddress(hostname)) return [hostname];
  const found = await lookup(hostname, { all: true });
  return found.map((entry) => entry.address);
}
