/**
 * Requests the fuzzer once found breaking the service, sent first by every run (the CLI's and the
 * test's) so that each bug stays fixed whatever the seed draws. Add one with every fix.
 */
import { JUSTICE } from "../fixtures/province.js";
import { OTHER_PROVINCE, type FuzzWorld } from "./fuzz-fixture.js";
import type { FuzzRequest } from "./request-generator.js";

interface Regression {
  /** What went wrong, briefly: it names the request in failures. */
  readonly finding: string;
  /** The route's key in the catalog, e.g. "GET /v1/dossiers". */
  readonly route: string;
  readonly url: string | ((world: FuzzWorld) => string);
  readonly body?: (world: FuzzWorld) => unknown;
  /** The caller; default the admin. */
  readonly key?: (world: FuzzWorld) => string;
}

/** A procedure code of its own, so that a regression cannot spoil the fixture's procedures. */
const TINY_PROCEDURE = "9.000001";

const reception = (world: FuzzWorld, procedureCode: string, receivedAt: string) => ({
  procedureCode,
  receivingAgencyCode: world.agencyCodes[0],
  channel: "direct",
  receivedAt,
  applicant: { kind: "citizen", name: "Trần Văn Bình", idNumber: "001090099999" },
});

const REGRESSIONS: readonly Regression[] = [
  { finding: "limit=Infinity passed validation and reached SQL (500)", route: "GET /v1/dossiers", url: "/v1/dossiers?limit=Infinity" },
  { finding: "limit=-1e400 passed validation and reached SQL (500)", route: "GET /v1/audit", url: "/v1/audit?limit=-1e400" },
  { finding: "a period before year 1000 built unpadded dates (500)", route: "GET /v1/stats/timeliness", url: "/v1/stats/timeliness?period=0999" },
  { finding: "a period in year 1000 began in year 999 (500)", route: "GET /v1/stats/scorecard", url: "/v1/stats/scorecard?period=1000-Q1" },
  {
    finding: "a reception before the calendars' years crashed the engine (500)",
    route: "POST /v1/dossiers",
    url: "/v1/dossiers",
    body: (world) => reception(world, world.procedureCodes[0]!, "1900-01-01T00:00:00Z"),
  },
  {
    finding: "a duration under a millisecond was stored, then every reception on it failed (500)",
    route: "PUT /v1/procedures/{procedureCode}",
    url: `/v1/procedures/${TINY_PROCEDURE}`,
    body: () => ({ name: "Thủ tục tức thì", fieldCode: "HT", fieldName: "Hộ tịch", legalDuration: { value: 1e-9, unit: "working_hours" } }),
  },
  {
    finding: "(the reception that failed on that procedure)",
    route: "POST /v1/dossiers",
    url: "/v1/dossiers",
    body: (world) => reception(world, TINY_PROCEDURE, "2025-06-02T09:00:00+07:00"),
  },
  { finding: "a malformed percent-encoding was answered as plain JSON, not a problem", route: "GET /v1/dossiers/{receiptCode}", url: "/v1/dossiers/%zz" },
  { finding: "an over-long path parameter (414) was answered as plain JSON", route: "GET /v1/dossiers/{receiptCode}", url: `/v1/dossiers/${"x".repeat(101)}` },
  { finding: "number=Infinity in a path passed validation", route: "GET /v1/dossiers/{receiptCode}/apology-letters/{number}", url: "/v1/dossiers/X/apology-letters/Infinity" },
  {
    finding: "60,000 unknown keys blocked the event loop for tens of seconds (quadratic error list)",
    route: "POST /v1/dossiers/{receiptCode}/events",
    url: "/v1/dossiers/X/events",
    body: () => Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i])),
  },
  // Issue #11 (a hostile review): inputs the service mishandled without a 5xx. The oracle cannot
  // tell these answers right from wrong; each has its own test under test/http, and they stay here
  // so that every run keeps sending them.
  {
    finding: "(#11) an encoded query key carried the identity number past the log's redaction",
    route: "GET /v1/public/dossiers/{receiptCode}",
    url: (world) => `/v1/public/dossiers/${world.dossiers[0]!.receiptCode}?%69dNumber=${world.dossiers[0]!.idNumber}`,
  },
  {
    finding: "(#11) a bracketed query key carried the identity number past the log's redaction",
    route: "GET /v1/public/dossiers/{receiptCode}",
    url: (world) => `/v1/public/dossiers/${world.dossiers[0]!.receiptCode}?idNumber%5B%5D=${world.dossiers[0]!.idNumber}`,
  },
  {
    finding: "(#11) body types were coerced: feeVnd null stored as 0, a number as a name, an enum in an array",
    route: "POST /v1/dossiers",
    url: "/v1/dossiers",
    body: (world) => ({ ...reception(world, world.procedureCodes[0]!, "2025-06-02T09:00:00+07:00"), feeVnd: null, channel: ["direct"], applicant: { kind: "citizen", name: 12345, idNumber: "001090099999" } }),
  },
  {
    finding: "(#11) a supplied receipt code dated another day than the reception",
    route: "POST /v1/dossiers",
    url: "/v1/dossiers",
    body: (world) => ({ ...reception(world, world.procedureCodes[0]!, "2025-06-02T09:00:00+07:00"), receiptCode: `${world.agencyCodes[0]}-240101-0001` }),
  },
  {
    finding: "(#11) a desk recorded an event in another agency's name",
    route: "POST /v1/dossiers/{receiptCode}/events",
    url: (world) => `/v1/dossiers/${world.dossiers[0]!.receiptCode}/events`,
    body: (world) => ({ eventId: "6f1c1d1e-0b0a-4c3e-9d59-0d6c1e7f0b11", type: "transferred", occurredAt: "2025-03-04T09:00:00+07:00", agencyCode: OTHER_PROVINCE, toAgencyCode: JUSTICE }),
    key: (world) => world.keys.ownDesk,
  },
];

/** The regressions as requests of a run, with the admin key: nothing but the bug may refuse them. */
export function regressionRequests(world: FuzzWorld): FuzzRequest[] {
  return REGRESSIONS.map((r) => {
    const payload = r.body === undefined ? undefined : JSON.stringify(r.body(world));
    return {
      index: -1,
      route: r.route,
      strategy: "regression",
      mutation: r.finding,
      method: r.route.slice(0, r.route.indexOf(" ")),
      url: typeof r.url === "function" ? r.url(world) : r.url,
      headers: { authorization: r.key?.(world) ?? world.keys.admin, ...(payload === undefined ? {} : { "content-type": "application/json" }) },
      payload,
      anonymous: false,
    };
  });
}
