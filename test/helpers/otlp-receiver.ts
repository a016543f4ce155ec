// An OTLP/HTTP metrics receiver on 127.0.0.1 for tests: takes POST /v1/metrics (JSON, or gzip'd
// JSON) and decodes what the exporter sent into plain points: name, attributes, value.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { listenOnLoopback } from './listen.js';

export interface OtlpPoint {
  metric: string;
  attributes: Record<string, string>;
  /** sums and gauges */
  value?: number;
  /** histograms */
  count?: number;
  sum?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
}

export interface OtlpPush {
  resource: Record<string, string>;
  points: OtlpPoint[];
}

export interface OtlpReceiver {
  url: string;
  pushes: OtlpPush[];
  close(): Promise<void>;
}

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
const valueOf = (v: AnyValue): string => String(v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? '');
const attributesOf = (list: Array<{ key: string; value: AnyValue }> | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));

/** The OTLP JSON encoding (int64 values may come as strings) -> pushes. */
export function decodeOtlpJson(body: unknown): OtlpPush[] {
  const pushes: OtlpPush[] = [];
  for (const rm of (body as { resourceMetrics?: unknown[] }).resourceMetrics ?? []) {
    const r = rm as { resource?: { attributes?: Array<{ key: string; value: AnyValue }> }; scopeMetrics?: Array<{ metrics?: unknown[] }> };
    const points: OtlpPoint[] = [];
    for (const sm of r.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const metric = m as { name: string; sum?: { dataPoints: unknown[] }; gauge?: { dataPoints: unknown[] }; histogram?: { dataPoints: unknown[] } };
        for (const dp of [...(metric.sum?.dataPoints ?? []), ...(metric.gauge?.dataPoints ?? [])]) {
          const p = dp as { attributes?: Array<{ key: string; value: AnyValue }>; asInt?: string | number; asDouble?: number };
          points.push({ metric: metric.name, attributes: attributesOf(p.attributes), value: Number(p.asInt ?? p.asDouble ?? 0) });
        }
        for (const dp of metric.histogram?.dataPoints ?? []) {
          const p = dp as { attributes?: Array<{ key: string; value: AnyValue }>; count: string | number; sum?: number; bucketCounts?: Array<string | number>; explicitBounds?: number[] };
          points.push({
            metric: metric.name,
            attributes: attributesOf(p.attributes),
            count: Number(p.count),
            sum: Number(p.sum ?? 0),
            bucketCounts: (p.bucketCounts ?? []).map(Number),
            explicitBounds: p.explicitBounds ?? [],
          });
        }
      }
    }
    pushes.push({ resource: attributesOf(r.resource?.attributes), points });
  }
  return pushes;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const pushes: OtlpPush[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/metrics') {
        res.writeHead(404).end();
        return;
      }
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      if (!String(req.headers['content-type']).includes('json')) {
        res.writeHead(415).end();
        return;
      }
      pushes.push(...decodeOtlpJson(JSON.parse(raw.toString('utf8'))));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, pushes, close };
}
