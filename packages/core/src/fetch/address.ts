/**
 * Which network addresses an outgoing request from the platform (harvest fetches, webhooks,
 * availability checks) may reach. A URL naming a public host can still resolve to the cloud's metadata
 * service, a VPC neighbour or the machine itself: the fetcher asks this module about every address a
 * name resolves to, on every redirect, before it connects.
 */

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'benchmarking'
  | 'protocol'
  | 'ipv4-translated'
  | 'invalid';

export interface AddressPolicy {
  /** Loopback is reachable only when this is set: the local platform, for tests serving catalogues. */
  allowLoopback: boolean;
}

export const DEPLOYED_POLICY: AddressPolicy = { allowLoopback: false };

/** IPv4 as 4 bytes, or null when the text is not exactly a dotted quad. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    // A leading zero is octal to some resolvers and decimal to others: refuse the ambiguity.
    if (part.length > 1 && part.startsWith('0')) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

/** IPv6 as 16 bytes (accepts `::`, an embedded dotted quad, brackets; refuses zone ids), or null. */
export function parseIPv6(input: string): number[] | null {
  let text = input;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text.includes('%') || text.length === 0 || text.length > 45) return null;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    // The dotted quad stands for the last two groups: placeholders, overwritten below.
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === '') return [];
    const groups: number[] = [];
    for (const group of half.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
      groups.push(Number.parseInt(group, 16));
    }
    return groups;
  };
  const head = groupsOf(halves[0] ?? '');
  const rest = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (!head || !rest) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  const bytes = groups.flatMap((group) => [group >> 8, group & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function inV4(bytes: number[], prefix: number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 1) {
    const index = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

const V4_RANGES: [number[], number, AddressClass][] = [
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'shared'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'protocol'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 88, 99, 0], 24, 'reserved'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'benchmarking'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[255, 255, 255, 255], 32, 'broadcast'],
  [[240, 0, 0, 0], 4, 'reserved'],
];

export function classifyIPv4(bytes: number[]): AddressClass {
  for (const [prefix, bits, kind] of V4_RANGES) if (inV4(bytes, prefix, bits)) return kind;
  return 'public';
}

const hex = (groups: number[]): number[] => groups.flatMap((group) => [group >> 8, group & 0xff]);

const V6_RANGES: [number[], number, AddressClass][] = [
  [hex([0x0064, 0xff9b, 0x0001]), 48, 'ipv4-translated'],
  [hex([0x0100, 0, 0, 0]), 64, 'reserved'],
  [hex([0x2001, 0x0db8]), 32, 'documentation'],
  [hex([0x2001]), 23, 'protocol'],
  [hex([0x3fff]), 20, 'documentation'],
  [hex([0x5f00]), 16, 'reserved'],
  [hex([0xfc00]), 7, 'unique-local'],
  [hex([0xfe80]), 10, 'link-local'],
  [hex([0xfec0]), 10, 'site-local'],
  [hex([0xff00]), 8, 'multicast'],
];

/** The IPv4 address an IPv6 address carries, for the forms that reach it: mapped, compatible, NAT64, 6to4. */
export function embeddedIPv4(bytes: number[]): number[] | null {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12, 16);
  if (zeros(0, 12)) return bytes.slice(12, 16);
  if (inV4(bytes, hex([0x0064, 0xff9b, 0, 0, 0, 0]), 96)) return bytes.slice(12, 16);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6);
  return null;
}

export function classifyIPv6(bytes: number[]): AddressClass {
  if (bytes.every((byte) => byte === 0)) return 'unspecified';
  if (bytes.slice(0, 15).every((byte) => byte === 0) && bytes[15] === 1) return 'loopback';
  const v4 = embeddedIPv4(bytes);
  if (v4) {
    const inner = classifyIPv4(v4);
    // ::/96 "IPv4-compatible" addresses are deprecated: nothing public should be reached through them.
    if (inner === 'public' && bytes.slice(0, 12).every((byte) => byte === 0)) return 'reserved';
    return inner;
  }
  for (const [prefix, bits, kind] of V6_RANGES) if (inV4(bytes, prefix, bits)) return kind;
  // Only global unicast (2000::/3) is routable on the internet.
  if ((bytes[0] ?? 0) >> 5 !== 1) return 'reserved';
  return 'public';
}

/** The class of an IP address written as text (v4 or v6, with or without brackets). */
export function classifyAddress(address: string): AddressClass {
  const v4 = parseIPv4(address);
  if (v4) return classifyIPv4(v4);
  const v6 = parseIPv6(address);
  if (v6) return classifyIPv6(v6);
  return 'invalid';
}

export function isIpLiteral(host: string): boolean {
  return parseIPv4(host) !== null || parseIPv6(host) !== null;
}

/** Null when the address may be reached under the policy, else why not (in words, for the error). */
export function addressRefusal(address: string, policy: AddressPolicy): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public') return null;
  if (kind === 'loopback' && policy.allowLoopback) return null;
  if (kind === 'invalid') return `"${address}" is not an IP address`;
  return `${address} is a ${kind} address`;
}

export const ALLOWED_SCHEMES = ['http:', 'https:'] as const;

/**
 * Checks what can be told from the URL alone (before any DNS lookup): http(s) only, no credentials,
 * a host, and an IP literal host must itself be allowed. Returns the parsed URL or why it is refused.
 */
export function urlRefusal(raw: string, policy: AddressPolicy): { url: URL } | { refusal: string } {
  if (!URL.canParse(raw)) return { refusal: 'not a valid URL' };
  const url = new URL(raw);
  if (!(ALLOWED_SCHEMES as readonly string[]).includes(url.protocol))
    return { refusal: `the ${url.protocol.replace(':', '')} scheme is not allowed (only http and https)` };
  if (url.username || url.password) return { refusal: 'URLs with credentials are not allowed' };
  if (!url.hostname) return { refusal: 'the URL has no host' };
  if (url.port === '0') return { refusal: 'port 0 is not allowed' };
  const host = url.hostname;
  if (isIpLiteral(host)) {
    const refusal = addressRefusal(host, policy);
    if (refusal) return { refusal };
  } else if (!policy.allowLoopback && /(^|\.)localhost\.?$/i.test(host)) {
    return { refusal: `${host} is a loopback name` };
  }
  return { url };
}
