/**
 * Grouping, filtering and wording of datasets and runs for the sidebar (pure functions, tested
 * in labextension/test/runs.spec.ts). Status, level and guarantee phrases come from the server
 * (`run.words`, built by synthstudio_kernel.privacy.levels) so every view reads the same.
 */
import { formatEpsilon, formatTimestamp } from './format';
import type { DatasetSummary, RunStatus, RunSummary } from './schema';

/** Statuses that never read as a pass, whatever the compliance badges say. */
export const NOT_PASS: ReadonlySet<RunStatus> = new Set<RunStatus>(['failed', 'stopped', 'refused']);

/** Filters of the runs list ('' means "any"). */
export interface IRunFilter {
  readonly dataset: string;
  readonly status: string;
}

export const NO_FILTER: IRunFilter = { dataset: '', status: '' };

/**
 * A readable name for a dataset: its registered name, or "Unregistered table · 1,338 rows ·
 * first used 30 Nov" for a table the ledger only knows by fingerprint.
 */
export function datasetLabel(dataset: Pick<DatasetSummary, 'name' | 'registered' | 'rows' | 'created_at'>): string {
  if (dataset.registered) {
    return dataset.name;
  }
  const parts = ['Unregistered table'];
  if (dataset.rows !== null) {
    parts.push(`${dataset.rows.toLocaleString('en-US')} rows`);
  }
  if (dataset.created_at) {
    parts.push(`first used ${formatTimestamp(dataset.created_at)}`);
  }
  return parts.join(' · ');
}

/** Registered datasets first (by name), then unregistered tables (newest first). */
export function groupDatasets(datasets: ReadonlyArray<DatasetSummary>): {
  registered: DatasetSummary[];
  unregistered: DatasetSummary[];
} {
  const registered = datasets.filter(d => d.registered).sort((a, b) => a.name.localeCompare(b.name));
  const unregistered = datasets
    .filter(d => !d.registered)
    .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
  return { registered, unregistered };
}

/** True when a dataset has had ε charged or reserved (a gauge means something only then). */
export function hasBudgetUse(dataset: DatasetSummary): boolean {
  return dataset.registered || dataset.budget.spent > 0 || dataset.budget.reserved > 0;
}

/** Runs matching the filter (dataset by name, status by ledger status). */
export function filterRuns(runs: ReadonlyArray<RunSummary>, filter: IRunFilter): RunSummary[] {
  return runs.filter(
    run => (!filter.dataset || run.dataset_name === filter.dataset) && (!filter.status || run.status === filter.status)
  );
}

/** The distinct dataset names and statuses present, for the filter menus. */
export function filterOptions(runs: ReadonlyArray<RunSummary>): { datasets: string[]; statuses: RunStatus[] } {
  const datasets = [...new Set(runs.map(run => run.dataset_name).filter((n): n is string => !!n))].sort();
  const statuses = [...new Set(runs.map(run => run.status))].sort();
  return { datasets, statuses };
}

/** One line of a dataset's budget history. */
export interface IHistoryLine {
  readonly runId: string;
  readonly when: string | null;
  readonly method: string;
  readonly status: string;
  /** ε charged by this run (0 for a refused or non-DP run). */
  readonly charged: number;
  /** ε spent on the dataset after this run (cumulative, oldest first). */
  readonly cumulative: number;
}

/** The dataset's runs, oldest first, with the ε each charged and the running total. */
export function budgetHistory(dataset: DatasetSummary): IHistoryLine[] {
  const runs = [...dataset.runs].sort((a, b) => (a.started_at ?? '').localeCompare(b.started_at ?? ''));
  let total = 0;
  return runs.map(run => {
    const charged = run.guarantee === 'differential-privacy' && run.status !== 'refused' ? (run.epsilon_spent ?? 0) : 0;
    total += run.status === 'reserved' ? 0 : charged;
    return {
      runId: run.id,
      when: run.finished_at ?? run.started_at,
      method: run.method,
      status: run.words.status,
      charged,
      cumulative: total
    };
  });
}

/** "model = dp-tvae" when the notebook variable is known, else the method alone. */
export function runTitle(run: Pick<RunSummary, 'method' | 'model_variable'>): string {
  return run.model_variable ? `${run.model_variable} = ${run.method}` : run.method;
}

/**
 * The run's overall compliance word: a failed, stopped or refused run shows its status text
 * (what it was charged and why), never "pass".
 */
export function runVerdict(run: RunSummary): { status: string; text: string } {
  if (NOT_PASS.has(run.status)) {
    return { status: run.status === 'refused' ? 'warn' : 'fail', text: run.words.status_text };
  }
  return { status: run.compliance.status, text: run.compliance.summary };
}

/** "ε 0.4 charged" for the history table. */
export function formatCharged(line: IHistoryLine): string {
  return `${formatEpsilon(line.charged)}`;
}
