/**
 * Server bench: requests per second and p50/p99 latency of perstore's REST
 * server (createHandler + serveNode, the admin token) over a memory store and
 * over PGlite, against a bare node:http handler serving the same books from a
 * Map (the floor) and json-server 0.17 on the same data, all loaded by
 * autocannon in this process while each server runs in a process of its own.
 * Every server must give the same answers first, or the run fails.
 *
 *   npx tsx bench/server.ts [--records 10000] [--seconds 2] [--rounds 3] [--connections 10]
 *
 * Each case runs `rounds` times per server, round-robin over the servers, and
 * the median round is reported: on a shared machine the load changes
 * between runs, and this spreads it over every server alike.
 *
 * Cases: GET one book by id (a random one of all), a paged query (one
 * author's books sorted by title, the first 20 by `Range: items=0-19`; 100
 * books per author) and PUT (a full replace of a random book).
 *
 * Besides requests per second, each round reads the server process's CPU time
 * (user + system, from /proc on Linux) and reports it per request: on a shared
 * machine the throughput of one round swings with the other jobs, while the
 * CPU a server spends per request stays within ~10-15%.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { mulberry32 } from "./data.js";
import { AUTHOR_COUNT, authorId, benchBooks, BENCH_TOKEN, isbnOf } from "./lib/server-data.js";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "10000" },
    seconds: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "10" },
  },
});
const RECORDS = Number(values.records);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const ROUNDS = Number(values.rounds);
const books = benchBooks(RECORDS);

interface Target {
  readonly kind: string;
  readonly label: string;
  readonly headers: Record<string, string>;
  readonly record: (isbn: string) => string;
  readonly page: (author: string) => { path: string; headers: Record<string, string> };
}

const perstorePaths = {
  record: (isbn: string) => `/Book/${isbn}`,
  page: (author: string) => ({
    path: `/Book/?authorId=${author}&sort(+title)`,
    headers: { range: "items=0-19" },
  }),
};
const admin = { authorization: `Bearer ${BENCH_TOKEN}` };
const TARGETS: readonly Target[] = [
  { kind: "bare", label: "bare node:http + Map (floor)", headers: {}, ...perstorePaths },
  { kind: "memory", label: "perstore, memory store", headers: admin, ...perstorePaths },
  { kind: "pglite", label: "perstore, SQL store on PGlite", headers: admin, ...perstorePaths },
  {
    kind: "json-server",
    label: "json-server 0.17",
    headers: {},
    record: (isbn) => `/books/${isbn}`,
    page: (author) => ({
      path: `/books?authorId=${author}&_sort=title&_start=0&_end=20`,
      headers: {},
    }),
  },
];

/** Starts a target's server process; resolves once it prints its URL. */
async function start(kind: string): Promise<{ url: string; child: ChildProcess }> {
  const script = new URL("./lib/serve-target.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, ["--import", "tsx", script, kind, String(RECORDS)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`${kind} server exited (${code}): ${output}`)));
  });
  return { url, child };
}

/** The answers every server must agree on before it is measured. */
async function check(target: Target, url: string): Promise<string> {
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url + path, { headers: { ...target.headers, ...headers } });
    if (!response.ok) throw new Error(`${target.kind}: GET ${path} -> ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  const one = await get(target.record(isbnOf(42)));
  const page = target.page(authorId(7));
  const isbns = ((await get(page.path, page.headers)) as { isbn: string }[]).map((b) => b.isbn);
  const put = await fetch(url + target.record(isbnOf(43)), {
    method: "PUT",
    headers: { ...target.headers, "content-type": "application/json" },
    body: JSON.stringify({ ...books[43], price: 99 }),
  });
  if (put.status !== 200) throw new Error(`${target.kind}: PUT -> ${put.status}`);
  const after = (await get(target.record(isbnOf(43)))) as { price: number };
  // Key order differs between stores (SQL columns come back in table order): compare sorted.
  const sorted = Object.fromEntries(
    Object.entries(one as object).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return JSON.stringify({ one: sorted, isbns, price: after.price });
}

interface CaseResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  /** The server process's CPU time per request, µs (NaN where /proc is missing). */
  readonly cpuPerRequest: number;
}

/** CPU time (user + system) of process `pid` so far, in µs; NaN where /proc is missing. */
function cpuTime(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every common kernel). */
const CLOCK_TICKS = 100;

type Next = () => {
  method: "GET" | "PUT";
  path: string;
  headers?: Record<string, string>;
  body?: string;
};

/** Loads one server for SECONDS with CONNECTIONS, each request made by `next()`. */
async function load(
  server: { url: string; child: ChildProcess },
  headers: Record<string, string>,
  next: Next,
  seconds: number,
): Promise<CaseResult> {
  const cpuBefore = cpuTime(server.child.pid);
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const made = next();
          return { ...request, ...made, headers: { ...headers, ...made.headers } };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
    cpuPerRequest: (cpuTime(server.child.pid) - cpuBefore) / result.requests.total,
  };
}

const CASES: readonly { name: string; next: (target: Target, random: () => number) => Next }[] = [
  {
    name: "GET by id",
    next: (target, random) => () => ({
      method: "GET",
      path: target.record(isbnOf(Math.floor(random() * RECORDS))),
    }),
  },
  {
    name: "paged query (Range, 20 of 100)",
    next: (target, random) => () => ({
      method: "GET",
      ...target.page(authorId(Math.floor(random() * AUTHOR_COUNT))),
    }),
  },
  {
    name: "PUT (full replace)",
    next: (target, random) => () => {
      const i = Math.floor(random() * RECORDS);
      return {
        method: "PUT",
        path: target.record(isbnOf(i)),
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...books[i], price: Math.floor(random() * 100) }),
      };
    },
  },
];

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<number> {
  console.log(
    `server bench: ${RECORDS} books, ${ROUNDS} rounds of ${SECONDS} s per case and server, ` +
      `${CONNECTIONS} connections; ${cpus().length} cores, load average ` +
      loadavg()
        .map((n) => n.toFixed(1))
        .join(" "),
  );
  const servers: { url: string; child: ChildProcess }[] = [];
  try {
    let expected: string | undefined;
    for (const target of TARGETS) {
      const server = await start(target.kind);
      servers.push(server);
      const answer = await check(target, server.url);
      expected ??= answer;
      if (answer !== expected)
        throw new Error(`${target.kind} answers differently:\n${answer}\nvs\n${expected}`);
    }
    // Round-robin, in a rotating order, so a change in the machine's load falls on
    // every server alike; a first unrecorded second per case warms each one up.
    const results = CASES.map(() => TARGETS.map((): CaseResult[] => []));
    for (const [c, kase] of CASES.entries())
      for (let round = -1; round < ROUNDS; round++)
        for (let k = 0; k < TARGETS.length; k++) {
          const t = (k + Math.max(round, 0)) % TARGETS.length;
          const target = TARGETS[t]!;
          const random = mulberry32(1000 * c + round + 1);
          const result = await load(
            servers[t]!,
            target.headers,
            kase.next(target, random),
            round < 0 ? 1 : SECONDS,
          );
          if (result.failed > 0)
            throw new Error(`${target.kind} ${kase.name}: ${result.failed} requests failed`);
          if (round >= 0) results[c]![t]!.push(result);
        }
    console.log(
      "\n| case | server | req/s | vs bare | p50 ms | p99 ms | server CPU µs/req | bare / server (CPU) |" +
        "\n| --- | --- | --: | --: | --: | --: | --: | --: |",
    );
    const summary = results.map((byTarget) =>
      byTarget.map((runs) => ({
        rps: median(runs.map((r) => r.rps)),
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        cpu: median(runs.map((r) => r.cpuPerRequest)),
      })),
    );
    for (const [c, kase] of CASES.entries())
      for (const [t, target] of TARGETS.entries()) {
        const r = summary[c]![t]!;
        const ratio = (r.rps / summary[c]![0]!.rps).toFixed(2);
        const cpuRatio = (summary[c]![0]!.cpu / r.cpu).toFixed(2);
        console.log(
          `| ${kase.name} | ${target.label} | ${r.rps.toFixed(0)} | ${ratio}x | ${r.p50} | ${r.p99} ` +
            `| ${r.cpu.toFixed(0)} | ${cpuRatio}x |`,
        );
      }
    const getRatio = summary[0]![1]!.rps / summary[0]![0]!.rps;
    const getCpuRatio = summary[0]![0]!.cpu / summary[0]![1]!.cpu;
    console.log(
      `\ntarget: perstore (memory) GET by id >= 0.6x the bare handler: ${getRatio.toFixed(2)}x ` +
        `(${getRatio >= 0.6 ? "met" : "not met"}); by CPU per request ${getCpuRatio.toFixed(2)}x`,
    );
    return 0;
  } finally {
    for (const { child } of servers) {
      child.kill("SIGTERM");
      if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
    }
  }
}

process.exitCode = await main();
