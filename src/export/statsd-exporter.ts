// `--export statsd=HOST:PORT`: each second's StatsD lines over UDP. UDP never waits for the
// server. The socket is connected, so that a server that is not there shows (ICMP port
// unreachable comes back as ECONNREFUSED on a later send): warned about once, and the next
// second is sent anyway.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { OnceWarning, reasonOf, type Exporter, type Warn } from './exporter.js';
import { emptyCounts, packDatagrams, statsdLines, tagValue } from './statsd-lines.js';
import type { LiveSnapshot } from './live-view.js';
import type { RunInfo } from './prometheus-text.js';

export class StatsdExporter implements Exporter {
  readonly name: string;
  private readonly socket: Socket;
  private readonly sent = emptyCounts();
  private readonly warning: OnceWarning;
  private readonly tags: string[];
  private connected = false;

  constructor(
    host: string,
    port: number,
    info: RunInfo,
    warn: Warn,
  ) {
    this.name = `statsd ${host}:${port}`;
    this.warning = new OnceWarning(this.name, warn);
    this.socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    this.socket.on('error', (error) => this.warning.fail(reasonOf(error)));
    this.socket.unref();
    this.socket.connect(port, host, () => (this.connected = true));
    this.tags = [`profile:${tagValue(info.profile)}`, ...(info.label ? [`label:${tagValue(info.label)}`] : []), ...(info.shard ? [`shard:${tagValue(info.shard)}`] : [])];
  }

  publish(snapshot: LiveSnapshot): void {
    // not connected yet (a name still resolving): the counters go out with the next second
    if (!this.connected) return;
    for (const datagram of packDatagrams(statsdLines(snapshot, this.sent, 'perfctl.', this.tags))) {
      this.socket.send(datagram, (error) => {
        if (error) this.warning.fail(reasonOf(error));
      });
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
