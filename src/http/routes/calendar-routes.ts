import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { WEEKDAYS, type WeeklyHours, type HoursInterval } from "../../domain/calendar/calendar-types.js";
import type { CalendarService } from "../../services/calendar-service.js";
import { ANY_ROLE } from "../plugins/auth.js";
import { LocalDate, pickProblems } from "../schemas/common.js";
import {
  CalendarBody,
  CalendarId,
  CalendarResponse,
  CalendarYear,
  DayBody,
  DayResponse,
  DaysQuery,
  DeadlineBody,
  DeadlineResponse,
  PublishedYearResponse,
  YearPublicationBody,
} from "../schemas/catalog-schemas.js";

const IdParams = Type.Object({ calendarId: CalendarId });
const DayParams = Type.Object({ calendarId: CalendarId, date: LocalDate });
const YearParams = Type.Object({ calendarId: CalendarId, year: CalendarYear });
const security = [{ apiKey: [] }];

const toIntervals = (hours: readonly (readonly string[])[] | undefined): HoursInterval[] =>
  (hours ?? []).map((h) => [h[0]!, h[1]!] as const);

export function registerCalendarRoutes(root: FastifyInstance, calendars: CalendarService): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const read = { onRequest: app.requireRole(...ANY_ROLE) };
  const admin = { onRequest: app.requireRole("admin") };

  app.get(
    "/v1/calendars",
    {
      ...read,
      config: { etag: true },
      schema: {
        tags: ["calendars"],
        summary: "List working calendars",
        security,
        response: { 200: Type.Object({ items: Type.Array(CalendarResponse) }), ...pickProblems(401, 403) },
      },
    },
    async () => ({ items: await calendars.list() }),
  );

  app.get(
    "/v1/calendars/:calendarId",
    {
      ...read,
      config: { etag: true },
      schema: {
        tags: ["calendars"],
        summary: "Read a working calendar",
        security,
        params: IdParams,
        response: { 200: CalendarResponse, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => calendars.get(request.params.calendarId),
  );

  app.put(
    "/v1/calendars/:calendarId",
    {
      ...admin,
      schema: {
        tags: ["calendars"],
        summary: "Create or replace a working calendar",
        description: "Weekly hours with a lunch break, the same-day cut-off, and which holiday rules apply. Bumps the revision.",
        security,
        params: IdParams,
        body: CalendarBody,
        response: { 200: CalendarResponse, 201: CalendarResponse, ...pickProblems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const weeklyHours = Object.fromEntries(WEEKDAYS.map((d) => [d, toIntervals(body.weeklyHours[d])])) as unknown as WeeklyHours;
      const { created, calendar } = await calendars.put(request.params.calendarId, { ...body, weeklyHours });
      return reply.code(created ? 201 : 200).send(calendar);
    },
  );

  app.get(
    "/v1/calendars/:calendarId/days",
    {
      ...read,
      config: { etag: true },
      schema: {
        tags: ["calendars"],
        summary: "List every non-default day in a date range",
        description:
          "Holidays proposed by the rules, official schedules and overrides, each with its source, its provenance (`document`) " +
          "and whether it is provisional; make-up working days too.",
        security,
        params: IdParams,
        querystring: DaysQuery,
        response: { 200: Type.Array(DayResponse), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => calendars.listDays(request.params.calendarId, request.query.from, request.query.to),
  );

  app.put(
    "/v1/calendars/:calendarId/days/:date",
    {
      ...admin,
      schema: {
        tags: ["calendars"],
        summary: "Set a dated day off or working day (an override that wins over rules and official schedules)",
        security,
        params: DayParams,
        body: DayBody,
        response: { 200: DayResponse, 201: DayResponse, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { calendarId, date } = request.params;
      const hours = request.body.hours === undefined ? undefined : toIntervals(request.body.hours);
      const input = { kind: request.body.kind, name: request.body.name, ...(hours ? { hours } : {}) };
      const { created } = await calendars.putDay(calendarId, date, input);
      return reply.code(created ? 201 : 200).send({ date, ...input, source: "override" as const, provisional: false, document: null });
    },
  );

  app.put(
    "/v1/calendars/:calendarId/years/:year",
    {
      ...admin,
      schema: {
        tags: ["calendars"],
        summary: "Publish a year's official schedule in one atomic call",
        description:
          "Replaces the rule proposals (or built-in schedule) of that year entirely: days not listed follow the weekly pattern. " +
          "Every day listed carries the document as its provenance (source official, not provisional); per-date overrides still win. " +
          "201 on first publication, 200 on replacement, 200 changing nothing when the same content is published again. Bumps the revision.",
        security,
        params: YearParams,
        body: YearPublicationBody,
        response: { 200: PublishedYearResponse, 201: PublishedYearResponse, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { calendarId, year } = request.params;
      const { document, days } = request.body;
      const input = {
        document,
        days: days.map((day) => ({
          date: day.date,
          kind: day.kind,
          name: day.name,
          ...(day.hours !== undefined ? { hours: toIntervals(day.hours) } : {}),
        })),
      };
      const { outcome, published } = await calendars.publishYear(calendarId, year, input);
      return reply.code(outcome === "created" ? 201 : 200).send(published);
    },
  );

  app.get(
    "/v1/calendars/:calendarId/years/:year",
    {
      ...read,
      config: { etag: true },
      schema: {
        tags: ["calendars"],
        summary: "Read the official schedule published for a year (404 when none was published through the API)",
        security,
        params: YearParams,
        response: { 200: PublishedYearResponse, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => calendars.getPublishedYear(request.params.calendarId, request.params.year),
  );

  app.delete(
    "/v1/calendars/:calendarId/days/:date",
    {
      ...admin,
      schema: {
        tags: ["calendars"],
        summary: "Remove an override; the official schedule or rules apply again",
        security,
        params: DayParams,
        response: { 204: Type.Null(), ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await calendars.deleteDay(request.params.calendarId, request.params.date);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/v1/calendars/:calendarId/deadlines",
    {
      ...read,
      schema: {
        tags: ["calendars"],
        summary: "Preview a due date: if a dossier is received at `start`, when is it due?",
        security,
        params: IdParams,
        body: DeadlineBody,
        response: { 200: DeadlineResponse, ...pickProblems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => calendars.previewDeadline(request.params.calendarId, request.body.start, request.body.duration),
  );
}
