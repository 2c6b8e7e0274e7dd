import { deepEqual, equal } from "node:assert/strict";
import { formatAddress, reachableAddresses } from "../lib/network.ts";

function nic(
  address: string,
  family: "IPv4" | "IPv6",
): Deno.NetworkInterfaceInfo {
  return {
    family,
    name: "eth0",
    address,
    netmask: "",
    scopeid: null,
    cidr: "",
    mac: "",
  };
}

const INTERFACES = [
  nic("127.0.0.1", "IPv4"),
  nic("192.168.0.10", "IPv4"),
  nic("10.0.0.7", "IPv4"),
  nic("::1", "IPv6"),
  nic("fe80::1", "IPv6"),
  nic("2001:db8::5", "IPv6"),
];

Deno.test("reachableAddresses lists every IPv4 network for 0.0.0.0, and loopback for this machine", () => {
  deepEqual(reachableAddresses("0.0.0.0", 5050, INTERFACES), {
    remote: ["192.168.0.10:5050", "10.0.0.7:5050"],
    local: "127.0.0.1:5050",
  });
});

Deno.test("reachableAddresses adds global IPv6 addresses for ::, but not link-local ones", () => {
  deepEqual(reachableAddresses("::", 5050, INTERFACES).remote, [
    "192.168.0.10:5050",
    "10.0.0.7:5050",
    "[2001:db8::5]:5050",
  ]);
});

Deno.test("reachableAddresses gives no remote address for a loopback listener", () => {
  deepEqual(reachableAddresses("127.0.0.1", 6000, INTERFACES), {
    remote: [],
    local: "127.0.0.1:6000",
  });
  deepEqual(reachableAddresses("::1", 6000, INTERFACES), {
    remote: [],
    local: "[::1]:6000",
  });
});

Deno.test("reachableAddresses gives a specific address as it is", () => {
  deepEqual(reachableAddresses("192.168.0.10", 5050, INTERFACES).remote, [
    "192.168.0.10:5050",
  ]);
});

Deno.test("formatAddress brackets IPv6 hosts", () => {
  equal(
    formatAddress({ transport: "tcp", hostname: "::1", port: 5 }),
    "[::1]:5",
  );
  equal(
    formatAddress({ transport: "tcp", hostname: "10.0.0.1", port: 5 }),
    "10.0.0.1:5",
  );
});
