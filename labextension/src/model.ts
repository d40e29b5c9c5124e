/**
 * The sidebar's state. Budgets and runs come from the server (polled, standby while the page
 * is hidden, and fetched again right away when a kernel says the ledger changed); live training
 * progress comes from the kernels' `synthstudio` comms, kept per kernel, and the model exposes
 * the one of the kernel it currently follows (the current notebook's).
 */
import { Poll } from '@lumino/polling';
import { Signal } from '@lumino/signaling';

import { badgesByRun, FrameworksFetcher } from './frameworks';
import { parseTimestamp } from './format';
import type { CommMessage, DatasetSummary, FrameworkBadges, RunSummary } from './schema';
import type {
  DatasetsFetcher,
  ICurrentKernel,
  ILiveTraining,
  ISynthStudioModel,
  LiveState
} from './tokens';

/** How often the budgets are fetched while the page is visible. */
export const DEFAULT_REFRESH_MS = 10_000;

/** How many runs the "recent runs" list keeps. */
export const RECENT_RUNS = 20;

export namespace SynthStudioModel {
  export interface IOptions {
    /** One GET of /synthstudio/api/datasets (requestAPI in the lab, a fake in tests). */
    fetchDatasets: DatasetsFetcher;
    /**
     * One GET of /synthstudio/api/frameworks for the listed runs; fetched after every refresh.
     * Without it the per-framework badges are not shown.
     */
    fetchFrameworks?: FrameworksFetcher;
    /** Poll interval in ms; defaults to DEFAULT_REFRESH_MS. */
    refreshInterval?: number;
    /** Start polling at once (default true; tests turn it off and call refresh()). */
    autoPoll?: boolean;
    /** Clock, for tests. */
    now?: () => number;
  }
}

export class SynthStudioModel implements ISynthStudioModel {
  constructor(options: SynthStudioModel.IOptions) {
    this._fetchDatasets = options.fetchDatasets;
    this._fetchFrameworks = options.fetchFrameworks ?? null;
    this._now = options.now ?? Date.now;
    const interval = options.refreshInterval ?? DEFAULT_REFRESH_MS;
    this._poll = new Poll({
      auto: options.autoPoll ?? true,
      factory: () => this._load(),
      frequency: { interval, backoff: true, max: interval * 6 },
      name: 'synthstudio-lab:model',
      standby: 'when-hidden'
    });
  }

  get datasets(): ReadonlyArray<DatasetSummary> {
    return this._datasets;
  }

  get recentRuns(): ReadonlyArray<RunSummary> {
    return this._recentRuns;
  }

  get serverVersion(): string | null {
    return this._serverVersion;
  }

  get error(): string | null {
    return this._error;
  }

  get frameworksError(): string | null {
    return this._frameworksError;
  }

  frameworksFor(runId: string): FrameworkBadges | null {
    return this._frameworks.get(runId) ?? null;
  }

  get loaded(): boolean {
    return this._lastUpdated !== null;
  }

  get lastUpdated(): Date | null {
    return this._lastUpdated;
  }

  get current(): ICurrentKernel {
    return this._current;
  }

  get live(): ILiveTraining | null {
    const id = this._current.kernelId;
    return id === null ? null : (this._live.get(id) ?? null);
  }

  get changed(): Signal<this, void> {
    return this._changed;
  }

  get liveChanged(): Signal<this, ILiveTraining | null> {
    return this._liveChanged;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Fetch now. Calls made while a fetch runs are served by one more fetch after it. */
  async refresh(): Promise<void> {
    if (this._inFlight) {
      this._again = true;
      return this._inFlight;
    }
    this._inFlight = (async () => {
      try {
        do {
          this._again = false;
          try {
            await this._load();
          } catch {
            // _load already recorded the error for the views.
          }
        } while (this._again && !this._isDisposed);
      } finally {
        this._inFlight = null;
      }
    })();
    return this._inFlight;
  }

  setCurrentKernel(kernelId: string | null, label: string | null = null): void {
    if (this._current.kernelId === kernelId && this._current.label === label) {
      return;
    }
    this._current = { kernelId, label };
    this._liveChanged.emit(this.live);
  }

  handleCommMessage(kernelId: string, message: CommMessage): void {
    if (this._isDisposed || !message || typeof message !== 'object') {
      return;
    }
    switch (message.event) {
      case 'training_started':
        this._setLive(kernelId, {
          kernelId,
          state: 'running',
          runId: message.run_id ?? null,
          model: message.model ?? null,
          method: message.method ?? null,
          dataset: message.dataset ?? null,
          epoch: 0,
          epochs: message.epochs ?? null,
          losses: {},
          epsilon: null,
          targetEpsilon: message.target_epsilon ?? null,
          elapsedS: null,
          etaS: null,
          status: null,
          updatedAt: this._now()
        });
        // The ledger now holds a reservation for this run: show it.
        void this.refresh();
        break;
      case 'training_progress': {
        const previous = this._live.get(kernelId);
        const base = previous && previous.state === 'running' ? previous : null;
        this._setLive(kernelId, {
          kernelId,
          state: 'running',
          runId: message.run_id ?? base?.runId ?? null,
          model: message.model ?? base?.model ?? null,
          method: message.method ?? base?.method ?? null,
          dataset: base?.dataset ?? null,
          epoch: message.epoch,
          epochs: message.epochs ?? base?.epochs ?? null,
          losses: finiteOnly(message.losses),
          epsilon: message.epsilon ?? base?.epsilon ?? null,
          targetEpsilon: base?.targetEpsilon ?? null,
          elapsedS: message.elapsed_s ?? null,
          etaS: message.eta_s ?? null,
          status: null,
          updatedAt: this._now()
        });
        break;
      }
      case 'training_finished': {
        const previous = this._live.get(kernelId);
        this._setLive(kernelId, {
          ...(previous ?? emptyLive(kernelId)),
          state: 'finished',
          runId: message.run_id ?? previous?.runId ?? null,
          model: message.model ?? previous?.model ?? null,
          epsilon: message.epsilon ?? previous?.epsilon ?? null,
          etaS: null,
          status: message.status,
          updatedAt: this._now()
        });
        void this.refresh();
        break;
      }
      case 'ledger_changed':
        void this.refresh();
        break;
      default:
        // "open" and events from newer kernels: nothing to show.
        break;
    }
  }

  kernelInterrupted(kernelId: string, reason: string): void {
    const previous = this._live.get(kernelId);
    if (!previous || previous.state !== 'running') {
      return;
    }
    this._setLive(kernelId, {
      ...previous,
      state: 'interrupted' as LiveState,
      etaS: null,
      status: reason,
      updatedAt: this._now()
    });
    // A run cut off by a restart is settled by the ledger's owner; show what it says.
    void this.refresh();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    this._live.clear();
    Signal.clearData(this);
  }

  private async _load(): Promise<void> {
    if (this._isDisposed) {
      return;
    }
    try {
      const response = await this._fetchDatasets();
      if (this._isDisposed) {
        return;
      }
      this._datasets = response.datasets;
      this._recentRuns = recentRuns(response.datasets);
      this._serverVersion = response.version;
      this._error = null;
      this._lastUpdated = new Date(this._now());
      this._changed.emit();
    } catch (reason) {
      if (this._isDisposed) {
        return;
      }
      this._error = describeError(reason);
      this._changed.emit();
      throw reason; // lets the poll back off
    }
    await this._loadFrameworks();
  }

  /** The framework badges of the listed runs. A failure is recorded apart and never stops the
   * budgets from refreshing (the badges keep their last known state). */
  private async _loadFrameworks(): Promise<void> {
    const ids = this._recentRuns.map(run => run.id);
    if (!this._fetchFrameworks || this._isDisposed) {
      return;
    }
    if (ids.length === 0) {
      this._frameworks = new Map();
      return;
    }
    try {
      const response = await this._fetchFrameworks(ids);
      if (this._isDisposed) {
        return;
      }
      this._frameworks = badgesByRun(response);
      this._frameworksError = null;
      this._changed.emit();
    } catch (reason) {
      if (this._isDisposed) {
        return;
      }
      this._frameworksError = describeError(reason);
      this._changed.emit();
    }
  }

  private _setLive(kernelId: string, live: ILiveTraining): void {
    this._live.set(kernelId, live);
    if (kernelId === this._current.kernelId) {
      this._liveChanged.emit(live);
    }
  }

  private _fetchDatasets: DatasetsFetcher;
  private _fetchFrameworks: FrameworksFetcher | null;
  private _frameworks = new Map<string, FrameworkBadges>();
  private _frameworksError: string | null = null;
  private _now: () => number;
  private _poll: Poll;
  private _datasets: ReadonlyArray<DatasetSummary> = [];
  private _recentRuns: ReadonlyArray<RunSummary> = [];
  private _serverVersion: string | null = null;
  private _error: string | null = null;
  private _lastUpdated: Date | null = null;
  private _current: ICurrentKernel = { kernelId: null, label: null };
  private _live = new Map<string, ILiveTraining>();
  private _inFlight: Promise<void> | null = null;
  private _again = false;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
  private _liveChanged = new Signal<this, ILiveTraining | null>(this);
}

/** Every dataset's runs merged, most recent first (runs without a start time last), de-duplicated. */
export function recentRuns(
  datasets: ReadonlyArray<DatasetSummary>,
  limit: number = RECENT_RUNS
): RunSummary[] {
  const seen = new Map<string, RunSummary>();
  for (const dataset of datasets) {
    for (const run of dataset.runs) {
      if (!seen.has(run.id)) {
        seen.set(run.id, run);
      }
    }
  }
  const key = (run: RunSummary): number => {
    const time = run.started_at ? parseTimestamp(run.started_at) : null;
    return time === null ? -Infinity : time;
  };
  return [...seen.values()].sort((a, b) => key(b) - key(a)).slice(0, limit);
}

/** A message for people out of whatever a failed request threw. */
export function describeError(reason: unknown): string {
  if (reason instanceof Error && reason.message) {
    return reason.message;
  }
  if (typeof reason === 'string' && reason) {
    return reason;
  }
  return 'The Synth Studio server extension did not answer.';
}

function finiteOnly(losses: Record<string, number | undefined> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(losses ?? {})) {
    if (typeof value === 'number' && Number.isFinite(value)) {
      out[name] = value;
    }
  }
  return out;
}

function emptyLive(kernelId: string): ILiveTraining {
  return {
    kernelId,
    state: 'finished',
    runId: null,
    model: null,
    method: null,
    dataset: null,
    epoch: 0,
    epochs: null,
    losses: {},
    epsilon: null,
    targetEpsilon: null,
    elapsedS: null,
    etaS: null,
    status: null,
    updatedAt: 0
  };
}
