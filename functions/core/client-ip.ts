import { isIPv4, isIPv6 } from 'node:net';

/**
 * The client a per-IP limit counts, from the peer address the platform saw (API Gateway's
 * `sourceIp`, the socket's remote address locally; never a header the caller writes).
 * - An IPv4 address counts as itself, also when a dual-stack socket reports it as `::ffff:a.b.c.d`.
 * - An IPv6 address counts by its /64: one subscriber line gets a whole /64, and counting single
 *   addresses would give one client 2^64 fresh counters.
 * - No address at all counts as one client, `unknown`, so that a missing peer never skips the limit.
 */
export function clientKeyOf(ip: string | undefined): string {
  const raw = (ip ?? '').trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(raw)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (isIPv4(raw)) return raw;
  const bare = raw.replace(/%.*$/, '');
  if (isIPv6(bare)) return `${expandIPv6(bare).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** The eight groups of an IPv6 address, each without leading zeros (`::` expanded). */
function expandIPv6(ip: string): string[] {
  // An embedded IPv4 tail (`::1.2.3.4`) is two groups.
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip)?.[1];
  const hex = v4 ? ip.slice(0, -v4.length) + v4.split('.').reduce((acc, o, i) => acc + (i === 2 ? ':' : '') + Number(o).toString(16).padStart(2, '0'), '') : ip;
  const [head = '', tail] = hex.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => Number.parseInt(g || '0', 16).toString(16));
}
