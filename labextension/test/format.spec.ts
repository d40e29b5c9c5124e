import {
  budgetLevel,
  budgetShares,
  budgetSummary,
  checkStatusLabel,
  formatDelta,
  formatDuration,
  formatEpsilon,
  formatLosses,
  formatNumber,
  formatPrivacy,
  formatRelativeTime,
  parseTimestamp,
  runStatusLabel,
  UNKNOWN
} from '../src/format';

describe('formatEpsilon', () => {
  it.each([
    [0, '0'],
    [0.004, '<0.01'],
    [0.5, '0.5'],
    [2.9512, '2.95'],
    [3, '3'],
    [12.34, '12.3'],
    [250.4, '250']
  ])('%p -> %p', (value, expected) => {
    expect(formatEpsilon(value)).toBe(expected);
  });

  it('shows unknown values as a dash, never as 0', () => {
    expect(formatEpsilon(null)).toBe(UNKNOWN);
    expect(formatEpsilon(undefined)).toBe(UNKNOWN);
    expect(formatEpsilon(NaN)).toBe(UNKNOWN);
  });
});

describe('formatDelta', () => {
  it.each([
    [1e-5, '1e-5'],
    [2.5e-7, '2.5e-7'],
    [0.001, '1e-3'],
    [0, '0']
  ])('%p -> %p', (value, expected) => {
    expect(formatDelta(value)).toBe(expected);
  });

  it('is unknown for null', () => {
    expect(formatDelta(null)).toBe(UNKNOWN);
  });
});

describe('formatDuration', () => {
  it.each([
    [0.25, '250 ms'],
    [42.2, '42 s'],
    [185, '3 min 05 s'],
    [7380, '2 h 03 min']
  ])('%p s -> %p', (value, expected) => {
    expect(formatDuration(value)).toBe(expected);
  });

  it('is unknown for negative or missing values', () => {
    expect(formatDuration(-1)).toBe(UNKNOWN);
    expect(formatDuration(null)).toBe(UNKNOWN);
  });
});

describe('formatRelativeTime', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it.each([
    ['2026-03-01T11:59:40Z', 'just now'],
    ['2026-03-01T11:55:00Z', '5 min ago'],
    ['2026-03-01T09:00:00Z', '3 h ago'],
    ['2026-02-27T12:00:00Z', '2 d ago']
  ])('%p -> %p', (iso, expected) => {
    expect(formatRelativeTime(iso, now)).toBe(expected);
  });

  it('reads timestamps without a zone as UTC', () => {
    expect(formatRelativeTime('2026-03-01T11:55:00', now)).toBe('5 min ago');
    expect(parseTimestamp('2026-03-01T11:55:00')).toBe(Date.parse('2026-03-01T11:55:00Z'));
    expect(parseTimestamp('2026-03-01T13:55:00+02:00')).toBe(Date.parse('2026-03-01T11:55:00Z'));
  });

  it('is unknown for missing or invalid timestamps', () => {
    expect(formatRelativeTime(null, now)).toBe(UNKNOWN);
    expect(formatRelativeTime('yesterday', now)).toBe(UNKNOWN);
  });
});

describe('budgets', () => {
  it('splits a budget into spent, reserved and remaining shares', () => {
    const shares = budgetShares({ total: 10, spent: 2.5, reserved: 1.5, remaining: 6 });
    expect(shares.spent).toBeCloseTo(0.25);
    expect(shares.reserved).toBeCloseTo(0.15);
    expect(shares.remaining).toBeCloseTo(0.6);
    expect(shares.overdrawn).toBe(false);
  });

  it('clips an overdrawn budget and flags it', () => {
    const shares = budgetShares({ total: 1, spent: 0.8, reserved: 0.5, remaining: 0 });
    expect(shares.spent).toBeCloseTo(0.8);
    expect(shares.reserved).toBeCloseTo(0.2);
    expect(shares.remaining).toBe(0);
    expect(shares.overdrawn).toBe(true);
  });

  it('handles a zero total without dividing by zero', () => {
    expect(budgetShares({ total: 0, spent: 0, reserved: 0, remaining: 0 })).toEqual({
      spent: 0,
      reserved: 0,
      remaining: 0,
      overdrawn: false
    });
  });

  it('grades what is left', () => {
    expect(budgetLevel({ total: 10, spent: 2, reserved: 0, remaining: 8 })).toBe('ok');
    expect(budgetLevel({ total: 10, spent: 6, reserved: 0, remaining: 4 })).toBe('low');
    expect(budgetLevel({ total: 10, spent: 9, reserved: 0, remaining: 1 })).toBe('critical');
    expect(budgetLevel({ total: 0, spent: 0, reserved: 0, remaining: 0 })).toBe('critical');
  });

  it('summarises a budget in one line, with reservations only when there are some', () => {
    expect(budgetSummary({ total: 10, spent: 2.95, reserved: 0, remaining: 7.05 })).toBe(
      'ε 2.95 of 10 spent · 7.05 left'
    );
    expect(budgetSummary({ total: 10, spent: 2, reserved: 3, remaining: 5 })).toBe(
      'ε 2 of 10 spent · 3 reserved · 5 left'
    );
  });
});

describe('labels', () => {
  it('names a reserved run as training and unknown checks as not known', () => {
    expect(runStatusLabel('reserved')).toBe('training');
    expect(runStatusLabel('refused')).toBe('refused');
    expect(checkStatusLabel('unknown')).toBe('not known');
    expect(checkStatusLabel('warn')).toBe('warning');
  });

  it('labels a non-DP run as having no formal guarantee, whatever numbers it carries', () => {
    const base = { epsilon_spent: 1, epsilon_target: 1, delta: 1e-5 };
    expect(formatPrivacy({ guarantee: 'none', ...base })).toBe('no formal guarantee');
    expect(formatPrivacy({ guarantee: 'differential-privacy', ...base })).toBe('ε 1 / 1 · δ 1e-5');
    expect(
      formatPrivacy({ guarantee: 'differential-privacy', epsilon_spent: null, epsilon_target: null, delta: null })
    ).toBe('ε — · δ —');
    expect(formatPrivacy({ guarantee: 'differential-privacy', status: 'reserved', ...base, epsilon_spent: null })).toBe(
      'ε 1 reserved · δ 1e-5'
    );
  });
});

describe('numbers and losses', () => {
  it.each([
    [0.41234, '0.412'],
    [-0.13, '-0.13'],
    [1234.6, '1235'],
    [0.00001234, '1.23e-5'],
    [0, '0']
  ])('formatNumber(%p) -> %p', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it('lists losses sorted by name and skips non-finite ones', () => {
    expect(formatLosses({ loss: 1.5, elbo: 0.25, nan: NaN })).toBe('elbo 0.25 · loss 1.5');
    expect(formatLosses({ loss: 1.5, nan: NaN })).toBe('1.5');
    expect(formatLosses({})).toBe('');
  });
});
