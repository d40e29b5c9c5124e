import { useEffect, useReducer } from 'react';
import type { ISignal } from '@lumino/signaling';

/** Re-render the calling component whenever one of `signals` is emitted. */
export function useRerenderOn(...signals: ReadonlyArray<ISignal<any, any>>): void {
  const [, bump] = useReducer((count: number) => count + 1, 0);
  useEffect(() => {
    const slot = (): void => bump();
    signals.forEach(signal => signal.connect(slot));
    return () => {
      signals.forEach(signal => signal.disconnect(slot));
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, signals);
}

/** Re-render every `ms` milliseconds while `active` (relative times, elapsed clocks). */
export function useTicker(ms: number, active = true): number {
  const [tick, bump] = useReducer((count: number) => count + 1, 0);
  useEffect(() => {
    if (!active) {
      return;
    }
    const handle = setInterval(bump, ms);
    return () => clearInterval(handle);
  }, [ms, active]);
  return tick;
}
