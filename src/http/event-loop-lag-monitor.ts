/**
 * How long a request arriving now would wait for the event loop: the signal load shedding acts on
 * (plugins/hardening.ts, issue #11 item 3).
 *
 * A timer ticks every RESOLUTION_MS; each tick records how long the loop took to come back (d). The
 * lag of a window is Σd² / Σd − RESOLUTION_MS: the length of the loop turn that a request arriving at
 * a random moment of the window lands in (a turn of d ms catches requests for d ms, hence the
 * weight d), beyond the timer's own period. Under a flood of B-ms turns it is B; a 1.2 s stall
 * after 100–900 ms of idle loop reads 1,096–683 ms.
 * @fastify/under-pressure's own measure is the plain mean of the same per-turn delays (one sample
 * per turn): that stall reads 120–14 ms, because the idle 10 ms turns before it outvote the one
 * that kept every request waiting (measured: docs/ROBUSTNESS.md "Issue #11").
 */
import { performance } from "node:perf_hooks";

const RESOLUTION_MS = 10;

export interface EventLoopLagMonitor {
  /** The lag (ms) since the previous call, then starts a new window. */
  take(): number;
  stop(): void;
}

export function startEventLoopLagMonitor(): EventLoopLagMonitor {
  let last = performance.now();
  let sum = 0;
  let sumOfSquares = 0;
  const tick = () => {
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    sum += elapsed;
    sumOfSquares += elapsed * elapsed;
  };
  const timer = setInterval(tick, RESOLUTION_MS);
  // A monitor must not keep the process alive.
  timer.unref();
  return {
    take() {
      // The turn in progress counts too: a window that was one long stall has had no tick yet.
      tick();
      const lag = sum === 0 ? 0 : Math.max(0, sumOfSquares / sum - RESOLUTION_MS);
      sum = 0;
      sumOfSquares = 0;
      return lag;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
