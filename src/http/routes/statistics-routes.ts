import type { FastifyInstance } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { timelinessCsv } from "../../documents/timeliness-csv.js";
import { timelinessXlsx } from "../../documents/spreadsheet-xlsx.js";
import { chooseRepresentation, MEDIA_TYPES } from "../content-negotiation.js";
import type { StatisticsService } from "../../services/statistics-service.js";
import { pickProblems } from "../schemas/common.js";
import { ScorecardQuery, ScorecardResponse, TimelinessQuery, TimelinessResponse } from "../schemas/statistics-schemas.js";

const security = [{ apiKey: [] }];

export function registerStatisticsRoutes(root: FastifyInstance, statistics: StatisticsService): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/v1/stats/timeliness",
    {
      onRequest: app.requireRole("admin", "reporter"),
      config: { etag: true },
      schema: {
        tags: ["statistics"],
        summary: "Report 06 (Biểu 06/VPCP/KSTT): received, resolved early / on time / late, pending, by group",
        description:
          "Give from/to (Vietnam-local dates, inclusive) or period. An agency filter includes its sub-agencies; rows group by the handling agency. " +
          "`Accept: text/csv` or `format=csv` answers the same numbers as CSV (UTF-8 with BOM, Vietnamese headings; for programs); " +
          "`Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` or `format=xlsx` as an Excel workbook with typed cells (for spreadsheets in any locale).",
        security,
        querystring: TimelinessQuery,
        response: {
          200: {
            description: "The report",
            content: {
              "application/json": { schema: TimelinessResponse },
              "text/csv": { schema: { type: "string" } },
              [MEDIA_TYPES.xlsx]: { schema: { type: "string", format: "binary" } },
            },
          },
          ...pickProblems(400, 401, 403, 404, 406),
        },
      },
    },
    async (request, reply) => {
      const { format, groupBy, basis, ...rest } = request.query;
      const report = await statistics.timeliness({ ...rest, groupBy: groupBy ?? "agency", basis: basis ?? "committed" });
      // One negotiation for every route (content-negotiation.ts): q-values and q=0 honoured, 406 when neither is acceptable.
      const representation = chooseRepresentation(request, ["json", "csv", "xlsx"]);
      if (representation === "json") return reply.send(report);
      const name = `bao-cao-06-${report.from}-${report.to}-${report.groupBy}.${representation}`;
      if (representation === "xlsx")
        return reply
          .type(MEDIA_TYPES.xlsx)
          .header("Content-Disposition", `attachment; filename="${name}"`)
          .send(await timelinessXlsx(report.rows, report.total));
      return reply
        .type("text/csv; charset=utf-8")
        .header("Content-Disposition", `attachment; filename="${name}"`)
        .send(timelinessCsv(report.rows, report.total));
    },
  );

  app.get(
    "/v1/stats/scorecard",
    {
      onRequest: app.requireRole("admin", "reporter"),
      config: { etag: true },
      schema: {
        tags: ["statistics"],
        summary: "The Decision 766/QĐ-TTg scorecard groups motcua can measure, with the total over the measurable maximum",
        security,
        querystring: ScorecardQuery,
        response: { 200: ScorecardResponse, ...pickProblems(400, 401, 403, 404) },
      },
    },
    async (request) => statistics.scorecard(request.query),
  );
}
