/**
 * The fuzzer: the real app on a fresh SQLite file, a seeded fixture, then N generated hostile
 * requests across every endpoint of the app's OpenAPI document (plus the hidden operational
 * ones), each judged by the oracle as it is answered. In-process (`app.inject`), so that raw
 * malformed payloads, any content type and raw path tricks reach the app as written.
 * Used by scripts/fuzz.ts (the full run) and test/http/fuzz.test.ts (a smaller one).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { buildServiceApp } from "../../src/composition.js";
import { FUZZ_ADMIN_KEY, FUZZ_NOW, seedFuzzWorld } from "./fuzz-fixture.js";
import { databaseProbe, violations, type DatabaseProbe, type FuzzResponse } from "./fuzz-oracle.js";
import { regressionRequests } from "./regressions.js";
import { RequestGenerator, STRATEGIES, type FuzzRequest } from "./request-generator.js";
import { routeKey, routesFromOpenApi, UNDOCUMENTED_ROUTES, type OpenApiDocument } from "./route-catalog.js";
import { SeededRandom } from "./seeded-random.js";

export interface FuzzOptions {
  /** Generated requests; the pinned regressions (regressions.ts) are sent first, on top. */
  readonly requests: number;
  readonly seed: number;
  /** Fingerprint the whole database around every Nth request (0: never); total_changes() is checked on all. */
  readonly fingerprintEvery?: number;
  /** A request that keeps the event loop busy longer than this starves every other client: a failure. */
  readonly slowRequestMs?: number;
  /** Let the app log its errors (the stack behind a 500) on stderr. */
  readonly logErrors?: boolean;
  readonly onProgress?: (sent: number) => void;
}

export const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];
export type ClassCounts = Record<StatusClass, number> & { sent: number; elapsedMs: number };

/** The request as sent (all but its payload), what came back, and why that breaks the contract. */
export interface FuzzFailure extends Pick<FuzzRequest, "index" | "route" | "strategy" | "mutation" | "method" | "url" | "headers"> {
  readonly bodyExcerpt: string;
  readonly status: number;
  readonly responseExcerpt: string;
  readonly elapsedMs: number;
  readonly reasons: readonly string[];
}

export interface TimedRequest {
  readonly index: number;
  readonly method: string;
  readonly url: string;
  readonly mutation: string;
  readonly status: number;
  readonly elapsedMs: number;
}

export interface FuzzReport {
  readonly seed: number;
  readonly requests: number;
  readonly elapsedMs: number;
  readonly totals: ClassCounts;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byRoute: Readonly<Record<string, ClassCounts>>;
  readonly byStrategy: Readonly<Record<string, ClassCounts>>;
  /** Mutated requests (any strategy but "valid") that were nonetheless accepted. */
  readonly acceptedMutations: number;
  readonly slowest: readonly TimedRequest[];
  /** Every request that broke the oracle (the first MAX_FAILURES_KEPT in detail). */
  readonly failureCount: number;
  readonly failures: readonly FuzzFailure[];
  /** Endpoints no request reached: the run was too short, or the catalog is wrong. */
  readonly uncoveredRoutes: readonly string[];
  /** PRAGMA integrity_check at the end: "ok". */
  readonly integrity: string;
}

const MAX_FAILURES_KEPT = 50;
const SLOWEST_KEPT = 5;
const EXCERPT = 300;

export const fuzzPassed = (report: FuzzReport): boolean => report.failureCount === 0 && report.uncoveredRoutes.length === 0 && report.integrity === "ok";

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-fuzz-"));
  try {
    const app = await buildServiceApp({
      config: { dbFile: path.join(dir, "motcua.db"), adminKey: FUZZ_ADMIN_KEY, logLevel: "silent" },
      logger: options.logErrors ? { level: "error", stream: process.stderr } : false,
      now: () => FUZZ_NOW,
      publicRateLimit: { max: 1_000_000_000, timeWindowMs: 60_000 },
      // Load shedding would answer 503 to whichever request follows a slow one; the fuzzer judges
      // each request on its own and measures the slow one itself (slowRequestMs).
      loadShedding: false,
      // The outbound loops write on their own timers; the oracle compares what each request wrote.
      outbound: { loops: false },
    });
    try {
      await app.ready();
      const random = new SeededRandom(options.seed);
      const world = await seedFuzzWorld(app, random);
      const routes = [...routesFromOpenApi(app.swagger() as unknown as OpenApiDocument), ...UNDOCUMENTED_ROUTES];
      const requests = plannedRequests(regressionRequests(world), new RequestGenerator(routes, world, random), options.requests);
      return await fuzzRoutes(app, options, requests, routes.map(routeKey));
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The pinned regressions, then the generated requests, made one at a time (some bodies weigh a megabyte). */
function* plannedRequests(regressions: readonly FuzzRequest[], generator: RequestGenerator, count: number): Generator<FuzzRequest> {
  yield* regressions;
  for (let index = 0; index < count; index++) yield generator.next(index);
}

async function fuzzRoutes(app: FastifyInstance, options: FuzzOptions, requests: Iterable<FuzzRequest>, routeKeys: readonly string[]): Promise<FuzzReport> {
  const probe = databaseProbe(app.database.sqlite);
  const tally = new Tally(routeKeys);
  const started = performance.now();
  let position = 0;
  for (const request of requests) {
    const { response, elapsedMs } = await send(app, probe, request, sampled(options.fingerprintEvery, position));
    const reasons = violations(request, response);
    if (options.slowRequestMs !== undefined && elapsedMs > options.slowRequestMs)
      reasons.push(`took ${Math.round(elapsedMs)} ms (limit ${options.slowRequestMs} ms): one such request stalls every other client`);
    tally.record(request, response, elapsedMs, reasons);
    options.onProgress?.(++position);
  }
  return tally.report(options.seed, performance.now() - started, probe.integrity());
}

const sampled = (every: number | undefined, position: number) => every !== undefined && every > 0 && position % every === 0;

async function send(app: FastifyInstance, probe: DatabaseProbe, request: FuzzRequest, fingerprint: boolean): Promise<{ response: FuzzResponse; elapsedMs: number }> {
  // The access audit group-commits on the next turn of the event loop: commit the previous
  // request's entries now, so that they are not counted against this one.
  app.services.audit.flush();
  const changesBefore = probe.totalChanges();
  const contentBefore = fingerprint ? probe.fingerprint() : undefined;
  const started = performance.now();
  const res = await app.inject({
    method: request.method as "GET",
    url: request.url,
    headers: request.headers,
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  });
  const elapsedMs = performance.now() - started;
  const rowsChanged = probe.totalChanges() - changesBefore;
  // Only a refused request's content is compared: an accepted one may change it.
  const contentChanged = contentBefore !== undefined && res.statusCode >= 400 ? probe.fingerprint() !== contentBefore : undefined;
  return { response: { status: res.statusCode, contentType: String(res.headers["content-type"] ?? ""), body: res.body, rowsChanged, contentChanged }, elapsedMs };
}

const classOf = (status: number): StatusClass => (status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx");
const emptyCounts = (): ClassCounts => ({ sent: 0, elapsedMs: 0, "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 });

/** The figures of a run, accumulated request by request. */
class Tally {
  private readonly totals = emptyCounts();
  private readonly byStatus: Record<string, number> = {};
  private readonly byRoute: Record<string, ClassCounts>;
  private readonly byStrategy: Record<string, ClassCounts> = Object.fromEntries([...STRATEGIES, "regression"].map((s) => [s, emptyCounts()]));
  private acceptedMutations = 0;
  private slowest: TimedRequest[] = [];
  private failureCount = 0;
  private readonly failures: FuzzFailure[] = [];

  constructor(routeKeys: readonly string[]) {
    this.byRoute = Object.fromEntries(routeKeys.map((key) => [key, emptyCounts()]));
  }

  record(request: FuzzRequest, response: FuzzResponse, elapsedMs: number, reasons: readonly string[]): void {
    const statusClass = classOf(response.status);
    for (const counts of [this.totals, (this.byRoute[request.route] ??= emptyCounts()), this.byStrategy[request.strategy]!]) {
      counts.sent++;
      counts.elapsedMs += elapsedMs;
      counts[statusClass]++;
    }
    this.byStatus[response.status] = (this.byStatus[response.status] ?? 0) + 1;
    if (statusClass === "2xx" && request.strategy !== "valid" && request.strategy !== "regression") this.acceptedMutations++;
    this.keepIfSlow({ index: request.index, method: request.method, url: excerpt(request.url, 120), mutation: request.mutation, status: response.status, elapsedMs });
    if (reasons.length === 0) return;
    this.failureCount++;
    if (this.failures.length < MAX_FAILURES_KEPT) this.failures.push(failureOf(request, response, elapsedMs, reasons));
  }

  private keepIfSlow(timed: TimedRequest): void {
    if (this.slowest.length === SLOWEST_KEPT && timed.elapsedMs <= this.slowest[SLOWEST_KEPT - 1]!.elapsedMs) return;
    this.slowest = [...this.slowest, timed].sort((a, b) => b.elapsedMs - a.elapsedMs).slice(0, SLOWEST_KEPT);
  }

  report(seed: number, elapsedMs: number, integrity: string): FuzzReport {
    return {
      seed,
      requests: this.totals.sent,
      elapsedMs,
      totals: this.totals,
      byStatus: this.byStatus,
      byRoute: this.byRoute,
      byStrategy: this.byStrategy,
      acceptedMutations: this.acceptedMutations,
      slowest: this.slowest,
      failureCount: this.failureCount,
      failures: this.failures,
      uncoveredRoutes: Object.entries(this.byRoute)
        .filter(([, counts]) => counts.sent === 0)
        .map(([key]) => key),
      integrity,
    };
  }
}

function failureOf(request: FuzzRequest, response: FuzzResponse, elapsedMs: number, reasons: readonly string[]): FuzzFailure {
  return {
    index: request.index,
    route: request.route,
    strategy: request.strategy,
    mutation: request.mutation,
    method: request.method,
    url: excerpt(request.url, EXCERPT),
    headers: request.headers,
    bodyExcerpt: payloadExcerpt(request.payload),
    status: response.status,
    responseExcerpt: excerpt(response.body, EXCERPT),
    elapsedMs,
    reasons,
  };
}

const excerpt = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`);

function payloadExcerpt(payload: string | Buffer | undefined): string {
  if (payload === undefined) return "(none)";
  if (typeof payload === "string") return excerpt(payload, EXCERPT);
  return `(${payload.length} bytes) ${excerpt(payload.toString("utf8"), EXCERPT)}`;
}
