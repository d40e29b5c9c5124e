import { formatTimestamp, liveEpsilon } from '../src/format';
import {
  budgetHistory,
  datasetLabel,
  filterOptions,
  filterRuns,
  groupDatasets,
  hasBudgetUse,
  NO_FILTER,
  runTitle,
  runVerdict
} from '../src/runs';
import { compliance, dataset, run } from './fixtures';

describe('datasetLabel', () => {
  it('uses the registered name as it is', () => {
    expect(datasetLabel(dataset('adult', []))).toBe('adult');
  });

  it('gives an unregistered table a readable label instead of its fingerprint name', () => {
    const d = { ...dataset('unregistered-970487874a4e3e7f', []), registered: false, rows: 1338 };
    const label = datasetLabel(d);
    expect(label).toBe('Unregistered table · 1,338 rows · first used 1 Jan 2026, 00:00 UTC');
    expect(label).not.toContain('970487874a4e3e7f');
  });
});

describe('groupDatasets', () => {
  it('puts registered datasets first by name and groups unregistered tables newest first', () => {
    const old = { ...dataset('unregistered-a', []), registered: false, created_at: '2026-01-01T00:00:00Z' };
    const fresh = { ...dataset('unregistered-b', []), registered: false, created_at: '2026-02-01T00:00:00Z' };
    const { registered, unregistered } = groupDatasets([old, dataset('zeta', []), fresh, dataset('alpha', [])]);
    expect(registered.map(d => d.name)).toEqual(['alpha', 'zeta']);
    expect(unregistered.map(d => d.name)).toEqual(['unregistered-b', 'unregistered-a']);
  });

  it('shows no gauge for an unregistered table nothing was charged to', () => {
    const unused = { ...dataset('unregistered-a', []), registered: false, budget: { total: 10, spent: 0, reserved: 0, remaining: 10 } };
    expect(hasBudgetUse(unused)).toBe(false);
    expect(hasBudgetUse({ ...unused, budget: { ...unused.budget, spent: 0.5 } })).toBe(true);
    expect(hasBudgetUse(dataset('adult', []))).toBe(true);
  });
});

describe('filterRuns', () => {
  const runs = [
    run('r1', '2026-01-01T00:00:00Z', { dataset_name: 'adult', status: 'succeeded' }),
    run('r2', '2026-01-02T00:00:00Z', { dataset_name: 'adult', status: 'failed' }),
    run('r3', '2026-01-03T00:00:00Z', { dataset_name: 'insurance', status: 'failed' })
  ];

  it('filters by dataset, by status and by both', () => {
    expect(filterRuns(runs, NO_FILTER).map(r => r.id)).toEqual(['r1', 'r2', 'r3']);
    expect(filterRuns(runs, { dataset: 'adult', status: '' }).map(r => r.id)).toEqual(['r1', 'r2']);
    expect(filterRuns(runs, { dataset: '', status: 'failed' }).map(r => r.id)).toEqual(['r2', 'r3']);
    expect(filterRuns(runs, { dataset: 'insurance', status: 'succeeded' })).toEqual([]);
  });

  it('offers the datasets and statuses present', () => {
    expect(filterOptions(runs)).toEqual({ datasets: ['adult', 'insurance'], statuses: ['failed', 'succeeded'] });
  });
});

describe('runVerdict', () => {
  it('never reads "pass" for a failed, stopped or refused run, and says what it was charged', () => {
    for (const status of ['failed', 'stopped', 'refused'] as const) {
      const text = `${status}: ε 0.4 charged, no model released`;
      const r = run('r', null, {
        status,
        compliance: compliance('r', 'pass'),
        words: { level: null, guarantee: null, status, status_text: text }
      });
      const verdict = runVerdict(r);
      expect(verdict.status).not.toBe('pass');
      expect(verdict.text).toBe(text);
    }
  });

  it('keeps the compliance status of a succeeded run', () => {
    expect(runVerdict(run('r', null, { compliance: compliance('r', 'pass') })).status).toBe('pass');
  });
});

describe('budgetHistory', () => {
  it('lists runs oldest first with the ε each charged and the running total', () => {
    const runs = [
      run('b', '2026-01-02T00:00:00Z', { epsilon_spent: 1.5, status: 'failed' }),
      run('a', '2026-01-01T00:00:00Z', { epsilon_spent: 1 }),
      run('c', '2026-01-03T00:00:00Z', { epsilon_spent: 2, status: 'refused' }),
      run('d', '2026-01-04T00:00:00Z', { guarantee: 'none', epsilon_spent: null, method: 'ctgan' })
    ];
    const lines = budgetHistory(dataset('adult', runs));
    expect(lines.map(l => [l.runId, l.charged, l.cumulative])).toEqual([
      ['a', 1, 1],
      ['b', 1.5, 2.5],
      ['c', 0, 2.5],
      ['d', 0, 2.5]
    ]);
  });
});

describe('runTitle and formatTimestamp', () => {
  it('names the model variable when the ledger knows it', () => {
    expect(runTitle({ method: 'dp-tvae', model_variable: 'model' })).toBe('model = dp-tvae');
    expect(runTitle({ method: 'dp-tvae', model_variable: null })).toBe('dp-tvae');
  });

  it('formats UTC timestamps and unknowns', () => {
    expect(formatTimestamp('2026-11-30T23:52:07Z')).toBe('30 Nov 2026, 23:52 UTC');
    expect(formatTimestamp(null)).toBe('—');
  });
});

describe('liveEpsilon', () => {
  it('never says "not reported"', () => {
    expect(liveEpsilon({ epsilon: null, targetEpsilon: null })).toBe('no formal privacy guarantee');
    expect(liveEpsilon({ epsilon: null, targetEpsilon: 2 })).toBe('none yet of 2 reserved');
    expect(liveEpsilon({ epsilon: 0.41, targetEpsilon: 2 })).toBe('0.41 of 2');
  });
});
