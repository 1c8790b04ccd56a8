// The popup's state holder: loads the tab's state through the connector, follows its changes,
// runs typed and recent checks, and hands everything to the pure PopupView.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { msg } from '../shared/i18n.js';
import type { RecentCheck } from '../shared/recent-checks.js';
import type { Site } from '../shared/site.js';
import { parseSiteInput, siteLabel } from '../shared/site.js';
import type { HistoryPoint } from '../shared/staple-history.js';
import type { TabView } from '../shared/tab-view.js';
import { MAX_WATCHED } from '../shared/watch-list.js';
import type { PopupConnector, PopupStart } from './connector.js';
import type { PopupActions, Shown } from './popup-view.js';
import { PopupView } from './popup-view.js';

/** While a check runs, ask again this often in case a change notice was missed. */
export const POLL_MS = 1_000;

const COPIED: Record<'report' | 'command' | 'install', string> = {
  report: 'popup_copied_report',
  command: 'popup_copied_command',
  install: 'popup_copied_install',
};

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `start`: what storage already held (connector.start()), drawn in the first paint. */
export function Popup({ connector, start }: { connector: PopupConnector; start?: PopupStart }) {
  const [view, setView] = useState<TabView | null>(start?.view ?? null);
  const [shown, setShown] = useState<Shown>({ kind: 'tab' });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [now, setNow] = useState(() => connector.now());
  const [detailsOpen, setDetailsOpenState] = useState(start?.detailsOpen ?? false);
  const [recent, setRecent] = useState<RecentCheck[]>(start?.recent ?? []);
  const [excluded, setExcludedState] = useState<boolean | null>(start?.excluded ?? null);
  const [watched, setWatchedState] = useState<boolean | null>(start?.watched ?? null);
  const [history, setHistory] = useState<HistoryPoint[] | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  /** The typed check whose answer counts; an older one's answer is dropped. */
  const quickToken = useRef(0);

  const show = useCallback(
    (next: TabView) => {
      setView(next);
      setLoadError(null);
      setNow(connector.now());
    },
    [connector],
  );
  const fail = useCallback((err: unknown) => setLoadError(errorText(err)), []);
  const refreshRecent = useCallback(() => {
    connector.recentChecks().then(setRecent, () => undefined);
  }, [connector]);

  useEffect(() => {
    const unsubscribe = connector.subscribe(show);
    connector.load().then(show, fail);
    connector.detailsOpen().then(setDetailsOpenState, () => undefined);
    refreshRecent();
    return unsubscribe;
  }, [connector, show, fail, refreshRecent]);

  const displayed = shown.kind === 'site' ? shown.view : view;
  const checking = displayed?.state === 'checking';
  const tabChecking = shown.kind === 'tab' && checking;
  useEffect(() => {
    if (!tabChecking) return undefined;
    const timer = setInterval(() => {
      setNow(connector.now());
      connector.refresh().then(show, fail);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [tabChecking, connector, show, fail]);

  // A finished check may have added to the recent list.
  const finished = displayed?.state === 'result' ? displayed.result.checkedAt : null;
  useEffect(() => {
    if (finished) refreshRecent();
  }, [finished, refreshRecent]);

  const tabSite = view && 'site' in view ? view.site : null;
  const tabSiteKey = tabSite ? siteLabel(tabSite) : null;
  useEffect(() => {
    if (!tabSite) return;
    connector.isExcluded(tabSite).then(setExcludedState, () => setExcludedState(null));
    // Keyed by the label: a new Site object for the same site is no change.
  }, [connector, tabSiteKey]);

  const watchSite = displayed && 'site' in displayed ? displayed.site : null;
  const watchSiteKey = watchSite ? siteLabel(watchSite) : null;
  useEffect(() => {
    if (!watchSite) return setWatchedState(null);
    connector.isWatched(watchSite).then(setWatchedState, () => setWatchedState(null));
    // Keyed by the label, as above.
  }, [connector, watchSiteKey]);

  const shownSite = displayed?.state === 'result' ? displayed.site : null;
  const shownKey = shownSite ? `${siteLabel(shownSite)} ${finished ?? ''}` : null;
  useEffect(() => {
    if (!shownSite) return setHistory(null);
    connector.stapleHistory(shownSite).then(
      (reply) => setHistory(reply.enabled ? reply.points : null),
      () => setHistory(null),
    );
    // Keyed by the site and the check time: the same check drawn again is no change.
  }, [connector, shownKey]);

  const runQuickCheck = (site: Site, text: string, fresh: boolean) => {
    const token = ++quickToken.current;
    setStatus('');
    setShown({ kind: 'site', view: { state: 'checking', site, startedAt: connector.now().getTime() } });
    connector.checkSite(text, fresh).then(
      (reply) => {
        if (token !== quickToken.current) return;
        setNow(connector.now());
        if (reply.ok) setShown({ kind: 'site', view: reply.view });
        else {
          setInputError(reply.message);
          setShown({ kind: 'tab' });
        }
      },
      (err: unknown) => {
        if (token !== quickToken.current) return;
        setShown({ kind: 'tab' });
        setStatus(errorText(err));
      },
    );
  };

  const actions: PopupActions = {
    recheck: () => {
      setStatus('');
      const typed = shown.kind === 'site' && 'site' in shown.view ? shown.view.site : null;
      if (typed) runQuickCheck(typed, siteLabel(typed), true);
      else connector.recheck().then(show, fail);
    },
    copy: (what, text) => {
      connector.copyText(text).then(
        () => setStatus(msg(COPIED[what])),
        (err: unknown) => setStatus(msg('popup_copy_failed', [errorText(err)])),
      );
    },
    openOptions: () => void connector.openOptions().catch(fail),
    setDetailsOpen: (open) => {
      setDetailsOpenState(open);
      void connector.setDetailsOpen(open).catch(() => undefined);
    },
    checkSite: (text) => {
      const parsed = parseSiteInput(text);
      if (!parsed.ok) {
        setInputError(msg(parsed.key));
        return;
      }
      setInputError(null);
      runQuickCheck(parsed.site, text, false);
    },
    openRecent: (check) => {
      quickToken.current++;
      setInputError(null);
      setShown({
        kind: 'site',
        view: { state: 'result', site: check.site, result: check.result, fromCache: true, expiresAt: null },
      });
    },
    backToTab: () => {
      quickToken.current++;
      setShown({ kind: 'tab' });
    },
    setExcluded: (site, on) => {
      setExcludedState(on);
      connector.setExcluded(site, on).then(
        (isNow) => {
          setExcludedState(isNow);
          // Switching off may leave a wider line (`example.com` for `www.example.com`) in force.
          setStatus(msg(isNow ? (on ? 'popup_excluded_on' : 'popup_excluded_wider') : 'popup_excluded_off'));
        },
        (err: unknown) => setStatus(errorText(err)),
      );
    },
    setWatched: (site, on) => {
      // The permission first, while the click still counts as a user gesture; the watch is asked
      // for at the same time, since a browser may close the popup to show its prompt.
      const notifications = on ? connector.requestNotifications().catch(() => false) : Promise.resolve(false);
      setWatchedState(on);
      setStatus('');
      Promise.all([connector.setWatched(site, on), notifications]).then(
        ([reply, allowed]) => {
          if (!reply.ok) {
            setWatchedState(false);
            setStatus(msg('popup_watch_full', [String(MAX_WATCHED)]));
            return;
          }
          setWatchedState(reply.watched);
          setStatus(
            msg(reply.watched ? (allowed ? 'popup_watch_on' : 'popup_watch_on_silent') : 'popup_watch_off', [
              siteLabel(site),
            ]),
          );
        },
        (err: unknown) => {
          setWatchedState(!on);
          setStatus(errorText(err));
        },
      );
    },
  };

  return (
    <PopupView
      view={view}
      shown={shown}
      now={now}
      actions={actions}
      status={status}
      loadError={loadError}
      detailsOpen={detailsOpen}
      recent={recent}
      excluded={excluded}
      watched={watched}
      history={history}
      inputError={inputError}
    />
  );
}
