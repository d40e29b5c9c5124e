import * as React from 'react';

import { budgetLevel, budgetShares, budgetSummary, formatEpsilon, formatPercent, formatTimestamp } from '../format';
import { budgetHistory, datasetLabel, groupDatasets, hasBudgetUse } from '../runs';
import type { DatasetSummary } from '../schema';

/** The dataset's runs, oldest first, with the ε each charged and the running total. */
export function BudgetHistory(props: { dataset: DatasetSummary }): JSX.Element | null {
  const lines = budgetHistory(props.dataset);
  if (lines.length === 0) {
    return null;
  }
  const more = props.dataset.run_count - lines.length;
  return (
    <details className="jp-SynthStudio-history">
      <summary>Budget history ({props.dataset.run_count} run{props.dataset.run_count === 1 ? '' : 's'})</summary>
      <table aria-label={`Budget history of ${datasetLabel(props.dataset)}`}>
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Run</th>
            <th scope="col">ε charged</th>
            <th scope="col">ε total</th>
          </tr>
        </thead>
        <tbody>
          {lines.map(line => (
            <tr key={line.runId}>
              <td>{formatTimestamp(line.when).replace(' UTC', '')}</td>
              <td>
                {line.method} · {line.status}
              </td>
              <td className="jp-SynthStudio-num">{formatEpsilon(line.charged)}</td>
              <td className="jp-SynthStudio-num">{formatEpsilon(line.cumulative)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 && <p className="jp-SynthStudio-muted">Latest {lines.length} runs; {more} older not shown.</p>}
    </details>
  );
}

/** One dataset's privacy budget: a bar split into spent, reserved (training now) and left. */
export function BudgetGauge(props: { dataset: DatasetSummary }): JSX.Element {
  const { dataset } = props;
  const { budget } = dataset;
  const shares = budgetShares(budget);
  const level = budgetLevel(budget);
  const summary = budgetSummary(budget);
  const rows = dataset.rows === null ? null : `${dataset.rows.toLocaleString('en-US')} rows`;
  const runs = `${dataset.run_count} run${dataset.run_count === 1 ? '' : 's'}`;
  const label = datasetLabel(dataset);
  if (!hasBudgetUse(dataset)) {
    return (
      <li className="jp-SynthStudio-gauge" data-dataset={dataset.name}>
        <div className="jp-SynthStudio-gaugeName" title={`${label} (${dataset.name})`}>
          {label}
        </div>
        <div className="jp-SynthStudio-muted">
          {runs} without a formal guarantee: no ε charged. Register it with a budget to train DP models on it.
        </div>
        <BudgetHistory dataset={dataset} />
      </li>
    );
  }
  return (
    <li className={`jp-SynthStudio-gauge jp-SynthStudio-gauge-${level}`} data-dataset={dataset.name}>
      <div className="jp-SynthStudio-gaugeHeader">
        <span className="jp-SynthStudio-gaugeName" title={`${label} (${dataset.name})`}>
          {label}
        </span>
        <span className="jp-SynthStudio-gaugeLeft">
          {formatEpsilon(budget.remaining)} <span className="jp-SynthStudio-muted">left</span>
        </span>
      </div>
      <div
        className="jp-SynthStudio-bar"
        role="meter"
        aria-label={`Privacy budget of ${label}`}
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
      <BudgetHistory dataset={dataset} />
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
  const { registered, unregistered } = groupDatasets(props.datasets);
  return (
    <>
      {registered.length > 0 && (
        <ul className="jp-SynthStudio-list" aria-label="Privacy budgets">
          {registered.map(dataset => (
            <BudgetGauge key={dataset.id} dataset={dataset} />
          ))}
        </ul>
      )}
      {unregistered.length > 0 && (
        <>
          <h3 className="jp-SynthStudio-subheading">Unregistered tables ({unregistered.length})</h3>
          <ul className="jp-SynthStudio-list" aria-label="Unregistered tables">
            {unregistered.map(dataset => (
              <BudgetGauge key={dataset.id} dataset={dataset} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}
