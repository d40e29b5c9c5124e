import * as React from 'react';

import { formatDuration, formatLosses, formatPercent, liveEpsilon } from '../format';
import type { ICurrentKernel, ILiveTraining } from '../tokens';

/** Live progress of the latest training in the current notebook's kernel. */
export function LiveProgress(props: { live: ILiveTraining | null; current: ICurrentKernel }): JSX.Element {
  const { live, current } = props;
  if (current.kernelId === null) {
    return <p className="jp-SynthStudio-empty">Open a notebook with a running kernel to follow its training here.</p>;
  }
  if (live === null) {
    return (
      <p className="jp-SynthStudio-empty">
        No training in {current.label ?? 'this notebook'} yet. Progress appears here while{' '}
        <code>%%dp_train</code> runs.
      </p>
    );
  }
  const fraction = live.epochs ? live.epoch / live.epochs : 0;
  const title = [live.method, live.model ? `→ ${live.model}` : null, live.dataset ? `on ${live.dataset}` : null]
    .filter(Boolean)
    .join(' ');
  const losses = formatLosses(live.losses);
  return (
    <div className={`jp-SynthStudio-live jp-SynthStudio-live-${live.state}`} aria-label="Live training" role="region">
      <div className="jp-SynthStudio-liveTitle">
        <span>{title || 'Training'}</span>
        <span className={`jp-SynthStudio-pill jp-SynthStudio-pill-${live.state}`}>{stateLabel(live)}</span>
      </div>
      <div
        className="jp-SynthStudio-bar"
        role="progressbar"
        aria-label="Training progress"
        aria-valuemin={0}
        aria-valuemax={live.epochs ?? undefined}
        aria-valuenow={live.epoch}
        aria-valuetext={live.epochs ? `epoch ${live.epoch} of ${live.epochs}` : `epoch ${live.epoch}`}
      >
        <span className="jp-SynthStudio-bar-progress" style={{ width: `${Math.min(1, fraction) * 100}%` }} />
      </div>
      <dl className="jp-SynthStudio-facts">
        <dt>Epoch</dt>
        <dd>
          {live.epoch}
          {live.epochs ? ` / ${live.epochs} (${formatPercent(fraction)})` : ''}
        </dd>
        <dt>ε spent</dt>
        <dd>
          {liveEpsilon(live)}
        </dd>
        {losses && (
          <>
            <dt>Loss</dt>
            <dd>{losses}</dd>
          </>
        )}
        {live.elapsedS !== null && (
          <>
            <dt>Elapsed</dt>
            <dd>{formatDuration(live.elapsedS)}</dd>
          </>
        )}
        {live.state === 'running' && live.etaS !== null && (
          <>
            <dt>Left</dt>
            <dd>≈ {formatDuration(live.etaS)}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

function stateLabel(live: ILiveTraining): string {
  if (live.state === 'running') {
    return 'training';
  }
  if (live.state === 'interrupted') {
    return `interrupted: ${live.status ?? 'kernel stopped'}`;
  }
  return live.status ?? 'finished';
}
