// The commands and their flags (SPEC §1). Each action calls one use-case in src/app.
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Io } from '../io.js';

type SetExit = (code: number) => void;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerCommands(program: Command, io: Io, setExit: SetExit): void {
  program
    .command('run')
    .description('run a load profile: live progress, final tables, reports; the exit code is the verdict')
    .argument('<profile...>', 'a profile name (./scenarios/<name>.yaml, then the built-ins), a path, or an http(s) URL for an ad-hoc test; several run one after another (or at once with --concurrent)')
    .option('-u, --base-url <url>', "base URL of the service under test (overrides the profile's baseUrl)")
    .option('--demo', 'start the bundled demo service on a free loopback port and test it')
    .option('--tls', 'with --demo: the demo over HTTPS (h2 or HTTP/1.1 by ALPN) with a certificate it makes at start-up, which this run accepts')
    .option('--targets <file>', "a target table file, used instead of the profile's own")
    .option('--target <expr>', "an extra target row in k6 threshold syntax (repeatable): 'p95<200ms', 'errorRate<1%', 'rps>=500', 'login:p99<500ms'", collect, [])
    .option('-d, --duration <dur>', 'stretch or compress every stage in proportion so the run lasts <dur> (e.g. 60s)')
    .option('--scale <x>', "multiply every stage's rate or vus by x")
    .option('--out <dir>', 'write the reports into <dir> (default perf-results/<profile>-<YYYYMMDD-HHMMSS>/)')
    .option('--format <list>', 'reports to write, from json,html,junit,md (result.json is always written)', 'json,html')
    .option('--baseline <result>', 'compare with an earlier result (or a directory of results, or several joined with commas); a regression fails the run')
    .option('--tolerance <spec>', 'regression tolerance, e.g. 10% or latency=5%,throughput=10%,errorRate=0.5%')
    .option('--shard <i/n|k8s>', 'run slice i of n equal slices of the load; k8s: i from JOB_COMPLETION_INDEX (0-based), n from --shard-count or PERFCTL_SHARD_COUNT')
    .option('--shard-count <n>', 'with --shard k8s: the number of shards (the Job\'s completions)')
    .option('--start-at <time>', 'start the load at this instant (ISO-8601 with a zone, or +30s), so shards start together')
    .option('--log-result', 'also print result.json to stdout after a marker line, for merge --from-logs')
    .option('--workers <n>', 'run the schedule in n worker threads (default 1: the main thread); more when perfctl itself is the limit (exit 4)')
    .option('--transport <client>', "HTTP client: raw (perfctl's lean HTTP/1.1 client, default) or undici")
    .option('--insecure', 'accept any TLS certificate (self-signed, expired, another name), as http.tls.insecure')
    .option('--quiet', 'print only the final verdict line')
    .option('--no-progress', 'no live progress line')
    .option('--export <kind=where>', 'live metrics while the run goes (repeatable): prometheus=127.0.0.1:9464, otlp=http://127.0.0.1:4318, ndjson=<file>, statsd=127.0.0.1:8125', collect, [])
    .option('--export-linger <dur>', 'keep serving /metrics this long after the end, so the last scrape sees it (default 15s)')
    .option('--checkpoint <dur>', 'rewrite result.json (status running) at this interval during the run, or off (default 10s)')
    .option('-c, --vus <n>', 'closed model: one hold of n users instead of the stages (ad-hoc default 10)')
    .option('-R, --rate <r>', 'open model: one hold of r requests/s instead of the stages')
    .option('-n, --requests <n>', 'stop once n requests (flow iterations) were sent')
    .option('-m, --method <method>', 'ad-hoc URL: the HTTP method (default GET, POST with -b)')
    .option('-H, --header <name: value>', 'ad-hoc URL: a request header (repeatable)', collect, [])
    .option('-b, --body <text|@file>', 'ad-hoc URL: the request body, or @file to read it from a file')
    .option('-T, --content-type <type>', 'ad-hoc URL: the content-type header')
    .option('--timeout <dur>', 'per-request timeout (default 10s)')
    .option('-e, --env <NAME=value>', 'a value for ${NAME} in the profile (repeatable)', collect, [])
    .option('--env-file <path>', 'a dotenv file of values for ${NAME}')
    .option('--seed <n>', 'make every random choice repeatable (same seed, same requests)')
    .option('--label <text>', 'a label for this run, shown in every report')
    .option('--meta <key=value>', 'a note recorded with the run (repeatable)', collect, [])
    .option('--print-profile', 'print the resolved profile as YAML and exit')
    .option('--repeat <n>', 'n runs one after the other into one folder (result-1.json …), compared with --baseline over all n')
    .option('--concurrent', 'several profiles at the same time, as the scenarios of one run (one result)')
    .action(async (profiles: string[], flags) => {
      // each command loads its modules when it runs, so `--help` and `--version` start fast
      if (profiles.length > 1) {
        const { runManyCommand } = await import('../app/run-many.js');
        setExit(await runManyCommand(profiles, flags, io));
        return;
      }
      const profile = profiles[0]!;
      if (flags.repeat !== undefined) {
        const { repeatCommand } = await import('../app/run-repeat.js');
        setExit(await repeatCommand(profile, flags, io));
        return;
      }
      const { runCommand } = await import('../app/run.js');
      setExit(await runCommand(profile, flags, io));
    });

  program
    .command('validate')
    .description('check profiles and target tables without sending any request')
    .argument('<file...>', 'profile or target-table files')
    .option('--targets <file>', 'check the profiles with this target table, exactly as run --targets would')
    .option('--demo', 'check them as run --demo would (the demo process is monitored)')
    .action(async (files: string[], flags: { targets?: string; demo?: boolean }) => {
      const { validateCommand } = await import('../app/validate.js');
      setExit(await validateCommand(files, io, flags));
    });

  program
    .command('list')
    .description('the profiles available here (./scenarios/ first, then the built-ins)')
    .action(async () => {
      const { listCommand } = await import('../app/list.js');
      setExit(await listCommand(io));
    });

  program
    .command('compare')
    .description('regression report between two results; exit 1 on a regression')
    .argument('<baseline>', 'the baseline: a result.json, a directory of results (each run one observation), or several joined with commas')
    .argument('<current>', 'the current run(s), the same way')
    .option('--tolerance <spec>', 'e.g. 10% or latency=5%,throughput=10%,errorRate=0.5% (default: 10%, 10%, 1 point)')
    .option('--force', 'compare results of different profiles')
    .option('--json', 'print the comparison as JSON')
    .action(async (baseline: string, current: string, flags: { tolerance?: string; force?: boolean; json?: boolean }) => {
      const { compareCommand } = await import('../app/compare.js');
      setExit(
        await compareCommand(baseline, current, {
          ...(flags.tolerance ? { tolerance: flags.tolerance } : {}),
          force: Boolean(flags.force),
          format: flags.json ? 'json' : 'text',
          cwd: io.cwd,
          io: { stdout: (s: string) => io.out(s) },
        }),
      );
    });

  program
    .command('history')
    .description('the runs of one profile in time order: trends, change points; exit 1 when the newest run is after a change for the worse')
    .argument('<results...>', 'result.json files, or directories holding them')
    .option('--out <dir>', 'also write history.html (one chart per group and metric) and history.json into <dir>')
    .option('--metric <list>', 'metrics to follow, from p50,p95,p99,rps,errorRate (default all)')
    .option('--group <name>', 'a request, step or flow to follow, or total (repeatable; default the totals and every group)', (v: string, all: string[] = []) => [...all, v])
    .option('--tolerance <spec>', 'what counts as a change for the worse, as for compare (default: 10%, 10%, 1 point)')
    .option('--force', 'take results of several profiles')
    .option('--json', 'print the history as JSON')
    .action(async (results: string[], flags: { out?: string; metric?: string; group?: string[]; tolerance?: string; force?: boolean; json?: boolean }) => {
      const { historyCommand } = await import('../app/history.js');
      setExit(await historyCommand(results, flags, io));
    });

  program
    .command('report')
    .description('write HTML/JUnit/Markdown again from results; several results make one sign-off report')
    .argument('<result...>', 'result.json files')
    .option('--out <dir>', 'where to write (default: beside a single result; perf-results/signoff-<time>/ for several)')
    .option('--format <list>', 'reports to write, from html,junit,md', 'html,junit,md')
    .action(async (files: string[], flags: { out?: string; format?: string }) => {
      const { reportCommand } = await import('../app/report.js');
      setExit(await reportCommand(files, flags, io));
    });

  program
    .command('merge')
    .description('merge the results of the shards of one run into one result (histograms added, never averaged)')
    .argument('<result...>', 'the shards\' result.json files (with --from-logs: their logs)')
    .requiredOption('--out <dir>', 'where to write the merged result and reports')
    .option('--format <list>', 'reports to write, from json,html,junit,md', 'json,html')
    .option('--from-logs', 'read the results the shards printed with --log-result from log files (kubectl logs output)')
    .option('--force', 'merge what is not one shard set (starts more than 2 s apart, different plans, missing shards, whole runs); the report says so first')
    .action(async (files: string[], flags: { out: string; format?: string; fromLogs?: boolean; force?: boolean }) => {
      const { mergeCommand } = await import('../app/merge.js');
      setExit(await mergeCommand(files, flags, io));
    });

  program
    .command('import')
    .description("convert another tool's test (Artillery YAML, k6 script, HAR recording) or a plan's Markdown target table into a perfctl profile or target table")
    .argument('<file>', 'the file to convert')
    .option('--from <kind>', 'artillery, k6, har or markdown (default: guessed from the content)')
    .option('-o, --output <file>', 'write the profile (or target table) here (default: print it)')
    .option('-u, --base-url <url>', 'the service to test, instead of the one the source names')
    .option('--include-assets', 'HAR: keep images, fonts, stylesheets and scripts')
    .option('--profile <profile>', "Markdown: match the rows to this profile's request names")
    .option('--table <n>', 'Markdown: convert the n-th table of the file (default: the first target table)')
    .action(async (file: string, flags) => {
      const { importCommand } = await import('../app/import.js');
      setExit(await importCommand(file, flags, io));
    });

  program
    .command('init')
    .description('scaffold scenarios/ and targets/ with commented examples')
    .argument('[dir]', 'where to create them', '.')
    .action(async (dir: string) => {
      const { initProject } = await import('../app/init.js');
      const written = await initProject(resolve(io.cwd, dir));
      io.out(written.length > 0 ? `${written.map((f) => `created ${f}`).join('\n')}\n` : 'nothing to do: every file already exists\n');
      setExit(0);
    });

  program
    .command('demo')
    .description('run the bundled demo service (to try perfctl, and for tests)')
    .addOption(new Option('--port <n>', 'port to listen on (0 = a free one)').default('8080'))
    .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
    .option('--tls', 'HTTPS with a self-signed certificate made at start-up: h2 or HTTP/1.1 by ALPN (without it: HTTP/1.1 and h2c)')
    .action(async (flags: { port: string; host: string; tls?: boolean }) => {
      const { demoCommand } = await import('../app/demo.js');
      setExit(await demoCommand(flags, io));
    });
}
