// Placeholder with the agreed signatures until the pg-outbound branch lands (it replaces this file).
import type { OutboundChange, OutboundOf } from "../../services/dossier-ports.js";
import type { PgTx } from "./transactions.js";

export async function replanMoments(_tx: PgTx, _receiptCode: string, _moments: OutboundChange["moments"], _at: number): Promise<void> {
  throw new Error("not yet");
}

export async function writeOutbound(_tx: PgTx, _receiptCode: string, of: OutboundOf | undefined, _at: number): Promise<void> {
  if (of !== undefined) throw new Error("not yet");
}
