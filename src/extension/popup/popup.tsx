// The popup's state holder: loads the tab's state through the connector, follows its changes, and
// hands everything to the pure PopupView.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { TabView } from '../shared/tab-view.js';
import type { PopupConnector } from './connector.js';
import type { PopupActions } from './popup-view.js';
import { PopupView } from './popup-view.js';

/** While a check runs, ask again this often in case a change notice was missed. */
export const POLL_MS = 1_000;

const COPIED: Record<'report' | 'command' | 'install', string> = {
  report: 'Report copied (JSON).',
  command: 'openssl command copied.',
  install: 'Install command copied.',
};

export function Popup({ connector }: { connector: PopupConnector }) {
  const [view, setView] = useState<TabView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [now, setNow] = useState(() => connector.now());

  const show = useCallback(
    (next: TabView) => {
      setView(next);
      setLoadError(null);
      setNow(connector.now());
    },
    [connector],
  );
  const fail = useCallback((err: unknown) => {
    setLoadError(err instanceof Error ? err.message : String(err));
  }, []);

  useEffect(() => {
    const unsubscribe = connector.subscribe(show);
    connector.load().then(show, fail);
    return unsubscribe;
  }, [connector, show, fail]);

  const checking = view?.state === 'checking';
  useEffect(() => {
    if (!checking) return undefined;
    const timer = setInterval(() => {
      setNow(connector.now());
      connector.refresh().then(show, fail);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [checking, connector, show, fail]);

  const actions: PopupActions = {
    recheck: () => {
      setStatus('');
      connector.recheck().then(show, fail);
    },
    copy: (what, text) => {
      connector.copyText(text).then(
        () => setStatus(COPIED[what]),
        (err: unknown) => setStatus(`Could not copy: ${err instanceof Error ? err.message : String(err)}`),
      );
    },
    openOptions: () => void connector.openOptions().catch(fail),
  };

  return <PopupView view={view} now={now} actions={actions} status={status} loadError={loadError} />;
}
