// The KPI's targets as data (MOPH indicator 54, docs/coverage.md §Targets): each milestone falls due a
// number of months after the start of the KPI's year (the Thai fiscal year starts on 1 October). The
// current period's target is the next milestone not yet past; after the last, the last stands.
export interface Milestone {
  /** months after the year's start when it falls due */
  months: number;
  /** the lowest share, in per cent, that meets it */
  personnel: number;
  citizens: number;
}

export const TARGETS: Milestone[] = [
  { months: 6, personnel: 25, citizens: 10 },
  { months: 12, personnel: 50, citizens: 25 },
];

/** ISO date `months` after `start` (same day of the month). */
export function addMonths(start: string, months: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10);
}

export interface Period {
  milestone: Milestone;
  /** the day the milestone falls due */
  due: string;
  /** the first day of this period */
  from: string;
}

/** The period `today` (an ISO date, Bangkok) falls in. */
export function currentPeriod(yearStart: string, today: string, targets = TARGETS): Period {
  let from = yearStart;
  for (const milestone of targets) {
    const due = addMonths(yearStart, milestone.months);
    if (today < due) return { milestone, due, from };
    from = due;
  }
  const last = targets[targets.length - 1]!;
  return { milestone: last, due: addMonths(yearStart, last.months), from: addMonths(yearStart, targets.length > 1 ? targets[targets.length - 2]!.months : 0) };
}

/** A share in per cent with two decimals, as the seed's table shows it; null when there is no denominator. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10000) / 100 : null;
}

export const meets = (share: number | null, target: number) => share !== null && share >= target;
