/** Datagrams the kernel dropped because a socket's receive buffer was full, from /proc/net/udp (Linux). */
import { readFileSync } from 'node:fs';

/** Sum of the `drops` column over the IPv4 UDP sockets bound to a port in [min, max]. */
export function udpDrops([min, max]: [number, number]): number {
  let drops = 0;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13) continue;
    const port = parseInt(f[1].split(':')[1], 16);
    if (port >= min && port <= max) drops += Number(f[f.length - 1]);
  }
  return drops;
}
