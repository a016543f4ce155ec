// A UDP listener on 127.0.0.1 for StatsD tests: keeps every line it receives.
import { createSocket } from 'node:dgram';

export interface UdpListener {
  port: number;
  lines: string[];
  close(): Promise<void>;
}

export async function startUdpListener(): Promise<UdpListener> {
  const socket = createSocket('udp4');
  const lines: string[] = [];
  socket.on('message', (message) => lines.push(...message.toString('utf8').split('\n').filter((l) => l !== '')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, lines, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

/** A StatsD/DogStatsD line: name, value, type, tags. */
export function parseStatsdLine(line: string): { name: string; value: number; type: string; tags: Record<string, string> } {
  const [head, type, ...rest] = line.split('|');
  const colon = head!.lastIndexOf(':');
  const tagPart = rest.find((p) => p.startsWith('#'));
  const tags = Object.fromEntries((tagPart ? tagPart.slice(1).split(',') : []).map((t) => [t.slice(0, t.indexOf(':')), t.slice(t.indexOf(':') + 1)]));
  return { name: head!.slice(0, colon), value: Number(head!.slice(colon + 1)), type: type!, tags };
}
