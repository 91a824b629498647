/**
 * What a fired moment sends (issue #15, API.md "Outbound"): `dossier.at_risk` (75 % and 90 % of the
 * committed working time used), `dossier.overdue` (the due instant passed while open) and
 * `duty.overdue` (a Decree 118/2025 duty past its own deadline, DOMAIN.md §10), to every webhook
 * subscription that asked for the type and covers the dossier. Built before the scheduler's
 * transaction, which marks the moment fired and enqueues these (once per threshold and dossier).
 */
import { formatInstant } from "../../domain/time.js";
import type { ScheduledMoment } from "./schedule-ports.js";
import { outboundMessages } from "./outbound-messages.js";
import type { NewOutboxMessage } from "./outbox-ports.js";
import type { WebhookSubscriptionRepository } from "./webhook-ports.js";
import type { DossierRepository } from "../dossier-ports.js";
import { dossierAgencies } from "../dossiers/dossier-access.js";

export interface MomentScope {
  readonly receiptCode: string;
  readonly procedureCode: string;
  readonly status: string;
  readonly handlingAgencyCode: string;
  readonly currentAgencyCode: string;
  readonly lineages: readonly (readonly string[])[];
}

export async function momentMessages(
  moment: ScheduledMoment,
  firedAt: number,
  deps: { scope: (receiptCode: string) => Promise<MomentScope | undefined>; subscriptions: Pick<WebhookSubscriptionRepository, "subscribedTo"> },
): Promise<NewOutboxMessage[]> {
  const subscribed = await deps.subscriptions.subscribedTo(moment.eventType);
  if (subscribed.length === 0) return [];
  const scope = await deps.scope(moment.receiptCode);
  if (scope === undefined) return [];
  const detail = moment.detail;
  const data = {
    receiptCode: scope.receiptCode,
    procedureCode: scope.procedureCode,
    status: scope.status,
    handlingAgencyCode: scope.handlingAgencyCode,
    currentAgencyCode: scope.currentAgencyCode,
    dueAt: formatInstant(detail.dueAt),
    ...(detail.kind === "at_risk" ? { percentUsed: detail.percent } : {}),
    ...(detail.kind === "overdue" ? { basis: detail.basis } : {}),
    ...(detail.kind === "duty_overdue" ? { duty: detail.duty, owedBy: detail.agencyCode } : {}),
  };
  return outboundMessages({
    events: [{ receiptCode: moment.receiptCode, type: moment.eventType, at: moment.at, data }],
    subscriptions: (type) => (type === moment.eventType ? subscribed : []),
    lineages: scope.lineages,
    now: firedAt,
  });
}

/** A dossier's scope for its moment's webhooks: what the payload says and which agencies (with their ancestors) it involves. */
export function createMomentScope(deps: { dossiers: Pick<DossierRepository, "get">; lineage: (agencyCode: string) => Promise<string[]> }) {
  return async (receiptCode: string): Promise<MomentScope | undefined> => {
    const record = await deps.dossiers.get(receiptCode);
    if (record === undefined) return undefined;
    return {
      receiptCode: record.receiptCode,
      procedureCode: record.procedureCode,
      status: record.status,
      handlingAgencyCode: record.handlingAgencyCode,
      currentAgencyCode: record.currentAgencyCode,
      lineages: await Promise.all([...new Set(dossierAgencies(record))].map(deps.lineage)),
    };
  };
}
