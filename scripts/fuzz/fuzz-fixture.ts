/**
 * A small, realistic province for the fuzzer to aim at: an agency tree on two calendars, two
 * procedures, dossiers in several statuses with their events, a rating and an apology letter, and
 * a key of every kind.
 * Path parameters and "valid" field values are drawn from it, so that requests reach existing
 * objects as well as unknown ones, and pass authentication as well as fail it.
 * Everything is created through the HTTP API, as an operator would.
 */
import type { FastifyInstance } from "fastify";
import { BIRTH, JUSTICE, LAND, PROVINCE, PROVINCE_AGENCIES, PROVINCE_PROCEDURES, TAX } from "../fixtures/province.js";
import type { SeededRandom } from "./seeded-random.js";

/** The service's clock, pinned: runs are reproducible and every fixture instant is in the past. */
export const FUZZ_NOW = Date.parse("2025-06-30T10:00:00+07:00");
export const FUZZ_ADMIN_KEY = "fuzz-admin-key-0123456789abcdef";

export const DISTRICT = "000.20.01.H22";
export const OTHER_PROVINCE = "000.00.00.H29";
/** A dossier received with a code of its own (in its agency's namespace, DOMAIN.md §8) that gets an apology letter. */
const LETTER_DOSSIER = `${JUSTICE}-250602-9001`;

export interface FixtureDossier {
  readonly receiptCode: string;
  readonly idNumber: string;
}

/** Bearer header values of every kind of caller. */
export interface FixtureKeys {
  readonly admin: string;
  /** A desk of the justice department (and nothing else). */
  readonly ownDesk: string;
  /** A desk of another province: covers none of the justice department's dossiers. */
  readonly otherDesk: string;
  readonly reporter: string;
  readonly revoked: string;
}

export interface FuzzWorld {
  readonly agencyCodes: readonly string[];
  readonly procedureCodes: readonly string[];
  readonly calendarIds: readonly string[];
  readonly dossiers: readonly FixtureDossier[];
  /** Events already recorded: re-sending one with another body is a conflict. */
  readonly eventIds: readonly string[];
  /** Numbers of the apology letters issued (one, on LETTER_DOSSIER). */
  readonly letterNumbers: readonly number[];
  /** Keys the fuzzer may revoke (never the ones in `keys`). */
  readonly revocableKeyIds: readonly string[];
  readonly keys: FixtureKeys;
}

type Inject = (method: "GET" | "POST" | "PUT" | "DELETE", url: string, body?: unknown, key?: string) => Promise<Record<string, unknown>>;

export async function seedFuzzWorld(app: FastifyInstance, random: SeededRandom): Promise<FuzzWorld> {
  const admin = `Bearer ${FUZZ_ADMIN_KEY}`;
  const send: Inject = async (method, url, body, key = admin) => {
    const res = await app.inject({ method, url, headers: { authorization: key }, ...(body === undefined ? {} : { payload: body as object }) });
    // The fixture must stand before anything is fuzzed: a refusal here is a broken harness, not a finding.
    if (res.statusCode >= 300) throw new Error(`fuzz fixture: ${method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
    return res.body === "" ? {} : (res.json() as Record<string, unknown>);
  };

  await seedCatalog(send);
  const { dossiers, eventIds } = await seedDossiers(send, random);
  // LETTER_DOSSIER is past its due date by the pinned clock: its agency apologises and reschedules.
  const letter = await send("POST", `/v1/dossiers/${LETTER_DOSSIER}/apology-letters`, {
    agencyCode: JUSTICE,
    reason: "Hồ sơ cần xác minh thêm với cơ quan khác",
    newDueAt: "2025-07-15T17:00:00+07:00",
  });
  const keys = await seedKeys(send, admin);
  const revocable = await send("POST", "/v1/api-keys", { name: "revocable by the fuzzer", role: "reporter" });
  return {
    agencyCodes: [PROVINCE, JUSTICE, TAX, DISTRICT, OTHER_PROVINCE],
    procedureCodes: [BIRTH, LAND],
    calendarIds: ["vn", "hcm"],
    dossiers,
    eventIds,
    letterNumbers: [Number(letter.number)],
    revocableKeyIds: [String(revocable.id)],
    keys,
  };
}

async function seedCatalog(send: Inject): Promise<void> {
  const weekday = [["07:30", "11:30"], ["13:00", "17:00"]];
  await send("PUT", "/v1/calendars/hcm", {
    name: "TP. Hồ Chí Minh",
    timeZone: "Asia/Ho_Chi_Minh",
    weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [["07:30", "11:30"]] },
    sameDayCutoff: "15:00",
  });
  await send("PUT", "/v1/calendars/vn/days/2025-05-05", { kind: "day_off", name: "Nghỉ bù" });
  for (const { code, body } of PROVINCE_AGENCIES) await send("PUT", `/v1/agencies/${code}`, body);
  await send("PUT", `/v1/agencies/${DISTRICT}`, { name: "UBND huyện Văn Lâm", parentCode: JUSTICE });
  await send("PUT", `/v1/agencies/${OTHER_PROVINCE}`, { name: "UBND TP. Hồ Chí Minh", calendarId: "hcm" });
  await send("PUT", `/v1/procedures/${BIRTH}`, PROVINCE_PROCEDURES[BIRTH]);
  // Without a committed duration: the 30 % cut is derived, one more path for the fuzzer.
  const { committedDuration: _committed, ...land } = PROVINCE_PROCEDURES[LAND];
  await send("PUT", `/v1/procedures/${LAND}`, land);
}

/** Dossiers in the statuses that matter to the routes: open, paused, ready to rate, rated, elsewhere. */
async function seedDossiers(send: Inject, random: SeededRandom): Promise<{ dossiers: FixtureDossier[]; eventIds: string[] }> {
  const plans: { body: Record<string, unknown>; events: [string, string, Record<string, unknown>][]; rate?: boolean }[] = [
    {
      body: { procedureCode: BIRTH, receivingAgencyCode: JUSTICE, receivedAt: "2025-03-03T08:00:00+07:00" },
      events: [
        ["transferred", "2025-03-03T09:00:00+07:00", { toAgencyCode: JUSTICE, stepCode: "review" }],
        ["result_ready", "2025-03-05T16:00:00+07:00", { outcome: "approved" }],
      ],
    },
    { body: { procedureCode: BIRTH, receivingAgencyCode: JUSTICE, receivedAt: "2025-06-02T08:00:00+07:00", receiptCode: LETTER_DOSSIER }, events: [] },
    {
      body: { procedureCode: LAND, receivingAgencyCode: JUSTICE, receivedAt: "2025-04-01T09:00:00+07:00", channel: "online" },
      events: [
        ["transferred", "2025-04-01T10:00:00+07:00", { toAgencyCode: JUSTICE }],
        ["supplement_requested", "2025-04-02T10:00:00+07:00", { reason: "Thiếu bản đồ", items: ["Bản đồ địa chính"] }],
      ],
    },
    {
      body: { procedureCode: LAND, receivingAgencyCode: TAX, receivedAt: "2025-02-10T10:00:00+07:00" },
      events: [
        ["transferred", "2025-02-10T11:00:00+07:00", { toAgencyCode: TAX, agencyCode: TAX }],
        ["result_ready", "2025-02-11T10:00:00+07:00", { outcome: "refused", agencyCode: TAX }],
        ["returned", "2025-02-12T10:00:00+07:00", { method: "counter", agencyCode: TAX }],
      ],
      rate: true,
    },
    {
      body: { procedureCode: BIRTH, receivingAgencyCode: OTHER_PROVINCE, receivedAt: "2025-05-06T14:00:00+07:00", channel: "postal" },
      events: [["transferred", "2025-05-07T09:00:00+07:00", { toAgencyCode: OTHER_PROVINCE, stepCode: "review", agencyCode: OTHER_PROVINCE }]],
    },
  ];
  const dossiers: FixtureDossier[] = [];
  const eventIds: string[] = [];
  for (const [i, plan] of plans.entries()) {
    const idNumber = `0010900${String(12345 + i).padStart(5, "0")}`;
    const receiving = String(plan.body.receivingAgencyCode);
    const created = await send("POST", "/v1/dossiers", {
      channel: "direct",
      applicant: { kind: "citizen", name: "Nguyễn Văn An", idNumber, phone: "0912345678", email: "an@example.vn" },
      ...plan.body,
    });
    const receiptCode = String(created.receiptCode);
    for (const [type, occurredAt, fields] of plan.events) {
      const eventId = random.uuid();
      await send("POST", `/v1/dossiers/${receiptCode}/events`, { eventId, type, occurredAt, agencyCode: receiving, ...fields });
      eventIds.push(eventId);
    }
    if (plan.rate) await send("POST", `/v1/public/dossiers/${receiptCode}/rating`, { idNumber, level: "satisfied" });
    dossiers.push({ receiptCode, idNumber });
  }
  return { dossiers, eventIds };
}

async function seedKeys(send: Inject, admin: string): Promise<FixtureKeys> {
  const issue = async (body: Record<string, unknown>) => send("POST", "/v1/api-keys", body);
  const bearer = (issued: Record<string, unknown>) => `Bearer ${String(issued.key)}`;
  const revoked = await issue({ name: "revoked", role: "admin" });
  await send("DELETE", `/v1/api-keys/${String(revoked.id)}`);
  return {
    admin,
    ownDesk: bearer(await issue({ name: "Bộ phận một cửa Sở Tư pháp", role: "desk", agencyCodes: [JUSTICE] })),
    otherDesk: bearer(await issue({ name: "Bộ phận một cửa TP. HCM", role: "desk", agencyCodes: [OTHER_PROVINCE] })),
    reporter: bearer(await issue({ name: "Văn phòng UBND tỉnh", role: "reporter" })),
    revoked: bearer(revoked),
  };
}
