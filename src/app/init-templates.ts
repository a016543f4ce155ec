// The files `perfctl init` writes: a commented example profile and a commented target table.
// Each must stay a valid profile / target table (SPEC §2, §3): the tests validate them.

export const SMOKE_PROFILE_TEMPLATE = `# A smoke test: a short, light run that checks the service answers and meets its targets.
# Run it with:      perfctl run smoke --base-url http://localhost:8080
# Check it with:    perfctl validate scenarios/smoke.yaml
# Try it first against the bundled demo service:   perfctl run smoke --demo

# Shown in every report. Default: the file's name.
name: smoke
# One line, shown by \`perfctl list\`.
description: Short smoke test - 10s ramp-up to 20 req/s, then 50s steady

# The service under test. \${NAME:-default} reads an environment variable, with a default;
# --base-url on the command line overrides it.
baseUrl: \${PERFCTL_BASE_URL:-http://127.0.0.1:8080}

# The load shape, one stage after another. Each stage lasts \`duration\` (always with a unit:
# 250ms, 30s, 2m, 1h) and ends at its level:
#   rate: N  open model, N requests started per second whatever the service does;
#   vus: N   closed model, N virtual users who each send, wait for the answer, think, repeat.
# A stage ramps linearly from \`from\` (default: the previous stage's level) to its level;
# \`duration: 0s\` with a new level is an instant jump. All stages use the same model.
stages:
  - { name: ramp-up, duration: 10s, from: 0, rate: 20 }
  - { name: steady,  duration: 50s, rate: 20 }

# The request mix: each request picks one of these, by weight.
requests:
  - name: health               # the name used in reports and in target rows
    path: /health              # joined to baseUrl; method defaults to GET
    weight: 1                  # default 1
  - name: login
    method: POST               # GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS
    path: /api/auth/login
    headers: { content-type: application/json }
    # json: is sent as the body. Secrets come from the environment and never reach a report.
    json: { email: smoke@example.com, password: "\${PERFCTL_PASSWORD:-change-me}" }
    # expect: the statuses that count as a success; default: any 2xx or 3xx
    expect: { status: [200] }
    weight: 1

# Per request; a request that takes longer counts as an error (timeout).
timeout: 10s

# Open model only: at most this many requests in flight; arrivals beyond it are counted as
# dropped (perfctl's own shortfall, not the service's errors). Default 10000.
# maxInFlight: 1000

# Closed model (vus) only: pause between a user's iterations; "500ms-1500ms" is uniform.
# thinkTime: 1s

# The targets to check: a target table file (relative to this file), or the table inline.
# --targets on the command line uses another file instead.
targets: ../targets/api.yaml
`;

export const API_TARGETS_TEMPLATE = `# Target table: the performance targets of the service, one row per operation, as in a
# performance plan's "Operation | p50 | p95 | p99" table. A profile points here with
# \`targets: ../targets/api.yaml\`, or a run uses it with --targets targets/api.yaml.
#
# Each row:
#   name:        shown in every report
#   requests:    request or step names, globs allowed ("auth-*"); default: every request
#   phase:       a stage name: only requests started during that stage; default: the whole run
#   p50, p95, p99, p99.9, max, mean:  latency that must stay below the value (with a unit)
#   errorRate:   failed / all requests must stay below it (e.g. 1%)
#   rps:         achieved requests per second must be at least this
#   abortOnFail: true stops the run early once this row has clearly failed
# Each row x metric is one check with its target, its actual value and pass/fail in the reports.
# A percentile needs enough samples to mean anything (about 200 for a p95, 1000 for a p99): a
# check with too few is reported as not judged, so keep p99 for runs longer than a smoke test.
targets:
  - name: Health check
    requests: [health]
    p50: 20ms
    p95: 50ms

  - name: User Authentication
    requests: [login]
    p50: 100ms
    p95: 200ms
    # p99: 500ms

  - name: Whole API
    errorRate: 1%
    # rps: 15                  # uncomment to require a minimum throughput

  # - name: During the steady stage
  #   phase: steady
  #   errorRate: 5%
  #   abortOnFail: true
`;
