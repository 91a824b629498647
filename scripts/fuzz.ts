/**
 * Sends generated malformed and hostile requests to every endpoint of the real app (in-process,
 * on a fresh temporary SQLite file) and fails unless none got a 5xx, every refusal was an RFC 9457
 * problem, and no refused request changed the database.
 *
 *   npx tsx scripts/fuzz.ts [--requests 10000] [--seed N] [--fingerprint-every 25] [--slow-ms 5000] [--log-errors]
 *
 * Without --seed a random one is drawn and printed; the same seed replays the same requests.
 * Exits 1 on failure, printing each failing request (method, URL, headers, body excerpt, status,
 * response excerpt) with the command that replays the run up to it; --log-errors shows the
 * app's own error log (the stack behind each 500) on stderr.
 */
import { parseArgs } from "node:util";
import { fuzzPassed, runFuzz } from "./fuzz/fuzz-engine.js";
import { formatFigures, formatVerdict } from "./fuzz/fuzz-report.js";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "10000" },
    seed: { type: "string" },
    "fingerprint-every": { type: "string", default: "25" },
    "slow-ms": { type: "string", default: "5000" },
    "log-errors": { type: "boolean", default: false },
  },
  strict: true,
});

function wholeNumber(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${option} must be a whole number, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
}

const seed = args.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : wholeNumber("seed", args.seed);
const requests = wholeNumber("requests", args.requests);
const progressEvery = Math.max(1, Math.floor(requests / 20));

const report = await runFuzz({
  requests,
  seed,
  fingerprintEvery: wholeNumber("fingerprint-every", args["fingerprint-every"]),
  slowRequestMs: wholeNumber("slow-ms", args["slow-ms"]),
  logErrors: args["log-errors"],
  onProgress: (sent) => {
    if (sent % progressEvery === 0) process.stderr.write(`\r${sent} requests sent`);
  },
});
process.stderr.write("\n");
console.log(formatFigures(report));
console.log("");
console.log(formatVerdict(report));
process.exitCode = fuzzPassed(report) ? 0 : 1;
