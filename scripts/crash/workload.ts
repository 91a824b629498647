/**
 * Front desks under load: each lane drives one dossier at a time through its planned requests,
 * with one request in flight per dossier, so that a kill leaves at most one request per dossier
 * whose fate is unknown and the verifier knows exactly which events may exist.
 */
import {
  eventCountAfter,
  isFinished,
  isResumable,
  planDossier,
  requestPath,
  type DossierPlan,
  type PlannedRequest,
} from "./dossier-plans.js";
import { call, field, isSuccess, type Answered, type Target } from "./motcua-client.js";

/** Every dossier the test has started, across rounds: the client's record of what it was told. */
export interface Ledger {
  readonly plans: DossierPlan[];
}

export const createLedger = (): Ledger => ({ plans: [] });

export interface RoundTally {
  /** Requests answered 2xx. */
  acknowledged: number;
  eventsAcknowledged: number;
  /** Requests cut off without an answer (by the kill). */
  unknown: number;
  /** Requests shed with 503 (overloaded; nothing written) and sent again. */
  shed: number;
  /** Requests refused with another status: the load is valid, so each is a violation. */
  refused: number;
  /** Requests left unanswered by the previous kill, sent again and answered 200: they had been stored. */
  resentWereStored: number;
  /** ... answered 201: they had not been stored, and now are. */
  resentWereNot: number;
}

export const emptyTally = (): RoundTally => ({
  acknowledged: 0,
  eventsAcknowledged: 0,
  unknown: 0,
  shed: 0,
  refused: 0,
  resentWereStored: 0,
  resentWereNot: 0,
});

export interface Load {
  /** Lets no lane send another request; returns how many are in flight at this instant. */
  stop(): number;
  /** Settles when every lane has stopped and every request in flight has its outcome. */
  readonly done: Promise<void>;
  /** Settles at the first 2xx: the load is flowing (a cold server compiles its routes first). */
  readonly flowing: Promise<void>;
}

/** A short pause after a 503 (the server asks for seconds; the test only needs it to breathe). */
const SHED_BACKOFF_MS = 100;

/**
 * Starts `lanes` concurrent clients. Dossiers left unfinished by the previous round come first:
 * their unanswered request is sent again byte for byte (same eventIds), as a desk would retry.
 */
export function startLoad(target: Target, ledger: Ledger, lanes: number, tally: RoundTally, violations: string[]): Load {
  const resumeQueue = ledger.plans.filter(isResumable);
  let stopped = false;
  let inFlight = 0;
  let markFlowing = () => {};
  const flowing = new Promise<void>((resolve) => (markFlowing = resolve));

  const newPlan = () => {
    const plan = planDossier(ledger.plans.length + 1);
    ledger.plans.push(plan);
    return plan;
  };

  async function drive(plan: DossierPlan): Promise<void> {
    while (!stopped && !isFinished(plan)) {
      const request = plan.requests[plan.next]!;
      const path = requestPath(plan, request);
      if (path === undefined) return;
      const resent = plan.pending === "unknown";
      inFlight++;
      const answer = await call(target, "POST", path, request.body);
      inFlight--;
      if (!answer.answered) {
        plan.pending = "unknown";
        tally.unknown++;
        // Before the kill, a missing answer means the server died or hung by itself: stop there
        // rather than pile up dossiers whose receptions all went unanswered.
        if (!stopped) {
          violations.push(`no answer before the kill: POST ${path} (${request.kind}): ${answer.error}`);
          stopped = true;
        }
        return;
      }
      if (answer.status === 503) {
        tally.shed++;
        await new Promise((resolve) => setTimeout(resolve, SHED_BACKOFF_MS));
        continue;
      }
      if (!isSuccess(answer)) {
        plan.pending = "refused";
        tally.refused++;
        violations.push(`refused: POST ${path} (${request.kind}) answered ${answer.status}: ${answer.text.slice(0, 300)}`);
        return;
      }
      violations.push(...acknowledge(plan, request, answer, resent));
      if (resent && answer.status === 200) tally.resentWereStored++;
      else if (resent) tally.resentWereNot++;
      tally.acknowledged++;
      tally.eventsAcknowledged += request.eventIds.length;
      markFlowing();
    }
  }

  async function lane(): Promise<void> {
    while (!stopped) await drive(resumeQueue.shift() ?? newPlan());
  }

  const done = Promise.all(Array.from({ length: lanes }, lane)).then(() => undefined);
  return {
    stop() {
      stopped = true;
      return inFlight;
    },
    done,
    flowing,
  };
}

/** Records a 2xx answer in the plan, and checks what the answer itself says. */
function acknowledge(plan: DossierPlan, request: PlannedRequest, answer: Answered, resent: boolean): string[] {
  const problems: string[] = [];
  const where = `dossier #${plan.serial} (${plan.receiptCode ?? "code to be generated"}), ${request.kind}`;
  // Only an earlier attempt that got no answer may have stored it: 200 otherwise means a refused
  // (503) attempt wrote something, against "nothing is written when a request fails".
  if (answer.status === 200 && !resent) problems.push(`${where}: answered 200 (already stored) to a request never stored before`);
  const code = field(answer.body, "receiptCode");
  if (typeof code !== "string") problems.push(`${where}: the answer has no receiptCode`);
  else if (plan.receiptCode === undefined) plan.receiptCode = code;
  else if (code !== plan.receiptCode) problems.push(`${where}: the answer is about dossier ${code}`);
  const expected = eventCountAfter(plan, plan.next + 1);
  const eventCount = field(answer.body, "eventCount");
  if (eventCount !== expected) problems.push(`${where}: the answer counts ${String(eventCount)} events, expected ${expected}`);
  plan.next++;
  plan.pending = "unsent";
  return problems;
}
