import { Signal } from '@lumino/signaling';

import {
  COMM_TARGET,
  ICommLike,
  IKernelLike,
  INotebookLike,
  INotebookTrackerLike,
  isCommMessage,
  KernelBridge,
  ISessionContextLike
} from '../src/kernels';
import { SynthStudioModel } from '../src/model';
import { response } from './fixtures';

type Handler = (comm: ICommLike, msg: { content: { data: unknown } }) => void;

class FakeComm implements ICommLike {
  constructor(readonly commId: string) {}
  onMsg(_: { content: { data: unknown } }): void {
    // replaced by the bridge
  }
  send(data: unknown): void {
    void this.onMsg({ content: { data } });
  }
}

class FakeKernel implements IKernelLike {
  isDisposed = false;
  targets = new Map<string, Handler>();
  comms = new Map<string, FakeComm>();
  openInKernel: Record<string, { target_name: string }> = {};
  constructor(readonly id: string) {}
  registerCommTarget(target: string, callback: Handler): void {
    this.targets.set(target, callback);
  }
  async requestCommInfo(content: { target_name?: string }) {
    const comms = Object.fromEntries(
      Object.entries(this.openInKernel).filter(([, info]) => info.target_name === content.target_name)
    );
    return { content: { status: 'ok', comms } };
  }
  createComm(_target: string, commId = `local-${this.comms.size}`): FakeComm {
    if (this.comms.has(commId)) {
      throw new Error(`Comm ${commId} already exists`);
    }
    const comm = new FakeComm(commId);
    this.comms.set(commId, comm);
    return comm;
  }
  /** The kernel opens a comm (comm_open from synthstudio_kernel.notebook.comm.publish). */
  open(commId: string, data: unknown): FakeComm {
    const handler = this.targets.get(COMM_TARGET);
    if (!handler) {
      throw new Error('no target registered');
    }
    const comm = new FakeComm(commId);
    this.comms.set(commId, comm);
    handler(comm, { content: { data } });
    return comm;
  }
  /** A restart drops the comms; the target registry stays (as in @jupyterlab/services). */
  restart(): void {
    this.comms.clear();
  }
}

class FakeSessionContext implements ISessionContextLike {
  isDisposed = false;
  session: { kernel: IKernelLike | null } | null;
  ready = Promise.resolve();
  kernelChanged = new Signal<this, unknown>(this);
  statusChanged = new Signal<this, string>(this);
  constructor(kernel: FakeKernel | null) {
    this.session = { kernel };
  }
  changeKernel(kernel: FakeKernel): void {
    this.session = { kernel };
    this.kernelChanged.emit({});
  }
}

class FakeNotebook implements INotebookLike {
  isDisposed = false;
  sessionContext: FakeSessionContext;
  title: { label: string };
  constructor(label: string, kernel: FakeKernel | null) {
    this.title = { label };
    this.sessionContext = new FakeSessionContext(kernel);
  }
}

class FakeTracker implements INotebookTrackerLike {
  currentWidget: FakeNotebook | null = null;
  currentChanged = new Signal<this, FakeNotebook | null>(this);
  widgetAdded = new Signal<this, FakeNotebook>(this);
  widgets: FakeNotebook[] = [];
  add(widget: FakeNotebook): void {
    this.widgets.push(widget);
    this.widgetAdded.emit(widget);
    this.activate(widget);
  }
  activate(widget: FakeNotebook | null): void {
    this.currentWidget = widget;
    this.currentChanged.emit(widget);
  }
  forEach(fn: (widget: INotebookLike) => void): void {
    this.widgets.forEach(fn);
  }
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

describe('KernelBridge', () => {
  let model: SynthStudioModel;
  let tracker: FakeTracker;
  let bridge: KernelBridge;

  beforeEach(() => {
    model = new SynthStudioModel({ fetchDatasets: async () => response([]), autoPoll: false });
    tracker = new FakeTracker();
    bridge = new KernelBridge(model, tracker);
  });

  afterEach(() => {
    bridge.dispose();
    model.dispose();
  });

  it('registers the comm target and routes training messages of the current notebook', async () => {
    // Setup
    const kernel = new FakeKernel('k1');
    tracker.add(new FakeNotebook('train.ipynb', kernel));
    await flush();
    // Run
    const comm = kernel.open('c1', { event: 'open' });
    comm.send({ event: 'training_started', method: 'dp-tvae', epochs: 3, model: 'm' });
    comm.send({ event: 'training_progress', epoch: 1, epochs: 3, epsilon: 0.7, losses: { loss: 2 } });
    // Assert
    expect(kernel.targets.has(COMM_TARGET)).toBe(true);
    expect(model.current).toEqual({ kernelId: 'k1', label: 'train.ipynb' });
    expect(model.live).toMatchObject({ state: 'running', epoch: 1, epsilon: 0.7, method: 'dp-tvae' });
  });

  it('switches the live view with the current notebook', async () => {
    // Setup
    const k1 = new FakeKernel('k1');
    const k2 = new FakeKernel('k2');
    const a = new FakeNotebook('a.ipynb', k1);
    const b = new FakeNotebook('b.ipynb', k2);
    tracker.add(a);
    tracker.add(b);
    await flush();
    k1.open('c1', { event: 'open' }).send({ event: 'training_started', method: 'dp-ctgan', epochs: 2 });
    // Assert: b is in front and has not trained
    expect(model.current.label).toBe('b.ipynb');
    expect(model.live).toBeNull();
    // Run
    tracker.activate(a);
    // Assert
    expect(model.live?.method).toBe('dp-ctgan');
  });

  it('keeps working across a kernel restart: interrupted, then a new comm from the new process', async () => {
    // Setup
    const kernel = new FakeKernel('k1');
    const notebook = new FakeNotebook('a.ipynb', kernel);
    tracker.add(notebook);
    await flush();
    kernel.open('c1', {}).send({ event: 'training_started', method: 'dp-tvae', epochs: 9 });
    // Run: restart
    notebook.sessionContext.statusChanged.emit('restarting');
    kernel.restart();
    // Assert
    expect(model.live?.state).toBe('interrupted');
    expect(model.live?.status).toBe('the kernel restarted');
    // Run: the restarted kernel opens a new comm on the same connection
    kernel.open('c2', {}).send({ event: 'training_started', method: 'dp-tvae', epochs: 2 });
    // Assert
    expect(model.live?.state).toBe('running');
    expect(model.live?.epochs).toBe(2);
  });

  it('follows a changed kernel and registers the target on it', async () => {
    // Setup
    const notebook = new FakeNotebook('a.ipynb', new FakeKernel('k1'));
    tracker.add(notebook);
    await flush();
    const other = new FakeKernel('k2');
    // Run
    notebook.sessionContext.changeKernel(other);
    other.open('c9', {}).send({ event: 'training_progress', epoch: 4, epochs: 8 });
    // Assert
    expect(model.current.kernelId).toBe('k2');
    expect(other.targets.has(COMM_TARGET)).toBe(true);
    expect(model.live?.epoch).toBe(4);
  });

  it('adopts comms the kernel already had open (page reloaded during training)', async () => {
    // Setup: the kernel opened its comm for an earlier page
    const kernel = new FakeKernel('k1');
    kernel.openInKernel = { old: { target_name: COMM_TARGET }, other: { target_name: 'jupyter.widget' } };
    // Run
    tracker.add(new FakeNotebook('a.ipynb', kernel));
    await flush();
    kernel.comms.get('old')!.send({ event: 'training_progress', epoch: 2, epochs: 5 });
    // Assert
    expect([...kernel.comms.keys()]).toEqual(['old']);
    expect(model.live?.epoch).toBe(2);
  });

  it('watches notebooks that were open before the bridge started', async () => {
    // Setup
    bridge.dispose();
    const kernel = new FakeKernel('k1');
    const notebook = new FakeNotebook('early.ipynb', kernel);
    tracker.widgets.push(notebook);
    tracker.currentWidget = notebook;
    // Run
    bridge = new KernelBridge(model, tracker);
    await flush();
    // Assert
    expect(kernel.targets.has(COMM_TARGET)).toBe(true);
    expect(model.current.label).toBe('early.ipynb');
  });

  it('ignores payloads that are not Synth Studio messages', async () => {
    const kernel = new FakeKernel('k1');
    tracker.add(new FakeNotebook('a.ipynb', kernel));
    await flush();
    const comm = kernel.open('c1', 'garbage');
    comm.send(null);
    comm.send({ no: 'event' });
    expect(model.live).toBeNull();
    expect(isCommMessage({ event: 'x' })).toBe(true);
    expect(isCommMessage([1])).toBe(false);
  });
});
