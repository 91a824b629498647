/**
 * Rendering off the event loop. pdfkit lays out and compresses synchronously: measured on the
 * 2-core server (scripts/bench/forms.ts, docs/BENCHMARKS.md "Printable forms"), a receipt holds
 * the loop ~20 ms, a 40-step control sheet ~50 ms and a 500-row register ~0.5 s, during which no
 * dossier lookup is answered. So forms are rendered by worker threads: the loop only sends the
 * model and receives the bytes.
 *
 * Workers start on the first PDF (most processes print nothing), are unref'd (they never keep
 * the process alive) and are replaced when one dies. `workers: 0` renders in-process (benchmarks,
 * or a platform without threads).
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { PrintableForm } from "../domain/forms/form-models.js";
import { renderFormPdf } from "./render-form.js";
import type { RenderRequest, RenderResponse } from "./render-worker.js";

export interface PdfRenderer {
  render(form: PrintableForm): Promise<Buffer>;
  close(): Promise<void>;
}

export interface PdfRendererOptions {
  /** Threads; default: one per core but one (the loop keeps a core), at least one. 0: in-process. */
  readonly workers?: number;
  /** Forms waiting beyond this are refused (503): a queue of big registers must not grow without bound. */
  readonly maxQueued?: number;
}

/** A worker's heap: a 10,000-row register is a few MiB of PDF; the main process runs under a 96 MiB cap. */
const WORKER_HEAP_MB = 128;
const DEFAULT_MAX_QUEUED = 64;

/** Too many forms waiting: 503 (the error handler answers a problem for any `statusCode`). */
export class RenderQueueFullError extends Error {
  readonly statusCode = 503;
  readonly code = "render_queue_full";
  constructor() {
    super("Too many printed forms are being prepared; retry shortly");
  }
}

export const defaultWorkerCount = () => Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);

export function createPdfRenderer(options: PdfRendererOptions = {}): PdfRenderer {
  const size = options.workers ?? defaultWorkerCount();
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  if (size === 0) return { render: renderFormPdf, close: async () => undefined };

  // From the sources (tests, `npm run dev`) the worker is TypeScript too: render-worker-dev.mjs
  // loads it through tsx. The built service runs dist/documents/render-worker.js.
  const fromSources = import.meta.url.endsWith(".ts");
  const workerUrl = new URL(fromSources ? "./render-worker-dev.mjs" : "./render-worker.js", import.meta.url);
  const newWorker = () => new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });

  interface Slot {
    worker: Worker;
    busy: boolean;
  }
  interface Job {
    readonly id: number;
    readonly form: PrintableForm;
    readonly resolve: (pdf: Buffer) => void;
    readonly reject: (error: Error) => void;
  }
  const slots: Slot[] = [];
  const queue: Job[] = [];
  const running = new Map<number, { job: Job; slot: Slot }>();
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    const worker = newWorker();
    worker.unref();
    const slot: Slot = { worker, busy: false };
    worker.on("message", (message: RenderResponse) => {
      const entry = running.get(message.id);
      if (entry === undefined) return;
      running.delete(message.id);
      slot.busy = false;
      if ("pdf" in message) entry.job.resolve(Buffer.from(message.pdf.buffer, message.pdf.byteOffset, message.pdf.byteLength));
      else entry.job.reject(new Error(`rendering failed: ${message.error}`));
      pump();
    });
    const fail = (error: Error) => {
      // A dead worker fails its job and is replaced on the next pump.
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      for (const [id, entry] of running)
        if (entry.slot === slot) {
          running.delete(id);
          entry.job.reject(error);
        }
      pump();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the rendering worker exited (code ${code})`)));
    slots.push(slot);
    return slot;
  }

  function pump(): void {
    if (closed) return;
    while (queue.length > 0) {
      const slot = slots.find((s) => !s.busy) ?? (slots.length < size ? spawn() : undefined);
      if (slot === undefined) return;
      const job = queue.shift()!;
      slot.busy = true;
      running.set(job.id, { job, slot });
      slot.worker.postMessage({ id: job.id, form: job.form } satisfies RenderRequest);
    }
  }

  return {
    render(form) {
      if (closed) return Promise.reject(new Error("the renderer is closed"));
      if (queue.length >= maxQueued) return Promise.reject(new RenderQueueFullError());
      return new Promise<Buffer>((resolve, reject) => {
        queue.push({ id: nextId++, form, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error("the renderer is closed"));
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
