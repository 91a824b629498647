import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { validationFailed } from "../../domain/errors.js";
import type { EventInput } from "../../domain/dossier/event-input.js";
import type { ApologyLetterService } from "../../services/apology-letter-service.js";
import type { DossierUseCases, DossierView } from "../../services/dossiers/index.js";
import { cursorCodec } from "../cursor.js";
import { ANY_ROLE, staffRequesterOf } from "../plugins/auth.js";
import { presentDossier, presentSummary, presentTimeline } from "../presenters/dossier-presenter.js";
import { BODY_LIMITS, pickProblems } from "../schemas/common.js";
import {
  DossierListQuery,
  DossierResponse,
  DossierSummary,
  EventsBody,
  ReceiptCode,
  ReceptionBody,
  REQUIRED_EVENT_FIELDS,
  TimelineEntrySchema,
  type EventsBodyT,
} from "../schemas/dossier-schemas.js";

const Params = Type.Object({ receiptCode: ReceiptCode });
const security = [{ apiKey: [] }];

const cursors = cursorCodec("d");

/** One event or `{ events: [...] }`, never both; a single event needs its four common fields. */
function eventInputs(body: EventsBodyT): { inputs: EventInput[]; batch: boolean } {
  const { events, ...single } = body;
  if (events !== undefined) {
    const stray = Object.keys(single);
    if (stray.length > 0) throw validationFailed(stray.map((field) => ({ field, message: "send either one event or { events: [...] }, not both" })));
    return { inputs: events as EventInput[], batch: true };
  }
  const missing = REQUIRED_EVENT_FIELDS.filter((f) => single[f] === undefined);
  if (missing.length > 0) throw validationFailed(missing.map((field) => ({ field, message: "is required" })));
  return { inputs: [single as EventInput], batch: false };
}

export function registerDossierRoutes(root: FastifyInstance, dossiers: DossierUseCases, letters: Pick<ApologyLetterService, "listFor">): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // A letter always sets rescheduledDueAt: most dossiers have none, and need no second query.
  const lettersOf = async (view: DossierView) => (view.record.rescheduledDueAt === null ? [] : letters.listFor(view.record.receiptCode));
  const present = async (view: DossierView) => presentDossier(view, await lettersOf(view));

  app.post(
    "/v1/dossiers",
    {
      onRequest: app.requireRole("admin", "desk"),
      schema: {
        tags: ["dossiers"],
        summary: "Receive a dossier",
        description:
          "Computes the committed appointment (dueAt, printed on the receipt and kept as originalDueAt) and the legal due date on the receiving agency's calendar. " +
          "Without receiptCode one is generated ({agency}-{YYMMDD}-{NNNN}). The same receiptCode with the same body answers 200 with the same dossier; with another body, 409.",
        security,
        body: ReceptionBody,
        response: { 200: DossierResponse, 201: DossierResponse, ...pickProblems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { created, view } = await dossiers.receive(request.body, request.principal!);
      if (created) reply.header("Location", `/v1/dossiers/${encodeURIComponent(view.record.receiptCode)}`);
      return reply.code(created ? 201 : 200).send(await present(view));
    },
  );

  app.get(
    "/v1/dossiers",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      config: { etag: true },
      schema: {
        tags: ["dossiers"],
        summary: "List dossiers, newest first, with cursor pagination",
        description: "agencyCode matches the receiving, handling or current agency. receivedFrom/receivedTo are Vietnam-local dates, inclusive.",
        security,
        querystring: DossierListQuery,
        response: {
          200: Type.Object({ items: Type.Array(DossierSummary), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...pickProblems(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { cursor, limit, ...filters } = request.query;
      const page = await dossiers.list(
        { ...filters, limit: limit ?? 50, ...(cursor !== undefined ? { cursor: cursors.decode(cursor) } : {}) },
        request.principal!,
      );
      return {
        items: page.items.map((i) => presentSummary(i)),
        nextCursor: page.nextCursor === null ? null : cursors.encode(page.nextCursor),
      };
    },
  );

  app.get(
    "/v1/dossiers/:receiptCode",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      config: { etag: true },
      schema: {
        tags: ["dossiers"],
        summary: "Read a dossier: status, deadlines, timeliness, the process control sheet",
        security,
        params: Params,
        response: { 200: DossierResponse, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      return present(await dossiers.read(request.params.receiptCode, staffRequesterOf(request)));
    },
  );

  app.post(
    "/v1/dossiers/:receiptCode/events",
    {
      onRequest: app.requireRole("admin", "desk"),
      // The one route with large bodies: a batch of events (every other route keeps the app's 64 KiB).
      bodyLimit: BODY_LIMITS.events,
      schema: {
        tags: ["dossiers"],
        summary: "Record what happened to a dossier (one event, or { events: [...] } atomically)",
        description:
          "Events may arrive late and out of order: the state is the fold of all events in occurredAt order, and a late event is accepted when that whole history stays valid. " +
          "The same eventId with the same body answers 200 and changes nothing; with another body, 409. An invalid transition answers 422 naming the rule.",
        security,
        params: Params,
        body: EventsBody,
        response: { 200: DossierResponse, 201: DossierResponse, ...pickProblems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { inputs, batch } = eventInputs(request.body);
      const { created, view } = await dossiers.postEvents(request.params.receiptCode, inputs, request.principal!, batch);
      return reply.code(created ? 201 : 200).send(await present(view));
    },
  );

  app.get(
    "/v1/dossiers/:receiptCode/events",
    {
      onRequest: app.requireRole(...ANY_ROLE),
      config: { etag: true },
      schema: {
        tags: ["dossiers"],
        summary: "The dossier's timeline in occurredAt order, each hand-off with its step budget and early/on_time/late",
        security,
        params: Params,
        response: { 200: Type.Object({ items: Type.Array(TimelineEntrySchema) }), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { view, events } = await dossiers.readEvents(request.params.receiptCode, staffRequesterOf(request));
      return { items: presentTimeline(view, events, await lettersOf(view)) };
    },
  );
}
