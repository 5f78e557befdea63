// The steps of /account/verify as data: for each step (the account's own, then each method's in the
// order of methods/index.ts), where the person stands, from their checks, their level and the policy
// table. A step is done when the level is at least the step's; otherwise it needs the checks its level's
// policy row asks for beyond its own: with them it can be done now (the first such is next), without
// them it is locked, or waiting when its own checks are already recorded (a photo approved for an
// account whose register check is not done yet: it counts as soon as that is).
import { ialRank, type Ial } from '../../kernel/assurance.ts';
import { IAL_POLICY } from './policy.ts';
import type { StepState } from './views.ts';

export interface StepInput {
  id: string;
  level: Ial;
  /** the checks this step records */
  checks: readonly string[];
}

export interface StepPlan {
  id: string;
  state: StepState;
  /** the steps to do first (locked or waiting): those that record the missing checks */
  after: string[];
}

export function planSteps(steps: readonly StepInput[], have: Iterable<string>, ial: Ial | undefined, policy = IAL_POLICY): StepPlan[] {
  const checks = new Set(have);
  let nextTaken = false;
  return steps.map((step) => {
    // the step's own row of its level (a level may have several: in person, or through a digital ID)
    const rows = policy.filter((r) => r.ial === step.level);
    const requires = (rows.find((r) => r.requires.some((c) => step.checks.includes(c))) ?? rows[0])?.requires ?? [];
    const own = requires.filter((c) => step.checks.includes(c));
    const missing = requires.filter((c) => !step.checks.includes(c) && !checks.has(c));
    const after = [...new Set(missing.map((c) => steps.find((s) => s !== step && s.checks.includes(c))?.id).filter((id): id is string => Boolean(id)))];
    if (ial !== undefined && ialRank(ial) >= ialRank(step.level)) return { id: step.id, state: 'done', after: [] };
    if (missing.length) return { id: step.id, state: own.length && own.every((c) => checks.has(c)) ? 'waiting' : 'locked', after };
    const state: StepState = nextTaken ? 'later' : 'next';
    nextTaken = true;
    return { id: step.id, state, after: [] };
  });
}
