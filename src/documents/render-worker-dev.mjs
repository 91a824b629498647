// Starts the rendering worker from the TypeScript sources (tests, `npm run dev`): a loader given to
// a worker as --import does not reach it on Node 20, so the worker loads its module through tsx's
// API. The built service (dist/) starts dist/documents/render-worker.js directly.
import { tsImport } from "tsx/esm/api";

await tsImport("./render-worker.ts", import.meta.url);
