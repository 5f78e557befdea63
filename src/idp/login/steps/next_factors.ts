// Only factors that would reach the level asked for are offered: a weaker one could pass and still leave
// the login short.
import { aalOf, acrRank, type Acr, type Factor } from '../../oidc/acr.ts';
import type { Authenticators } from '../../authenticators/index.ts';
import type { LoginProgress } from '../progress.ts';

/** Which factor could be added next, on top of those passed, to reach the needed level. */
export async function nextFactors(authenticators: Pick<Authenticators, 'factorsOf'>, p: LoginProgress, needed: Acr): Promise<Factor[]> {
  const candidates = await authenticators.factorsOf(p.sub);
  return candidates.filter((f) => !p.factors.includes(f) && acrRank(aalOf([...p.factors, f])) >= acrRank(needed));
}
