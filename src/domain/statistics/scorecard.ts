/**
 * The parts of the Decision 766/QĐ-TTg (2022) service-quality scorecard that motcua can measure
 * from its own data (DOMAIN.md §6). Pure arithmetic on counts.
 */

export const SCORECARD_RATINGS = ["excellent", "good", "fair", "average", "weak"] as const;
export type ScorecardRating = (typeof SCORECARD_RATINGS)[number];

export interface ScorecardCounts {
  /** Dossiers handled in the period: carried over + received in it. */
  readonly handled: number;
  /** Of those: finished on time (end ≤ due, at most one supplement request) or still running on time at the period's end. */
  readonly progressOnTime: number;
  /** Received in the period. */
  readonly received: number;
  readonly receivedOnline: number;
  readonly receivedDigitized: number;
  readonly withFee: number;
  readonly paidOnline: number;
  /** Resolved in the period, and of those late (against the committed due date). */
  readonly resolved: number;
  readonly resolvedLate: number;
  /** Satisfaction ratings given in the period, and of those "dissatisfied". */
  readonly ratings: number;
  readonly dissatisfied: number;
}

export interface ScoreGroup {
  readonly key: string;
  readonly label: string;
  /** 0–100 with two decimals; null when there is nothing to measure. */
  readonly rate: number | null;
  readonly points: number;
  readonly maxPoints: number;
  readonly measurable: boolean;
  readonly note: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const percent = (part: number, whole: number): number | null => (whole === 0 ? null : round2((100 * part) / whole));
/** Points: full at or above `fullAt` percent, otherwise proportional to the rate. */
const pointsFor = (rate: number | null, max: number, fullAt = 100) => (rate === null ? 0 : round2(Math.min(1, rate / fullAt) * max));

export function ratingOf(percentOfMax: number): ScorecardRating {
  // Decision 766: excellent ≥ 90, good ≥ 80, fair ≥ 70, average ≥ 50, weak below.
  if (percentOfMax >= 90) return "excellent";
  if (percentOfMax >= 80) return "good";
  if (percentOfMax >= 70) return "fair";
  if (percentOfMax >= 50) return "average";
  return "weak";
}

export function computeScorecard(c: ScorecardCounts) {
  const progress = percent(c.progressOnTime, c.handled);
  const online = percent(c.receivedOnline, c.received);
  const digitized = percent(c.receivedDigitized, c.received);
  const payment = percent(c.paidOnline, c.withFee);
  const lateRate = c.resolved === 0 ? null : (100 * c.resolvedLate) / c.resolved;
  const dissatisfiedRate = c.ratings === 0 ? 0 : (100 * c.dissatisfied) / c.ratings;
  const satisfaction = lateRate === null ? null : round2(Math.max(0, 100 - (lateRate + dissatisfiedRate)));

  const groups: ScoreGroup[] = [
    { key: "transparency", label: "Công khai, minh bạch", rate: null, points: 0, maxPoints: 18, measurable: false, note: "Publication of procedures and information is not recorded in motcua" },
    { key: "progress", label: "Tiến độ giải quyết", rate: progress, points: pointsFor(progress, 20), maxPoints: 20, measurable: true, note: "Finished by the due instant, or still running within time at the period's end; more than one supplement request counts as late" },
    { key: "online_service", label: "Dịch vụ trực tuyến", rate: online, points: pointsFor(online, 12, 50), maxPoints: 12, measurable: true, note: "Online dossiers / all received; full points at ≥ 50%. Electronic results are not recorded, so every online dossier counts" },
    { key: "digitization", label: "Số hóa hồ sơ", rate: digitized, points: pointsFor(digitized, 22, 80), maxPoints: 22, measurable: true, note: "Digitised dossiers / all received; full points at ≥ 80%" },
    { key: "online_payment", label: "Thanh toán trực tuyến", rate: payment, points: pointsFor(payment, 10), maxPoints: 10, measurable: true, note: "Paid online / dossiers with a fee" },
    { key: "satisfaction", label: "Mức độ hài lòng", rate: satisfaction, points: pointsFor(satisfaction, 18, 90), maxPoints: 18, measurable: true, note: "100% − (late rate + dissatisfied rate); full points at ≥ 90%" },
  ];
  const measurable = groups.filter((g) => g.measurable);
  const points = round2(measurable.reduce((s, g) => s + g.points, 0));
  const maxPoints = measurable.reduce((s, g) => s + g.maxPoints, 0);
  const percentOfMax = round2((100 * points) / maxPoints);
  return {
    groups,
    total: { points, maxPoints, percentOfMax, rating: ratingOf(percentOfMax) },
    notMeasurable: groups.filter((g) => !g.measurable).map((g) => g.key),
  };
}
