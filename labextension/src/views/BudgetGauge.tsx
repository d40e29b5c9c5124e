import * as React from 'react';

import { budgetLevel, budgetShares, budgetSummary, formatEpsilon, formatPercent } from '../format';
import type { DatasetSummary } from '../schema';

/** One dataset's privacy budget: a bar split into spent, reserved (training now) and left. */
export function BudgetGauge(props: { dataset: DatasetSummary }): JSX.Element {
  const { dataset } = props;
  const { budget } = dataset;
  const shares = budgetShares(budget);
  const level = budgetLevel(budget);
  const summary = budgetSummary(budget);
  const rows = dataset.rows === null ? null : `${dataset.rows.toLocaleString('en-US')} rows`;
  const runs = `${dataset.run_count} run${dataset.run_count === 1 ? '' : 's'}`;
  return (
    <li className={`jp-SynthStudio-gauge jp-SynthStudio-gauge-${level}`} data-dataset={dataset.name}>
      <div className="jp-SynthStudio-gaugeHeader">
        <span className="jp-SynthStudio-gaugeName" title={dataset.name}>
          {dataset.name}
        </span>
        <span className="jp-SynthStudio-gaugeLeft">
          {formatEpsilon(budget.remaining)} <span className="jp-SynthStudio-muted">left</span>
        </span>
      </div>
      <div
        className="jp-SynthStudio-bar"
        role="meter"
        aria-label={`Privacy budget of ${dataset.name}`}
        aria-valuemin={0}
        aria-valuemax={budget.total}
        aria-valuenow={budget.spent + budget.reserved}
        aria-valuetext={summary}
        title={`${summary} (${formatPercent(shares.remaining)} left)`}
      >
        <span className="jp-SynthStudio-bar-spent" style={{ width: `${shares.spent * 100}%` }} />
        <span className="jp-SynthStudio-bar-reserved" style={{ width: `${shares.reserved * 100}%` }} />
      </div>
      <div className="jp-SynthStudio-gaugeSummary">{summary}</div>
      <div className="jp-SynthStudio-muted">{[rows, runs].filter(Boolean).join(' · ')}</div>
      {shares.overdrawn && (
        <div className="jp-SynthStudio-alert" role="alert">
          Spent and reserved ε exceed this dataset&apos;s total budget.
        </div>
      )}
    </li>
  );
}

/** Every dataset's gauge, or what to do when there is none yet. */
export function BudgetList(props: { datasets: ReadonlyArray<DatasetSummary> }): JSX.Element {
  if (props.datasets.length === 0) {
    return (
      <p className="jp-SynthStudio-empty">
        No dataset has a privacy budget yet. Register one with{' '}
        <code>ss.register_dataset(df, &quot;name&quot;, total_epsilon=10)</code> or train a DP model.
      </p>
    );
  }
  return (
    <ul className="jp-SynthStudio-list" aria-label="Privacy budgets">
      {props.datasets.map(dataset => (
        <BudgetGauge key={dataset.id} dataset={dataset} />
      ))}
    </ul>
  );
}
