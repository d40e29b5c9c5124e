/**
 * Connects every notebook's kernel to the model through the `synthstudio` comm, and keeps the
 * model following the current notebook's kernel across notebook switches, kernel changes and
 * restarts.
 */
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';

import type { CommMessage } from './schema';
import type { ISynthStudioModel } from './tokens';

/** The comm target the kernel opens (synthstudio_kernel/notebook/comm.py). */
export const COMM_TARGET = 'synthstudio';

/** The part of a kernel comm the bridge uses (`Kernel.IComm` satisfies it). */
export interface ICommLike {
  readonly commId: string;
  // Method syntax on purpose: the real handler takes a richer message (checked bivariantly).
  onMsg(msg: { content: { data: unknown } }): void | PromiseLike<void>;
}

/** The part of a kernel connection the bridge uses (`Kernel.IKernelConnection` satisfies it). */
export interface IKernelLike {
  readonly id: string;
  readonly isDisposed: boolean;
  registerCommTarget(
    targetName: string,
    callback: (comm: any, msg: { content: { data: unknown } }) => void | PromiseLike<void>
  ): void;
  requestCommInfo(content: { target_name?: string }): Promise<{
    content: { status: string; comms?: Record<string, { target_name: string }> };
  }>;
  createComm(targetName: string, commId?: string): ICommLike;
}

/** The part of a session context the bridge uses (`ISessionContext` satisfies it). */
export interface ISessionContextLike {
  readonly isDisposed: boolean;
  readonly session: { readonly kernel: IKernelLike | null } | null;
  readonly ready: Promise<void>;
  readonly kernelChanged: ISignal<any, any>;
  readonly statusChanged: ISignal<any, string>;
}

/** The part of a notebook panel the bridge uses. */
export interface INotebookLike {
  readonly isDisposed: boolean;
  readonly sessionContext: ISessionContextLike;
  readonly title: { readonly label: string };
}

/** The part of INotebookTracker the bridge uses. */
export interface INotebookTrackerLike {
  readonly currentWidget: INotebookLike | null;
  readonly currentChanged: ISignal<any, any>;
  readonly widgetAdded: ISignal<any, INotebookLike>;
  forEach(fn: (widget: INotebookLike) => void): void;
}

/** Kernel statuses after which a training that was running in the kernel is over. */
const INTERRUPTING: Record<string, string> = {
  restarting: 'the kernel restarted',
  autorestarting: 'the kernel died and restarted',
  dead: 'the kernel died'
};

export class KernelBridge implements IDisposable {
  constructor(model: ISynthStudioModel, tracker: INotebookTrackerLike) {
    this._model = model;
    this._tracker = tracker;
    tracker.forEach(widget => this._watch(widget));
    tracker.widgetAdded.connect(this._onWidgetAdded, this);
    tracker.currentChanged.connect(this._follow, this);
    this._follow();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._tracker.widgetAdded.disconnect(this._onWidgetAdded, this);
    this._tracker.currentChanged.disconnect(this._follow, this);
  }

  private _onWidgetAdded(_: unknown, widget: INotebookLike): void {
    this._watch(widget);
  }

  private _watch(widget: INotebookLike): void {
    const context = widget.sessionContext;
    if (this._watched.has(context)) {
      return;
    }
    this._watched.add(context);
    context.kernelChanged.connect(() => {
      if (this._isDisposed) {
        return;
      }
      this._attach(context.session?.kernel ?? null);
      if (this._tracker.currentWidget === widget) {
        this._follow();
      }
    });
    context.statusChanged.connect((_, status) => {
      const kernel = context.session?.kernel;
      const reason = INTERRUPTING[status];
      if (!this._isDisposed && kernel && reason) {
        this._model.kernelInterrupted(kernel.id, reason);
      }
    });
    this._attach(context.session?.kernel ?? null);
    context.ready
      .then(() => {
        if (this._isDisposed || context.isDisposed) {
          return;
        }
        this._attach(context.session?.kernel ?? null);
        if (this._tracker.currentWidget === widget) {
          this._follow();
        }
      })
      .catch(() => undefined);
  }

  /** Register the comm target once per kernel connection (it survives restarts), then adopt
   * the comms the kernel already has open (a page reload while the kernel kept running). */
  private _attach(kernel: IKernelLike | null): void {
    if (!kernel || kernel.isDisposed || this._kernels.has(kernel)) {
      return;
    }
    this._kernels.add(kernel);
    kernel.registerCommTarget(COMM_TARGET, (comm: ICommLike, msg) => {
      this._adopt(kernel, comm);
      this._deliver(kernel, msg.content.data);
    });
    void this._adoptOpenComms(kernel);
  }

  private async _adoptOpenComms(kernel: IKernelLike): Promise<void> {
    try {
      const reply = await kernel.requestCommInfo({ target_name: COMM_TARGET });
      if (reply.content.status !== 'ok' || kernel.isDisposed) {
        return;
      }
      for (const [commId, info] of Object.entries(reply.content.comms ?? {})) {
        if (info.target_name !== COMM_TARGET) {
          continue;
        }
        try {
          this._adopt(kernel, kernel.createComm(COMM_TARGET, commId));
        } catch {
          // Already known to this connection (opened since the request): nothing to do.
        }
      }
    } catch {
      // The kernel went away or does not answer comm_info: live progress starts with its next comm.
    }
  }

  private _adopt(kernel: IKernelLike, comm: ICommLike): void {
    comm.onMsg = msg => this._deliver(kernel, msg.content.data);
  }

  private _deliver(kernel: IKernelLike, data: unknown): void {
    if (this._isDisposed || !isCommMessage(data)) {
      return;
    }
    this._model.handleCommMessage(kernel.id, data);
  }

  private _follow(): void {
    if (this._isDisposed) {
      return;
    }
    const widget = this._tracker.currentWidget;
    const kernel = widget && !widget.isDisposed ? (widget.sessionContext.session?.kernel ?? null) : null;
    this._model.setCurrentKernel(kernel ? kernel.id : null, widget ? widget.title.label : null);
  }

  private _model: ISynthStudioModel;
  private _tracker: INotebookTrackerLike;
  private _watched = new WeakSet<ISessionContextLike>();
  private _kernels = new WeakSet<IKernelLike>();
  private _isDisposed = false;
}

/** A comm payload the model understands: an object with a string `event`. */
export function isCommMessage(data: unknown): data is CommMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { event?: unknown }).event === 'string'
  );
}
