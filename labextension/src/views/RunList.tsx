import * as React from 'react';

import { checkStatusLabel, formatPrivacy, formatRelativeTime, runStatusLabel, shortId } from '../format';
import type { RunSummary } from '../schema';
import { ComplianceBadges } from './ComplianceBadges';

/** One run: method, dataset, status, ε/δ, when; its compliance badges underneath. */
export function RunItem(props: { run: RunSummary; now: Date }): JSX.Element {
  const { run, now } = props;
  const when = run.finished_at ?? run.started_at;
  return (
    <li
      className={`jp-SynthStudio-run jp-SynthStudio-run-${run.status}`}
      aria-label={`Run ${shortId(run.id)}: ${run.method} on ${run.dataset_name ?? 'unnamed data'}, ${runStatusLabel(run.status)}`}
      data-run-id={run.id}
    >
      <div className="jp-SynthStudio-runHeader">
        <span className="jp-SynthStudio-runMethod">{run.method}</span>
        <span className="jp-SynthStudio-muted"> on </span>
        <span className="jp-SynthStudio-runDataset">{run.dataset_name ?? 'unnamed data'}</span>
        <span className={`jp-SynthStudio-pill jp-SynthStudio-pill-${run.status}`}>{runStatusLabel(run.status)}</span>
      </div>
      <div className="jp-SynthStudio-runMeta">
        <span className={run.guarantee === 'none' ? 'jp-SynthStudio-noGuarantee' : ''}>{formatPrivacy(run)}</span>
        {run.compliance.privacy_level && (
          <span className="jp-SynthStudio-level" title={run.compliance.privacy_level.meaning}>
            {' · '}
            {run.compliance.privacy_level.label}
          </span>
        )}
        <span className="jp-SynthStudio-muted" title={when ?? undefined}>
          {' · '}
          {formatRelativeTime(when, now)}
        </span>
      </div>
      <div className="jp-SynthStudio-overall">
        Compliance:{' '}
        <span className={`jp-SynthStudio-pill jp-SynthStudio-status-${run.compliance.status}`} title={run.compliance.summary}>
          {checkStatusLabel(run.compliance.status)}
        </span>
      </div>
      <ComplianceBadges compliance={run.compliance} />
    </li>
  );
}

/** The most recent runs of every dataset. */
export function RunList(props: { runs: ReadonlyArray<RunSummary>; now: Date }): JSX.Element {
  if (props.runs.length === 0) {
    return <p className="jp-SynthStudio-empty">No runs yet: trained models show up here.</p>;
  }
  return (
    <ul className="jp-SynthStudio-list" aria-label="Recent runs">
      {props.runs.map(run => (
        <RunItem key={run.id} run={run} now={props.now} />
      ))}
    </ul>
  );
}
