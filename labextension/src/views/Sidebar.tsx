import * as React from 'react';

import { ReactWidget, refreshIcon, SidePanel, ToolbarButton } from '@jupyterlab/ui-components';
import type { Panel } from '@lumino/widgets';

import { formatRelativeTime } from '../format';
import type { ISynthStudioModel } from '../tokens';
import { synthStudioIcon } from '../icons';
import { BudgetList } from './BudgetGauge';
import { LiveProgress } from './LiveProgress';
import { RunList } from './RunList';
import { useRerenderOn, useTicker } from './useSignal';

export const SIDEBAR_ID = 'synthstudio-sidebar';

function ServerStatus(props: { model: ISynthStudioModel }): JSX.Element | null {
  const { model } = props;
  if (model.error) {
    return (
      <div className="jp-SynthStudio-alert" role="alert">
        Could not load budgets: {model.error}. Is the <code>synthstudio_kernel.server</code> extension enabled?
      </div>
    );
  }
  if (!model.loaded) {
    return <p className="jp-SynthStudio-muted">Loading budgets…</p>;
  }
  return null;
}

function LiveSection(props: { model: ISynthStudioModel }): JSX.Element {
  const { model } = props;
  useRerenderOn(model.liveChanged);
  const live = model.live;
  useTicker(1000, live?.state === 'running');
  return <LiveProgress live={live} current={model.current} />;
}

function BudgetSection(props: { model: ISynthStudioModel }): JSX.Element {
  const { model } = props;
  useRerenderOn(model.changed);
  return (
    <>
      <ServerStatus model={model} />
      {model.loaded && <BudgetList datasets={model.datasets} />}
    </>
  );
}

function RunsSection(props: { model: ISynthStudioModel }): JSX.Element {
  const { model } = props;
  useRerenderOn(model.changed);
  useTicker(30_000);
  const now = new Date();
  return (
    <>
      {model.loaded && <RunList runs={model.recentRuns} now={now} frameworks={id => model.frameworksFor(id)} />}
      {model.frameworksError && (
        <p className="jp-SynthStudio-muted" role="status">
          Framework badges not updated: {model.frameworksError}
        </p>
      )}
      {model.lastUpdated && (
        <p className="jp-SynthStudio-muted jp-SynthStudio-updated">
          Updated {formatRelativeTime(model.lastUpdated.toISOString(), now)}
        </p>
      )}
    </>
  );
}

function section(label: string, id: string, render: () => JSX.Element): ReactWidget {
  const widget = ReactWidget.create(render());
  widget.id = id;
  widget.title.label = label;
  widget.addClass('jp-SynthStudio-section');
  return widget;
}

/** The Synth Studio side panel: live training, budgets per dataset, recent runs. */
export function createSidebar(model: ISynthStudioModel): SidePanel {
  const panel = new SidePanel();
  panel.id = SIDEBAR_ID;
  panel.addClass('jp-SynthStudio-sidebar');
  panel.title.icon = synthStudioIcon;
  panel.title.caption = 'Synth Studio: privacy budgets and runs';
  panel.header.addWidget(
    ReactWidget.create(
      <div className="jp-SynthStudio-title">
        <h2>Synth Studio</h2>
        <span className="jp-SynthStudio-muted">Privacy budgets, runs and live training</span>
      </div>
    )
  );
  panel.toolbar.addItem(
    'refresh',
    new ToolbarButton({
      icon: refreshIcon,
      tooltip: 'Refresh budgets and runs',
      onClick: () => void model.refresh()
    })
  );
  panel.addWidget(section('Live training', 'synthstudio-live', () => <LiveSection model={model} />));
  panel.addWidget(section('Privacy budgets', 'synthstudio-budgets', () => <BudgetSection model={model} />));
  panel.addWidget(section('Recent runs', 'synthstudio-runs', () => <RunsSection model={model} />));
  // The runs list holds the most: give it half of the height.
  const content = panel.content as Panel & { setRelativeSizes?: (sizes: number[]) => void };
  content.setRelativeSizes?.([1, 1, 2]);
  return panel;
}
