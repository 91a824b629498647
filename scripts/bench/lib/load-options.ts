/** The command-line options every HTTP load benchmark takes (api.ts, api-backends.ts), parsed and checked once. */
import path from "node:path";
import { fail } from "./child-servers.js";

export const LOAD_OPTIONS = {
  file: { type: "string", default: "./data/seed.db" },
  duration: { type: "string", default: "10" },
  connections: { type: "string", default: "50" },
  warmup: { type: "string", default: "2" },
  "ingest-dossiers": { type: "string", default: "3000" },
  "log-level": { type: "string", default: "warn" },
  "skip-build": { type: "boolean", default: false },
  "cpu-prof": { type: "boolean", default: false },
  json: { type: "string" },
} as const;

/** The load options as numbers and paths; exits naming the option when a number is not a non-negative one. */
export function readLoadOptions(args: { file: string; duration: string; connections: string; warmup: string; "ingest-dossiers": string; "log-level": string }) {
  const options = {
    file: path.resolve(args.file),
    duration: Number(args.duration),
    connections: Number(args.connections),
    warmup: Number(args.warmup),
    ingestDossiers: Number(args["ingest-dossiers"]),
    logLevel: args["log-level"],
  };
  for (const [name, value] of [["--duration", options.duration], ["--connections", options.connections], ["--warmup", options.warmup], ["--ingest-dossiers", options.ingestDossiers]] as const)
    if (!Number.isFinite(value) || value < 0) fail(`${name} must be a non-negative number`);
  return options;
}
