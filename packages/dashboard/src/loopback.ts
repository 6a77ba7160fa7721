import * as net from 'node:net';

/**
 * Whether a host name or address stays on this machine: `localhost`, any IPv4 address in
 * 127.0.0.0/8, `::1` in any spelling, or an IPv4-mapped `::ffff:127.x.y.z`; `[…]` brackets are
 * allowed. Decided by the address, not a list of spellings: `--host 127.0.0.2` binds a loopback
 * address as surely as 127.0.0.1, so it keeps the Host-header check and gets no network warning.
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h === 'localhost.') return true;
  if (net.isIPv4(h)) return h.split('.')[0] === '127';
  if (!net.isIPv6(h)) return false;
  const g = ipv6Groups(h);
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  return (zeros(7) && g[7] === 1) || (zeros(5) && g[5] === 0xffff && g[6]! >> 8 === 127);
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 part becomes two). */
function ipv6Groups(h: string): number[] {
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  const hex = v4
    ? h.slice(0, v4.index) + ((+v4[1]! << 8) | +v4[2]!).toString(16) + ':' + ((+v4[3]! << 8) | +v4[4]!).toString(16)
    : h;
  const [head = '', tail] = hex.split('::');
  const a = head === '' ? [] : head.split(':');
  const b = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? a : [...a, ...Array<string>(8 - a.length - b.length).fill('0'), ...b];
  return groups.map((x) => parseInt(x, 16));
}

/** The host name of an HTTP Host header (`127.0.0.2:4177` → `127.0.0.2`, `[::1]:80` → `[::1]`). */
export function hostHeaderName(header: string): string {
  return header.replace(/:\d*$/, '');
}
