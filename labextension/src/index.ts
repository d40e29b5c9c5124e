/**
 * Synth Studio for JupyterLab: a sidebar with each dataset's privacy budget, the recent runs
 * with their compliance status, and the live progress of training in the current notebook.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';

import { frameworksEndPoint } from './frameworks';
import { KernelBridge } from './kernels';
import { SynthStudioModel } from './model';
import { requestAPI } from './request';
import type { DatasetsResponse, FrameworkBadgesResponse } from './schema';
import { ISynthStudioModel } from './tokens';
import { createSidebar, SIDEBAR_ID } from './views/Sidebar';

export { ISynthStudioModel } from './tokens';

namespace CommandIDs {
  export const open = 'synthstudio:open';
  export const refresh = 'synthstudio:refresh';
}

/** The state: budgets and runs polled from the server extension. */
const modelPlugin: JupyterFrontEndPlugin<ISynthStudioModel> = {
  id: 'synthstudio-lab:model',
  description: 'Polls the Synth Studio server extension for budgets and runs.',
  autoStart: true,
  provides: ISynthStudioModel,
  activate: (): ISynthStudioModel =>
    new SynthStudioModel({
      fetchDatasets: () => requestAPI<DatasetsResponse>('datasets'),
      fetchFrameworks: runIds => requestAPI<FrameworkBadgesResponse>(frameworksEndPoint(runIds))
    })
};

/** The side panel. */
const sidebarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'synthstudio-lab:sidebar',
  description: 'The Synth Studio sidebar: budgets, recent runs, live training.',
  autoStart: true,
  requires: [ISynthStudioModel],
  optional: [ILayoutRestorer, ILabShell],
  activate: (
    app: JupyterFrontEnd,
    model: ISynthStudioModel,
    restorer: ILayoutRestorer | null,
    labShell: ILabShell | null
  ): void => {
    const panel = createSidebar(model);
    app.shell.add(panel, 'left', { rank: 850 });
    restorer?.add(panel, SIDEBAR_ID);
    // The poll stands by while the page is hidden; catch up as soon as the panel is shown.
    labShell?.layoutModified.connect(() => {
      if (panel.isVisible && model.lastUpdated && Date.now() - model.lastUpdated.getTime() > 5000) {
        void model.refresh();
      }
    });
  }
};

/** Live training progress: the kernels' `synthstudio` comms, following the current notebook. */
const kernelsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'synthstudio-lab:kernels',
  description: 'Listens to the synthstudio comm of every notebook kernel.',
  autoStart: true,
  requires: [ISynthStudioModel],
  optional: [INotebookTracker],
  activate: (_: JupyterFrontEnd, model: ISynthStudioModel, tracker: INotebookTracker | null): void => {
    if (tracker) {
      new KernelBridge(model, tracker);
    }
  }
};

/** Commands: open the sidebar, refresh now. */
const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'synthstudio-lab:commands',
  description: 'Commands to open and refresh the Synth Studio sidebar.',
  autoStart: true,
  requires: [ISynthStudioModel],
  optional: [ICommandPalette],
  activate: (app: JupyterFrontEnd, model: ISynthStudioModel, palette: ICommandPalette | null): void => {
    app.commands.addCommand(CommandIDs.open, {
      label: 'Synth Studio: Show Privacy Budgets',
      execute: () => app.shell.activateById(SIDEBAR_ID)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: 'Synth Studio: Refresh Budgets and Runs',
      execute: () => model.refresh()
    });
    for (const command of [CommandIDs.open, CommandIDs.refresh]) {
      palette?.addItem({ command, category: 'Synth Studio' });
    }
  }
};

const plugins: JupyterFrontEndPlugin<any>[] = [modelPlugin, sidebarPlugin, kernelsPlugin, commandsPlugin];

export default plugins;
