/**
 * Sockets bound inside the configured RTC port range: a UDP socket and a TCP listener per
 * transport, on the listen IP. Ports are tried from a random point of the range, wrapping around,
 * like mediasoup's port manager (a port just freed is not handed straight to the next transport,
 * where a late packet for the old one could land), with a preferred port first so a transport's
 * TCP port can match its UDP port. Binding directly, never probing first, so two transports
 * created at once cannot pick the same port.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { isIPv6 } from 'node:net';

export interface PortRange {
  ip: string;
  min: number;
  max: number;
}

function candidatesInRange({ min, max }: PortRange, preferred?: number): number[] {
  const size = max - min + 1;
  const start = randomInt(size);
  const ports: number[] = [];
  if (preferred !== undefined && preferred >= min && preferred <= max) ports.push(preferred);
  for (let i = 0; i < size; i++) {
    const p = min + ((start + i) % size);
    if (p !== preferred) ports.push(p);
  }
  return ports;
}

function bindUdpOnce(ip: string, port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: isIPv6(ip) ? 'udp6' : 'udp4' });
    const onError = () => {
      socket.close();
      resolve(null);
    };
    socket.once('error', onError);
    socket.bind({ address: ip, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function listenTcpOnce(ip: string, port: number, onConnection: (s: TcpSocket) => void): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer({ noDelay: true }, onConnection);
    const onError = () => {
      server.close();
      resolve(null);
    };
    server.once('error', onError);
    server.listen({ host: ip, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

/** A UDP socket on the first free port of the range. */
export async function bindUdpInRange(range: PortRange): Promise<Socket> {
  for (const port of candidatesInRange(range)) {
    const socket = await bindUdpOnce(range.ip, port);
    if (socket) return socket;
  }
  throw new Error(`no free UDP port in ${range.min}-${range.max} on ${range.ip}`);
}

/** A TCP listener on `preferred` if free, else on the first free port of the range. */
export async function listenTcpInRange(range: PortRange, onConnection: (s: TcpSocket) => void, preferred?: number): Promise<Server> {
  for (const port of candidatesInRange(range, preferred)) {
    const server = await listenTcpOnce(range.ip, port, onConnection);
    if (server) return server;
  }
  throw new Error(`no free TCP port in ${range.min}-${range.max} on ${range.ip}`);
}
