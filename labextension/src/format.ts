/**
 * Pure formatting helpers for the sidebar (no DOM, no JupyterLab): tested with jest.
 */
import type { Budget, CheckStatus, RunStatus } from './schema';

/** Shown wherever a value is not known. */
export const UNKNOWN = '—';

/** ε with a precision that suits its size: 0.004 → "<0.01", 2.9512 → "2.95", 12.3 → "12.3". */
export function formatEpsilon(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return UNKNOWN;
  }
  if (value === 0) {
    return '0';
  }
  if (value < 0.01) {
    return '<0.01';
  }
  if (value < 10) {
    return trimZeros(value.toFixed(2));
  }
  if (value < 100) {
    return trimZeros(value.toFixed(1));
  }
  return Math.round(value).toString();
}

/** δ in scientific notation: 1e-5 → "1e-5", 2.5e-7 → "2.5e-7". */
export function formatDelta(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return UNKNOWN;
  }
  if (value === 0) {
    return '0';
  }
  const [mantissa, exponent] = value.toExponential(2).split('e');
  return `${trimZeros(mantissa)}e${Number(exponent)}`;
}

/** Seconds as "850 ms", "42 s", "3 min 05 s", "2 h 03 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return UNKNOWN;
  }
  if (seconds < 1) {
    return `${Math.round(seconds * 1000)} ms`;
  }
  if (seconds < 60) {
    return `${Math.round(seconds)} s`;
  }
  const total = Math.round(seconds);
  if (total < 3600) {
    const minutes = Math.floor(total / 60);
    return `${minutes} min ${pad2(total % 60)} s`;
  }
  const hours = Math.floor(total / 3600);
  return `${hours} h ${pad2(Math.floor((total % 3600) / 60))} min`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago" relative to `now`; unknown for bad input. */
export function formatRelativeTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) {
    return UNKNOWN;
  }
  const time = parseTimestamp(iso);
  if (time === null) {
    return UNKNOWN;
  }
  const seconds = Math.max(0, (now.getTime() - time) / 1000);
  if (seconds < 45) {
    return 'just now';
  }
  if (seconds < 3600) {
    return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.round(seconds / 3600)} h ago`;
  }
  return `${Math.round(seconds / 86400)} d ago`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "30 Nov 2026, 23:52 UTC" (dates in the sidebar are UTC, as the ledger writes them). */
export function formatTimestamp(iso: string | null | undefined): string {
  const time = iso ? parseTimestamp(iso) : null;
  if (time === null) {
    return UNKNOWN;
  }
  const d = new Date(time);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} UTC`;
}

/**
 * Epoch milliseconds of an ISO 8601 timestamp. The server writes UTC; a timestamp without a
 * zone is read as UTC too (not as local time, which `Date.parse` would do).
 */
export function parseTimestamp(iso: string): number | null {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`;
  const time = Date.parse(zoned);
  return Number.isNaN(time) ? null : time;
}

/** Shares of a budget bar, each in [0, 1] and summing to at most 1 (overspending is clipped). */
export interface IBudgetShares {
  spent: number;
  reserved: number;
  remaining: number;
  /** True when spent + reserved exceeds the total. */
  overdrawn: boolean;
}

/** Split a budget into the shares a gauge draws. */
export function budgetShares(budget: Budget): IBudgetShares {
  const total = budget.total > 0 ? budget.total : 0;
  if (total === 0) {
    return { spent: 0, reserved: 0, remaining: 0, overdrawn: budget.spent + budget.reserved > 0 };
  }
  const spent = clamp01(budget.spent / total);
  const reserved = clamp01(Math.min(budget.reserved / total, 1 - spent));
  const overdrawn = budget.spent + budget.reserved > total * (1 + 1e-9);
  return { spent, reserved, remaining: clamp01(1 - spent - reserved), overdrawn };
}

/** Severity of what is left: "ok" above 50 %, "low" above 20 %, "critical" below (or empty). */
export function budgetLevel(budget: Budget): 'ok' | 'low' | 'critical' {
  if (budget.total <= 0) {
    return 'critical';
  }
  const left = budget.remaining / budget.total;
  if (left > 0.5) {
    return 'ok';
  }
  return left > 0.2 ? 'low' : 'critical';
}

/** One line for a gauge: "ε 2.95 of 10 spent · 7.05 left" (+ reserved while training). */
export function budgetSummary(budget: Budget): string {
  const parts = [`ε ${formatEpsilon(budget.spent)} of ${formatEpsilon(budget.total)} spent`];
  if (budget.reserved > 0) {
    parts.push(`${formatEpsilon(budget.reserved)} reserved`);
  }
  parts.push(`${formatEpsilon(budget.remaining)} left`);
  return parts.join(' · ');
}

/** Percent with no decimals, clipped to [0, 100]. */
export function formatPercent(fraction: number): string {
  return `${Math.round(clamp01(fraction) * 100)}%`;
}

const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  reserved: 'training',
  succeeded: 'succeeded',
  failed: 'failed',
  stopped: 'stopped',
  refused: 'refused'
};

/** What a run status reads as in the list ("reserved" is a run that is still training). */
export function runStatusLabel(status: RunStatus): string {
  return RUN_STATUS_LABELS[status] ?? status;
}

const CHECK_STATUS_LABELS: Record<CheckStatus, string> = {
  pass: 'pass',
  warn: 'warning',
  fail: 'fail',
  unknown: 'not known'
};

/** What a compliance status reads as; "unknown" is written out as "not known". */
export function checkStatusLabel(status: CheckStatus): string {
  return CHECK_STATUS_LABELS[status] ?? status;
}

/**
 * "ε 2.95 / 3 · δ 1e-5" (spent / target) for a DP run, "ε 3 reserved · δ 1e-5" while it trains,
 * "no formal guarantee" for other methods.
 */
export function formatPrivacy(run: {
  guarantee: string;
  status?: string;
  epsilon_spent: number | null;
  epsilon_target: number | null;
  delta: number | null;
}): string {
  if (run.guarantee !== 'differential-privacy') {
    return 'no formal guarantee';
  }
  if (run.status === 'reserved') {
    return `ε ${formatEpsilon(run.epsilon_target)} reserved · δ ${formatDelta(run.delta)}`;
  }
  const spent = formatEpsilon(run.epsilon_spent);
  const target = run.epsilon_target === null ? '' : ` / ${formatEpsilon(run.epsilon_target)}`;
  return `ε ${spent}${target} · δ ${formatDelta(run.delta)}`;
}

/**
 * Losses as "generator 0.412 · discriminator -0.13", sorted by name; a lone "loss" is just its
 * number; empty when none.
 */
export function formatLosses(losses: Readonly<Record<string, number>>): string {
  const names = Object.keys(losses)
    .sort()
    .filter(name => Number.isFinite(losses[name]));
  if (names.length === 1 && names[0] === 'loss') {
    return formatNumber(losses.loss);
  }
  return names.map(name => `${name} ${formatNumber(losses[name])}`).join(' · ');
}

/** Three significant digits, plain notation for ordinary sizes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    return UNKNOWN;
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) {
    return value.toExponential(2);
  }
  if (abs >= 1000) {
    return Math.round(value).toString();
  }
  return trimZeros(value.toPrecision(3));
}

/** A short id for display: the first 8 characters. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function pad2(value: number): string {
  return value.toString().padStart(2, '0');
}

function clamp01(value: number): number {
  if (!Number.isFinite(value)) {
    return 0;
  }
  return Math.min(1, Math.max(0, value));
}

/** "0.41 of 2", "none yet of 2 reserved" before the first epoch, "no formal privacy guarantee" for
 * a method without an accountant (never "not reported"). */
export function liveEpsilon(live: { epsilon: number | null; targetEpsilon: number | null }): string {
  if (live.targetEpsilon === null && live.epsilon === null) {
    return 'no formal privacy guarantee';
  }
  const target = live.targetEpsilon !== null ? ` of ${formatEpsilon(live.targetEpsilon)}` : '';
  if (live.epsilon === null) {
    return `none yet${target} reserved`;
  }
  return `${formatEpsilon(live.epsilon)}${target}`;
}
