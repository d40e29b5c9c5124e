import * as React from 'react';

import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { checkStatusLabel, formatPrivacy, formatRelativeTime, formatTimestamp, shortId } from '../format';
import { API_NAMESPACE } from '../request';
import { filterOptions, filterRuns, IRunFilter, NO_FILTER, runTitle, runVerdict } from '../runs';
import type { FrameworkBadges, RunSummary } from '../schema';
import { ComplianceBadges } from './ComplianceBadges';
import { FrameworkBadgeList } from './FrameworkBadges';

/** The framework badges of a run, or null while they are not fetched (or not available). */
export type FrameworksLookup = (runId: string) => FrameworkBadges | null;

/** The URL of a run's self-contained HTML report (privacy report, scorecard, compliance). */
export function runReportUrl(runId: string): string {
  return URLExt.join(ServerConnection.makeSettings().baseUrl, API_NAMESPACE, 'runs', runId, 'report');
}

/** One run: its model variable and method, dataset, status, ε/δ and level, when; its
 * compliance underneath; a link to its report (privacy report and scorecard). */
export function RunItem(props: { run: RunSummary; now: Date; frameworks?: FrameworksLookup }): JSX.Element {
  const { run, now, frameworks } = props;
  const when = run.finished_at ?? run.started_at;
  const verdict = runVerdict(run);
  const dataset = run.dataset_name ?? 'unnamed data';
  return (
    <li
      className={`jp-SynthStudio-run jp-SynthStudio-run-${run.status}`}
      aria-label={`Run ${shortId(run.id)}: ${runTitle(run)} on ${dataset}, ${run.words.status}`}
      data-run-id={run.id}
    >
      <div className="jp-SynthStudio-runHeader">
        <span className="jp-SynthStudio-runMethod" title={`${runTitle(run)} · run ${run.id}`}>
          {runTitle(run)}
        </span>
        <span className={`jp-SynthStudio-pill jp-SynthStudio-pill-${run.status}`} title={run.words.status_text}>
          {run.words.status}
        </span>
      </div>
      <div className="jp-SynthStudio-runDataset" title={dataset}>
        <span className="jp-SynthStudio-muted">on </span>
        {dataset}
      </div>
      <div className="jp-SynthStudio-runMeta">
        <span className={run.guarantee === 'none' ? 'jp-SynthStudio-noGuarantee' : ''} title={run.words.guarantee ?? undefined}>
          {formatPrivacy(run)}
        </span>
        <span className="jp-SynthStudio-muted" title={formatTimestamp(when)}>
          {' · '}
          {formatRelativeTime(when, now)}
        </span>
      </div>
      {run.words.level && <div className="jp-SynthStudio-level">Privacy level: {run.words.level}</div>}
      {verdict.status !== run.compliance.status && <div className="jp-SynthStudio-runWhy">{verdict.text}</div>}
      {run.evaluation && (
        <div className="jp-SynthStudio-runScores">
          Scorecard:{' '}
          {(['fidelity', 'utility', 'privacy'] as const)
            .map(k => `${k} ${run.evaluation![k] === null ? 'n/a' : run.evaluation![k]!.toFixed(2)}`)
            .join(' · ')}
        </div>
      )}
      <div className="jp-SynthStudio-overall">
        Compliance:{' '}
        <span className={`jp-SynthStudio-pill jp-SynthStudio-status-${verdict.status}`} title={verdict.text}>
          {checkStatusLabel(verdict.status as RunSummary['compliance']['status'])}
        </span>{' '}
        <a className="jp-SynthStudio-link" href={runReportUrl(run.id)} target="_blank" rel="noopener noreferrer">
          Open report
        </a>
      </div>
      <ComplianceBadges compliance={run.compliance} />
      {frameworks && <FrameworkBadgeList badges={frameworks(run.id)} runId={run.id} />}
    </li>
  );
}

/** Filter menus: by dataset and by status. */
export function RunFilters(props: {
  runs: ReadonlyArray<RunSummary>;
  filter: IRunFilter;
  onChange: (filter: IRunFilter) => void;
}): JSX.Element {
  const { datasets, statuses } = filterOptions(props.runs);
  const { filter, onChange } = props;
  return (
    <div className="jp-SynthStudio-filters" role="group" aria-label="Filter runs">
      <label>
        Dataset{' '}
        <select value={filter.dataset} onChange={e => onChange({ ...filter, dataset: e.target.value })}>
          <option value="">all</option>
          {datasets.map(name => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status{' '}
        <select value={filter.status} onChange={e => onChange({ ...filter, status: e.target.value })}>
          <option value="">all</option>
          {statuses.map(status => (
            <option key={status} value={status}>
              {status === 'reserved' ? 'training' : status}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** The most recent runs of every dataset, with filters. */
export function RunList(props: {
  runs: ReadonlyArray<RunSummary>;
  now: Date;
  frameworks?: FrameworksLookup;
}): JSX.Element {
  const [filter, setFilter] = React.useState<IRunFilter>(NO_FILTER);
  if (props.runs.length === 0) {
    return <p className="jp-SynthStudio-empty">No runs yet: trained models show up here.</p>;
  }
  const shown = filterRuns(props.runs, filter);
  return (
    <>
      <RunFilters runs={props.runs} filter={filter} onChange={setFilter} />
      {shown.length === 0 && <p className="jp-SynthStudio-empty">No run matches these filters.</p>}
      <ul className="jp-SynthStudio-list" aria-label="Recent runs">
        {shown.map(run => (
          <RunItem key={run.id} run={run} now={props.now} frameworks={props.frameworks} />
        ))}
      </ul>
    </>
  );
}
