import type { Budget, ComplianceStatus, DatasetsResponse, DatasetSummary, RunSummary } from '../src/schema';

export function compliance(runId: string, status: ComplianceStatus['status'] = 'unknown'): ComplianceStatus {
  return {
    run_id: runId,
    status,
    summary: 'test',
    privacy_level: null,
    badges: [{ check: 'identifiers', label: 'Identifiers', status: 'unknown', reasons: ['No PII scan recorded.'] }],
    known: 0,
    unknown: 1
  };
}

export function run(id: string, startedAt: string | null, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    dataset_id: 'd1',
    dataset_name: 'adult',
    method: 'dp-tvae',
    guarantee: 'differential-privacy',
    status: 'succeeded',
    epsilon_target: 3,
    epsilon_spent: 2.9,
    delta: 1e-5,
    started_at: startedAt,
    finished_at: null,
    safety: null,
    compliance: compliance(id),
    model_variable: null,
    words: {
      level: 'strong (1 ≤ ε ≤ 5): suitable for healthcare and financial records',
      guarantee: '(ε = 2.9, δ = 1e-05)-differential privacy',
      status: 'succeeded',
      status_text: 'succeeded: ε 2.9 spent, model released'
    },
    evaluation: null,
    ...extra
  };
}

export function dataset(name: string, runs: RunSummary[], budget: Partial<Budget> = {}): DatasetSummary {
  return {
    id: `id-${name}`,
    name,
    registered: true,
    rows: 100,
    created_at: '2026-01-01T00:00:00Z',
    budget: { total: 10, spent: 2.9, reserved: 0, remaining: 7.1, ...budget },
    run_count: runs.length,
    runs
  };
}

export function response(datasets: DatasetSummary[]): DatasetsResponse {
  return { version: '0.1.0', datasets };
}
