/**
 * Interfaces shared by the Synth Studio plugins (no implementation here).
 */
import { Token } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';

import type { CommMessage, DatasetsResponse, DatasetSummary, FrameworkBadges, RunSummary } from './schema';

/** Where the latest training of the current notebook's kernel stands. */
export type LiveState = 'running' | 'finished' | 'interrupted';

/** Live progress of one training, as pushed by the kernel over the `synthstudio` comm. */
export interface ILiveTraining {
  /** The kernel the training runs in. */
  readonly kernelId: string;
  readonly state: LiveState;
  readonly runId: string | null;
  readonly model: string | null;
  readonly method: string | null;
  readonly dataset: string | null;
  /** Last completed epoch (0 before the first one ends). */
  readonly epoch: number;
  readonly epochs: number | null;
  readonly losses: Readonly<Record<string, number>>;
  /** ε spent so far (DP methods), null when the method has no accountant. */
  readonly epsilon: number | null;
  readonly targetEpsilon: number | null;
  readonly elapsedS: number | null;
  readonly etaS: number | null;
  /** Final run status once finished ("succeeded", "failed", ...), or why it was interrupted. */
  readonly status: string | null;
  /** Epoch milliseconds of the last message. */
  readonly updatedAt: number;
}

/** The kernel the sidebar follows: the one behind the current notebook. */
export interface ICurrentKernel {
  readonly kernelId: string | null;
  /** A label for people: the notebook's name. */
  readonly label: string | null;
}

/** Fetches every dataset with its budget and recent runs (one GET). */
export type DatasetsFetcher = () => Promise<DatasetsResponse>;

/** The sidebar's state: budgets and runs from the server, live training from the kernel. */
export interface ISynthStudioModel extends IDisposable {
  readonly datasets: ReadonlyArray<DatasetSummary>;
  /** Runs of every dataset, most recent first. */
  readonly recentRuns: ReadonlyArray<RunSummary>;
  readonly serverVersion: string | null;
  /** Why the last refresh failed, or null. */
  readonly error: string | null;
  /** Why the last fetch of the framework badges failed, or null (budgets still refresh). */
  readonly frameworksError: string | null;
  /** The per-framework badges (HIPAA, GDPR, CCPA, SOC 2) of a listed run, or null until fetched. */
  frameworksFor(runId: string): FrameworkBadges | null;
  /** True once the first refresh succeeded. */
  readonly loaded: boolean;
  readonly lastUpdated: Date | null;
  readonly current: ICurrentKernel;
  /** Live training of the current kernel, or null when it has not trained anything. */
  readonly live: ILiveTraining | null;
  /** Emitted when datasets, runs or errors change. */
  readonly changed: ISignal<ISynthStudioModel, void>;
  /** Emitted when the live training (or the kernel followed) changes. */
  readonly liveChanged: ISignal<ISynthStudioModel, ILiveTraining | null>;
  /** Fetch now (the poll also fetches on its own, and stands by while the page is hidden). */
  refresh(): Promise<void>;
  /** Follow another kernel (the current notebook changed, or its kernel did). */
  setCurrentKernel(kernelId: string | null, label?: string | null): void;
  /** Handle one message from a kernel's `synthstudio` comm. */
  handleCommMessage(kernelId: string, message: CommMessage): void;
  /** A kernel restarted or died: trainings running in it are over. */
  kernelInterrupted(kernelId: string, reason: string): void;
}

export const ISynthStudioModel = new Token<ISynthStudioModel>(
  'synthstudio-lab:ISynthStudioModel',
  'Privacy budgets, runs and live training progress shown by the Synth Studio sidebar.'
);
