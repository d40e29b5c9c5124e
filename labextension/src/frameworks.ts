/**
 * Per-framework compliance badges (HIPAA, GDPR, CCPA, SOC 2) of a run: wording, order, hover
 * text and the request that fetches them. Pure functions; the model fetches, the view renders.
 */
import type { FrameworkBadge, FrameworkBadges, FrameworkBadgesResponse, FrameworkState } from './schema';

/** The order the sidebar shows the frameworks in (unknown ones after these, by name). */
export const FRAMEWORK_ORDER: ReadonlyArray<FrameworkBadge['framework']> = ['hipaa', 'gdpr', 'ccpa', 'soc2'];

/** At most this many runs per request (the server refuses more). */
export const MAX_BADGE_RUNS = 50;

/** Fetches the framework badges of the given runs (one GET). */
export type FrameworksFetcher = (runIds: ReadonlyArray<string>) => Promise<FrameworkBadgesResponse>;

const STATE_WORDS: Record<FrameworkState, string> = {
  measured: 'measured',
  attested: 'attested',
  missing: 'missing',
  fail: 'fail'
};

const STATE_MEANING: Record<FrameworkState, string> = {
  measured: 'the tool measured what this framework needs; a person has not attested yet',
  attested: 'a person attested what this framework needs',
  missing: 'evidence this framework needs was not recorded',
  fail: "the run's privacy guarantee is void"
};

/** The word shown on a badge for its state. */
export function frameworkStateLabel(state: FrameworkState): string {
  return STATE_WORDS[state] ?? String(state);
}

/** What a state means, in one phrase. */
export function frameworkStateMeaning(state: FrameworkState): string {
  return STATE_MEANING[state] ?? String(state);
}

/** The hover text of one badge: the state, what it means, then each reason on its own line. */
export function frameworkTooltip(badge: FrameworkBadge): string {
  const head = `${badge.label}: ${frameworkStateLabel(badge.state)} (${frameworkStateMeaning(badge.state)})`;
  return [head, ...badge.reasons.map(reason => `• ${reason}`)].join('\n');
}

/** The badges in the sidebar's order: HIPAA, GDPR, CCPA, SOC 2, then any other by name. */
export function orderedBadges(badges: ReadonlyArray<FrameworkBadge>): FrameworkBadge[] {
  const rank = (badge: FrameworkBadge): number => {
    const at = FRAMEWORK_ORDER.indexOf(badge.framework);
    return at < 0 ? FRAMEWORK_ORDER.length : at;
  };
  return [...badges].sort((a, b) => rank(a) - rank(b) || a.framework.localeCompare(b.framework));
}

/** The endpoint under /synthstudio/api/ for the badges of these runs (de-duplicated, capped). */
export function frameworksEndPoint(runIds: ReadonlyArray<string>): string {
  const ids = [...new Set(runIds)].slice(0, MAX_BADGE_RUNS);
  return `frameworks?${ids.map(id => `run=${encodeURIComponent(id)}`).join('&')}`;
}

/** Index a response by run id. */
export function badgesByRun(response: FrameworkBadgesResponse): Map<string, FrameworkBadges> {
  return new Map(response.runs.map(entry => [entry.run_id, entry]));
}

/** A one-line summary of a run's badges, e.g. "HIPAA attested · GDPR measured · ...". */
export function frameworksSummary(badges: ReadonlyArray<FrameworkBadge>): string {
  return orderedBadges(badges)
    .map(badge => `${badge.label} ${frameworkStateLabel(badge.state)}`)
    .join(' · ');
}
