// The connector's twin for tests and for looking at every state without a browser: it answers
// with the views it is given and records what the popup asked for.
import type { TabView } from '../shared/tab-view.js';
import type { PopupConnector } from './connector.js';

export interface MockConnector extends PopupConnector {
  /** Push a new state, as the background would after a check finishes. */
  emit(view: TabView): void;
  /** What the popup called, in order. */
  calls: string[];
  copied: string[];
  /** The view `recheck` answers with (default: `checking` for the same site, or the current view). */
  nextRecheck: TabView | null;
}

export function createMockConnector(initial: TabView, options: { now?: Date; failCopy?: boolean } = {}): MockConnector {
  let current = initial;
  const listeners = new Set<(view: TabView) => void>();
  const mock: MockConnector = {
    calls: [],
    copied: [],
    nextRecheck: null,
    load() {
      mock.calls.push('load');
      return Promise.resolve(current);
    },
    refresh() {
      mock.calls.push('refresh');
      return Promise.resolve(current);
    },
    recheck() {
      mock.calls.push('recheck');
      const site = 'site' in current ? current.site : null;
      current =
        mock.nextRecheck ??
        (site ? { state: 'checking', site, startedAt: (options.now ?? new Date()).getTime() } : current);
      return Promise.resolve(current);
    },
    subscribe(listener) {
      mock.calls.push('subscribe');
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    copyText(text) {
      mock.calls.push('copy');
      if (options.failCopy) return Promise.reject(new Error('copy refused'));
      mock.copied.push(text);
      return Promise.resolve();
    },
    openOptions() {
      mock.calls.push('options');
      return Promise.resolve();
    },
    now: () => options.now ?? new Date(),
    emit(view) {
      current = view;
      for (const listener of listeners) listener(view);
    },
  };
  return mock;
}
