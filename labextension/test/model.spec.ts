import { describeError, recentRuns, SynthStudioModel } from '../src/model';
import type { DatasetsResponse } from '../src/schema';
import type { ILiveTraining } from '../src/tokens';
import { dataset, response, run } from './fixtures';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => (resolve = r));
  return { promise, resolve };
}

function makeModel(fetch: () => Promise<DatasetsResponse>): SynthStudioModel {
  return new SynthStudioModel({ fetchDatasets: fetch, autoPoll: false, now: () => 1_000 });
}

describe('SynthStudioModel: server state', () => {
  it('loads datasets and merges their runs, most recent first', async () => {
    // Setup
    const adult = dataset('adult', [run('a1', '2026-01-01T10:00:00Z'), run('a2', '2026-01-03T10:00:00Z')]);
    const credit = dataset('credit', [run('c1', '2026-01-02T10:00:00Z'), run('c0', null)]);
    const model = makeModel(async () => response([adult, credit]));
    let changes = 0;
    model.changed.connect(() => changes++);
    // Run
    await model.refresh();
    // Assert
    expect(model.loaded).toBe(true);
    expect(model.error).toBeNull();
    expect(model.serverVersion).toBe('0.1.0');
    expect(model.datasets.map(d => d.name)).toEqual(['adult', 'credit']);
    expect(model.recentRuns.map(r => r.id)).toEqual(['a2', 'c1', 'a1', 'c0']);
    expect(changes).toBe(1);
    model.dispose();
  });

  it('records a failed fetch as an error and clears it on the next success', async () => {
    // Setup
    let fail = true;
    const model = makeModel(async () => {
      if (fail) {
        throw new Error('Forbidden');
      }
      return response([dataset('adult', [])]);
    });
    // Run
    await model.refresh();
    // Assert
    expect(model.error).toBe('Forbidden');
    expect(model.loaded).toBe(false);
    fail = false;
    await model.refresh();
    expect(model.error).toBeNull();
    expect(model.datasets).toHaveLength(1);
    model.dispose();
  });

  it('serves calls made during a fetch with exactly one more fetch', async () => {
    // Setup
    const gates = [deferred<DatasetsResponse>(), deferred<DatasetsResponse>()];
    let calls = 0;
    const model = makeModel(() => gates[calls++].promise);
    // Run
    const first = model.refresh();
    const second = model.refresh();
    const third = model.refresh();
    gates[0].resolve(response([dataset('old', [])]));
    await Promise.resolve();
    await new Promise(r => setTimeout(r, 0));
    gates[1].resolve(response([dataset('new', [])]));
    await Promise.all([first, second, third]);
    // Assert: the ledger may have changed during the first fetch, so a second one ran; not a third.
    expect(calls).toBe(2);
    expect(model.datasets[0].name).toBe('new');
    model.dispose();
  });

  it('limits and de-duplicates the recent runs', () => {
    const runs = Array.from({ length: 30 }, (_, i) => run(`r${i}`, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()));
    const merged = recentRuns([dataset('a', runs), dataset('b', runs.slice(0, 5))], 20);
    expect(merged).toHaveLength(20);
    expect(merged[0].id).toBe('r29');
    expect(new Set(merged.map(r => r.id)).size).toBe(20);
  });

  it('describes errors for people', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError('plain')).toBe('plain');
    expect(describeError(42)).toMatch(/did not answer/);
  });

  it('polls on its own and stops when disposed', async () => {
    // Setup
    let calls = 0;
    const model = new SynthStudioModel({
      fetchDatasets: async () => {
        calls++;
        return response([]);
      },
      refreshInterval: 20
    });
    // Run
    await new Promise(r => setTimeout(r, 130));
    model.dispose();
    const seen = calls;
    await new Promise(r => setTimeout(r, 80));
    // Assert
    expect(seen).toBeGreaterThanOrEqual(3);
    expect(calls).toBe(seen);
    expect(model.isDisposed).toBe(true);
  });
});

describe('SynthStudioModel: live training', () => {
  let fetches: number;
  let model: SynthStudioModel;
  let emitted: Array<ILiveTraining | null>;

  beforeEach(() => {
    fetches = 0;
    model = makeModel(async () => {
      fetches++;
      return response([]);
    });
    emitted = [];
    model.liveChanged.connect((_, live) => emitted.push(live));
  });

  afterEach(() => model.dispose());

  it('follows a training in the current kernel from start to finish', async () => {
    // Setup
    model.setCurrentKernel('k1', 'analysis.ipynb');
    // Run
    model.handleCommMessage('k1', {
      event: 'training_started',
      run_id: 'r1',
      model: 'synth',
      method: 'dp-tvae',
      dataset: 'adult',
      epochs: 4,
      target_epsilon: 3
    });
    model.handleCommMessage('k1', {
      event: 'training_progress',
      model: 'synth',
      method: 'dp-tvae',
      epoch: 2,
      epochs: 4,
      losses: { loss: 1.25 },
      epsilon: 1.4,
      elapsed_s: 3,
      eta_s: 3
    });
    // Assert
    let live = model.live!;
    expect(live.state).toBe('running');
    expect(live).toMatchObject({ runId: 'r1', dataset: 'adult', epoch: 2, epochs: 4, epsilon: 1.4, targetEpsilon: 3 });
    expect(live.losses).toEqual({ loss: 1.25 });
    model.handleCommMessage('k1', { event: 'training_finished', model: 'synth', run_id: 'r1', status: 'succeeded', epsilon: 2.9 });
    live = model.live!;
    expect(live.state).toBe('finished');
    expect(live.status).toBe('succeeded');
    expect(live.epsilon).toBe(2.9);
    expect(live.etaS).toBeNull();
    expect(emitted).toHaveLength(4); // setCurrentKernel + 3 messages
    await new Promise(r => setTimeout(r, 0));
    expect(fetches).toBeGreaterThanOrEqual(1); // start and finish refresh the budgets
  });

  it('keeps progress per kernel and shows the one of the notebook in front', () => {
    // Setup
    model.setCurrentKernel('k1', 'a.ipynb');
    model.handleCommMessage('k2', { event: 'training_started', method: 'dp-ctgan', epochs: 10 });
    // Assert: k2 trains in the background, nothing shows for k1
    expect(model.live).toBeNull();
    expect(emitted).toHaveLength(1);
    // Run: switch notebooks
    model.setCurrentKernel('k2', 'b.ipynb');
    // Assert
    expect(model.live?.method).toBe('dp-ctgan');
    expect(model.current).toEqual({ kernelId: 'k2', label: 'b.ipynb' });
    model.setCurrentKernel(null);
    expect(model.live).toBeNull();
  });

  it('marks a running training as interrupted when its kernel restarts, and only then', () => {
    // Setup
    model.setCurrentKernel('k1');
    model.handleCommMessage('k1', { event: 'training_started', method: 'dp-tvae', epochs: 5 });
    // Run
    model.kernelInterrupted('k1', 'the kernel restarted');
    // Assert
    expect(model.live?.state).toBe('interrupted');
    expect(model.live?.status).toBe('the kernel restarted');
    // A finished training stays finished after a restart.
    model.handleCommMessage('k1', { event: 'training_started', method: 'dp-tvae', epochs: 5 });
    model.handleCommMessage('k1', { event: 'training_finished', status: 'succeeded' });
    model.kernelInterrupted('k1', 'the kernel restarted');
    expect(model.live?.state).toBe('finished');
  });

  it('drops non-finite losses and ignores unknown events', () => {
    model.setCurrentKernel('k1');
    model.handleCommMessage('k1', {
      event: 'training_progress',
      epoch: 1,
      epochs: 2,
      losses: { loss: NaN, kl: 0.5 }
    });
    expect(model.live?.losses).toEqual({ kl: 0.5 });
    const before = model.live;
    model.handleCommMessage('k1', { event: 'open' });
    model.handleCommMessage('k1', { event: 'something_new' } as any);
    expect(model.live).toBe(before);
  });

  it('refreshes the budgets when the kernel says the ledger changed', async () => {
    model.handleCommMessage('k9', { event: 'ledger_changed', dataset: 'adult' });
    await new Promise(r => setTimeout(r, 0));
    expect(fetches).toBe(1);
  });
});
