// The demo service's behaviour as a pure, seeded model: for each request that arrives it decides
// how long the answer takes and whether it fails. No timers and no I/O here, so the model can be
// tested in a table; demo-server.ts applies its decisions with setTimeout.
//
// Latency of one request, in ms:
//
//   serviceMs  = medianMs * exp(spread * z)       z ~ N(0,1): lognormal around the median
//                (x slowTailFactor with probability slowTailRate: the odd GC pause or cold cache)
//   overloadMs = overloadMsPerRequest * max(0, inFlight - capacity)     capped at maxOverloadMs
//   delayMs    = (serviceMs + overloadMs) * latencyScale
//
// inFlight counts the requests in service when this one arrives, itself included. With an
// arrival rate of λ requests/ms and a mean service time of b ms, the mean time in service W
// settles at (b - k·C) / (1 - λ·k) once λ·W > C (k = overloadMsPerRequest, C = capacity):
// latency grows smoothly with the load and without bound as λ approaches 1/k, the saturation
// rate. Beyond shedAbove requests in service, new arrivals are answered 503 at once.

export const DEMO_ROUTES = [
  'health',
  'login',
  'listChallenges',
  'getChallenge',
  'createSubmission',
  // the user journeys' endpoints (examples/journeys/): they require `authorization: Bearer <token>`
  'me',
  'getSubmission',
  'tutorChat',
  'createCollabSession',
  'collabEdit',
  // the real-time endpoints (demo-realtime.ts): one WebSocket edit, and the tutor's first streamed chunk
  'collabSocket',
  'tutorStream',
] as const;
export type DemoRoute = (typeof DEMO_ROUTES)[number];

export interface RouteBehaviour {
  /** median latency when the service is not loaded, ms */
  medianMs: number;
  /** sigma of the lognormal: p95 ≈ median·e^(1.645σ), p99 ≈ median·e^(2.326σ) */
  spread: number;
  /** share of requests answered 500, 0..1 */
  errorRate: number;
}

export interface CapacityModel {
  /** requests in service beyond which latency grows */
  capacity: number;
  /** latency added per request in service beyond `capacity`, ms */
  overloadMsPerRequest: number;
  /** cap on the added latency, ms */
  maxOverloadMs: number;
  /** beyond this many requests in service, new arrivals are answered 503 at once */
  shedAbove: number;
}

export interface DemoModelOptions {
  /** PRNG seed; the same seed and the same order of arrivals give the same decisions */
  seed?: number;
  /** multiplies every delay: 0 answers at once (fast tests), 2 is a service twice as slow */
  latencyScale?: number;
  /** per-route overrides of the defaults below */
  routes?: Partial<Record<DemoRoute, Partial<RouteBehaviour>>>;
  capacity?: Partial<CapacityModel>;
}

export type DemoDecision =
  | { kind: 'serve'; delayMs: number; fail: boolean }
  | { kind: 'shed' };

export const DEFAULT_SEED = 1;

/** Medians after the seeds' measured benchmarks, scaled down so that a laptop can drive the demo. */
export const DEFAULT_ROUTE_BEHAVIOUR: Readonly<Record<DemoRoute, RouteBehaviour>> = {
  health: { medianMs: 1, spread: 0.25, errorRate: 0 },
  login: { medianMs: 25, spread: 0.35, errorRate: 0.001 },
  listChallenges: { medianMs: 15, spread: 0.35, errorRate: 0.0005 },
  getChallenge: { medianMs: 8, spread: 0.35, errorRate: 0.0005 },
  createSubmission: { medianMs: 40, spread: 0.4, errorRate: 0.005 },
  me: { medianMs: 6, spread: 0.3, errorRate: 0.0005 },
  getSubmission: { medianMs: 10, spread: 0.35, errorRate: 0.0005 },
  // the AI tutor is the slow one (the seeds: p50 < 2 s), scaled down like the rest
  tutorChat: { medianMs: 400, spread: 0.45, errorRate: 0.0015 },
  // real-time collaboration is the fast one (the seeds: p50 < 50 ms)
  createCollabSession: { medianMs: 12, spread: 0.3, errorRate: 0.001 },
  collabEdit: { medianMs: 5, spread: 0.3, errorRate: 0.001 },
  // an edit over the socket (SampleMind's "WS latency p50 25 ms", scaled down); a failed one is dropped
  collabSocket: { medianMs: 8, spread: 0.35, errorRate: 0.0005 },
  // the streamed answer's think time before its first chunk; a failed stream is cut halfway
  tutorStream: { medianMs: 300, spread: 0.35, errorRate: 0.002 },
};

/**
 * With the built-in mix (mean service ≈ 21 ms) the service saturates near 1000 req/s:
 * at 30 req/s nothing queues, at 600 req/s latency roughly doubles, at 800 req/s it is ×4.
 */
export const DEFAULT_CAPACITY: Readonly<CapacityModel> = {
  capacity: 4,
  overloadMsPerRequest: 1,
  maxOverloadMs: 5000,
  shedAbove: 2000,
};

const SLOW_TAIL_RATE = 0.002;
const SLOW_TAIL_FACTOR = 4;
/** a lognormal draw is capped at this many medians, so one unlucky draw cannot stall a test */
const MAX_SERVICE_MEDIANS = 12;

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoModel {
  readonly seed: number;
  readonly routes: Readonly<Record<DemoRoute, RouteBehaviour>>;
  readonly capacity: Readonly<CapacityModel>;
  readonly latencyScale: number;
  /** decide the fate of one request that arrives while `inFlight` requests (itself included) are in service */
  decide(route: DemoRoute, inFlight: number): DemoDecision;
  /** the same draw for a route that has no behaviour of its own (404s, 405s): fast, never fails */
  decideMinor(inFlight: number): DemoDecision;
}

export function createDemoModel(options: DemoModelOptions = {}): DemoModel {
  const seed = (options.seed ?? DEFAULT_SEED) >>> 0;
  const latencyScale = options.latencyScale ?? 1;
  if (!(latencyScale >= 0) || !Number.isFinite(latencyScale)) {
    throw new RangeError(`latencyScale must be a finite number >= 0, got ${latencyScale}`);
  }
  const routes = {} as Record<DemoRoute, RouteBehaviour>;
  for (const route of DEMO_ROUTES) {
    routes[route] = { ...DEFAULT_ROUTE_BEHAVIOUR[route], ...options.routes?.[route] };
  }
  const capacity: CapacityModel = { ...DEFAULT_CAPACITY, ...options.capacity };
  const random = mulberry32(seed);

  const standardNormal = (): number => {
    // Box-Muller; 1 - u keeps the log argument in (0, 1]
    const u1 = 1 - random();
    const u2 = random();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };

  const overloadMs = (inFlight: number): number =>
    Math.min(
      capacity.maxOverloadMs,
      capacity.overloadMsPerRequest * Math.max(0, inFlight - capacity.capacity),
    );

  const draw = (behaviour: RouteBehaviour, inFlight: number): DemoDecision => {
    // always consume the same number of draws per request, so decisions stay aligned
    const z = standardNormal();
    const tail = random() < SLOW_TAIL_RATE ? SLOW_TAIL_FACTOR : 1;
    const fail = random() < behaviour.errorRate;
    if (inFlight > capacity.shedAbove) return { kind: 'shed' };
    const serviceMs = Math.min(
      behaviour.medianMs * Math.exp(behaviour.spread * z) * tail,
      behaviour.medianMs * MAX_SERVICE_MEDIANS,
    );
    return { kind: 'serve', delayMs: (serviceMs + overloadMs(inFlight)) * latencyScale, fail };
  };

  const minor: RouteBehaviour = { medianMs: 1, spread: 0.25, errorRate: 0 };

  return {
    seed,
    routes,
    capacity,
    latencyScale,
    decide: (route, inFlight) => draw(routes[route], inFlight),
    decideMinor: (inFlight) => draw(minor, inFlight),
  };
}
