// The popup as a pure function of its state (docs/architecture.md rule 6): no browser API, no
// connector. It must fit the browsers' largest popup (800×600) with nothing important below the
// fold, so the order is: the verdict and ONE lead sentence, every action, the "Check a site"
// field, this session's recent checks, and last the facts and findings folded under a disclosure
// that remembers being opened. The verdict sits in an ARIA live region, so a screen reader hears
// it when a check ends.
import type { Result } from '../../protocol/result.js';
import { orderResultKeys } from '../../protocol/result.js';
import { stapleTimeLeft } from '../../view/staple-time-left.js';
import { explainFailure } from '../shared/explanations.js';
import { msg } from '../shared/i18n.js';
import { INSTALL_GUIDE_URL, installCommand } from '../shared/install-command.js';
import { opensslCommand } from '../shared/openssl-command.js';
import type { RecentCheck } from '../shared/recent-checks.js';
import type { Site } from '../shared/site.js';
import { sameSite, siteLabel } from '../shared/site.js';
import type { HistoryPoint } from '../shared/staple-history.js';
import type { TabView } from '../shared/tab-view.js';
import { Breakable, RawCode } from './breakable.js';
import { HistoryChart } from './history-chart.js';
import { Headline, ResultDetails, ResultTop, describe } from './result-view.js';
import { HEADLINE, toneOf } from './words.js';

export interface PopupActions {
  recheck(): void;
  copy(what: 'report' | 'command' | 'install', text: string): void;
  openOptions(): void;
  setDetailsOpen(open: boolean): void;
  /** Check what was typed into "Check a site". */
  checkSite(text: string): void;
  /** Show a recent check's verdict. */
  openRecent(check: RecentCheck): void;
  /** Leave a typed or recent check and show this tab's state again. */
  backToTab(): void;
  /** The "Don't check this site" switch. */
  setExcluded(site: Site, excluded: boolean): void;
  /** The "Watch this site" switch (the shown site). */
  setWatched(site: Site, watched: boolean): void;
}

/** What the popup shows: its tab's state, or a site checked from the field or the recent list. */
export type Shown = { kind: 'tab' } | { kind: 'site'; view: TabView };

export interface PopupViewProps {
  /** The popup's tab. */
  view: TabView | null;
  shown?: Shown;
  now: Date;
  actions: PopupActions;
  /** What the last action did, for the status line ("Report copied."). */
  status: string;
  /** The background could not be reached at all. */
  loadError?: string | null;
  detailsOpen?: boolean;
  recent?: readonly RecentCheck[];
  /** Whether the tab's site is on the excluded list; `null`: unknown or no site. */
  excluded?: boolean | null;
  /** Whether the shown site is watched; `null`: unknown or no site. */
  watched?: boolean | null;
  /** The shown site's staple history; `null`: the user has not opted in. */
  history?: readonly HistoryPoint[] | null;
  /** Why the text in "Check a site" names no site. */
  inputError?: string | null;
}

/** The report the "Copy report" button copies: the result as JSON, keys in contract order. */
export function reportJson(result: Result): string {
  return `${JSON.stringify(orderResultKeys(result), null, 2)}\n`;
}

function Checking({ view, now }: { view: Extract<TabView, { state: 'checking' }>; now: Date }) {
  const seconds = Math.max(0, Math.floor((now.getTime() - view.startedAt) / 1000));
  return (
    <article class="checking">
      <Headline tone="checking" title={msg('popup_checking_title')} site={view.site} />
      <progress aria-label={msg('popup_checking_label', [siteLabel(view.site)])} />
      <p class="lead">
        {seconds >= 2
          ? msg('popup_checking_lead_slow', [view.site.host, String(seconds)])
          : msg('popup_checking_lead', [view.site.host])}
      </p>
    </article>
  );
}

function HostMissing(props: { view: Extract<TabView, { state: 'host-missing' }>; actions: PopupActions }) {
  const { view, actions } = props;
  const npx = installCommand(view.extensionId, 'npx staplecheck');
  const global = installCommand(view.extensionId, 'staplecheck');
  return (
    <article class="host-missing">
      <Headline tone="missing" title={msg('popup_host_missing_title')} site={view.site} />
      <p class="lead">{msg('popup_host_missing_lead')}</p>
      <div class="command-row">
        <code data-command="npx">{npx}</code>
        <button type="button" class="small" onClick={() => actions.copy('install', npx)}>
          {msg('popup_copy')}
        </button>
      </div>
      <p class="detail">{msg('popup_host_missing_global')}</p>
      <div class="command-row">
        <code data-command="global">{global}</code>
      </div>
      <p class="detail">
        <a href={INSTALL_GUIDE_URL} target="_blank" rel="noreferrer" data-install-guide>
          {msg('popup_host_missing_guide')}
        </a>
      </p>
      <p class="detail">
        {msg('popup_host_missing_id')} <code data-extension-id>{view.extensionId}</code>
      </p>
      <p class="detail">
        {msg('popup_host_missing_said')} <q>{view.message}</q>
      </p>
    </article>
  );
}

function NotHttps({ view }: { view: Extract<TabView, { state: 'not-https' }> }) {
  const why =
    view.scheme === 'http:'
      ? msg('popup_not_https_http')
      : view.scheme === 'file:'
        ? msg('popup_not_https_file')
        : view.scheme
          ? msg('popup_not_https_other', [view.scheme])
          : msg('popup_not_https_none');
  return (
    <article class="not-https">
      <Headline tone="neutral" title={msg('popup_not_https_title')} site={null} />
      <p class="lead">{why}</p>
    </article>
  );
}

function Failed({ view }: { view: Extract<TabView, { state: 'failed' }> }) {
  const explanation = explainFailure(view.code);
  return (
    <article class="failed">
      <Headline tone="neutral" title={msg('popup_failed_title')} site={view.site} />
      <p class="lead">{explanation.meaning}</p>
      <div class="error-box">
        <p>
          <span class="what-to-do">{msg('what_to_do')}</span> {explanation.action}
        </p>
        <p class="detail">
          <Breakable text={view.message} /> <RawCode code={view.code} label={msg('popup_code')} />
        </p>
      </div>
    </article>
  );
}

function Idle({ view }: { view: Extract<TabView, { state: 'idle' }> }) {
  return (
    <article class="idle">
      <Headline tone="neutral" title={msg('popup_idle_title')} site={view.site} />
      <p class="lead">{view.reason === 'excluded' ? msg('popup_idle_excluded') : msg('popup_idle_auto_off')}</p>
    </article>
  );
}

function Top({ view, now, actions }: { view: TabView; now: Date; actions: PopupActions }) {
  switch (view.state) {
    case 'checking':
      return <Checking view={view} now={now} />;
    case 'result':
      return <ResultTop words={describe(view.result, now)} result={view.result} site={view.site} />;
    case 'host-missing':
      return <HostMissing view={view} actions={actions} />;
    case 'not-https':
      return <NotHttps view={view} />;
    case 'failed':
      return <Failed view={view} />;
    case 'idle':
      return <Idle view={view} />;
  }
}

function siteOf(view: TabView | null): Site | null {
  return view && 'site' in view ? view.site : null;
}

function Actions(props: {
  view: TabView | null;
  tabView: TabView | null;
  showingTab: boolean;
  excluded: boolean | null;
  watched: boolean | null;
  actions: PopupActions;
}) {
  const { view, actions } = props;
  const site = siteOf(view);
  const tabSite = siteOf(props.tabView);
  const checking = view?.state === 'checking';
  const recheckLabel =
    view?.state === 'idle'
      ? msg('popup_check_now')
      : view?.state === 'host-missing' || view?.state === 'failed'
        ? msg('popup_try_again')
        : msg('popup_recheck');
  return (
    <nav class="actions" aria-label={msg('popup_actions')}>
      <div class="buttons">
        {site && (
          <button
            type="button"
            class="primary"
            onClick={actions.recheck}
            disabled={checking}
            title={msg('popup_recheck_title')}
          >
            {recheckLabel}
          </button>
        )}
        {view?.state === 'result' && (
          <button type="button" onClick={() => actions.copy('report', reportJson(view.result))}>
            {msg('popup_copy_report')}
          </button>
        )}
        {site && (
          <button
            type="button"
            onClick={() =>
              actions.copy(
                'command',
                opensslCommand(site, view?.state === 'result' ? view.result.servername : site.host),
              )
            }
            title={msg('popup_copy_openssl_title')}
          >
            {msg('popup_copy_openssl')}
          </button>
        )}
        {!props.showingTab && (
          <button type="button" onClick={actions.backToTab}>
            {msg('popup_back_to_tab')}
          </button>
        )}
      </div>
      <div class="links">
        {props.showingTab && tabSite && props.excluded !== null && (
          <label class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={props.excluded}
              onChange={(e) => actions.setExcluded(tabSite, (e.currentTarget as HTMLInputElement).checked)}
            />{' '}
            {msg('popup_dont_check')}
          </label>
        )}
        {site && props.watched !== null && (
          <label class="switch" title={msg('popup_watch_title')}>
            <input
              type="checkbox"
              role="switch"
              checked={props.watched}
              onChange={(e) => actions.setWatched(site, (e.currentTarget as HTMLInputElement).checked)}
            />{' '}
            {msg('popup_watch')}
          </label>
        )}
        <a href="stapling.html" target="_blank" rel="noopener">
          {msg('popup_what_is_stapling')}
        </a>
        <button type="button" class="link" onClick={actions.openOptions}>
          {msg('popup_options')}
        </button>
      </div>
    </nav>
  );
}

function CheckSiteForm(props: { actions: PopupActions; error: string | null }) {
  const onSubmit = (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('site') as HTMLInputElement | null;
    if (input) props.actions.checkSite(input.value);
  };
  return (
    <form class="check-site" onSubmit={onSubmit} role="search" aria-label={msg('popup_check_site')}>
      <label for="check-site-input">{msg('popup_check_site')}</label>
      <div class="check-site-row">
        <input
          id="check-site-input"
          name="site"
          type="text"
          inputMode="url"
          autoComplete="off"
          spellcheck={false}
          placeholder={msg('popup_check_site_placeholder')}
          aria-invalid={props.error ? 'true' : 'false'}
          aria-describedby={props.error ? 'check-site-error' : undefined}
        />
        <button type="submit">{msg('popup_check')}</button>
      </div>
      {props.error && (
        <p class="field-error" id="check-site-error">
          {props.error}
        </p>
      )}
    </form>
  );
}

function RecentList(props: { recent: readonly RecentCheck[]; current: Site | null; now: Date; actions: PopupActions }) {
  if (props.recent.length === 0) return null;
  return (
    <section class="recent" aria-label={msg('popup_recent')}>
      <h2>{msg('popup_recent')}</h2>
      <ul>
        {props.recent.map((check) => {
          const tone = toneOf(check.result.verdict);
          return (
            <li key={siteLabel(check.site)}>
              <button
                type="button"
                class={`recent-item${sameSite(check.site, props.current) ? ' current' : ''}`}
                onClick={() => props.actions.openRecent(check)}
              >
                <span class="recent-site">{siteLabel(check.site)}</span>
                <span class={`recent-verdict tone-text-${tone}`}>{HEADLINE[check.result.verdict]}</span>
                <span class="recent-left">{stapleTimeLeft(check.result, props.now, msg)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Details(props: {
  view: TabView;
  now: Date;
  open: boolean;
  history: readonly HistoryPoint[] | null;
  actions: PopupActions;
}) {
  const { view } = props;
  if (view.state !== 'result') return null;
  const words = describe(view.result, props.now);
  const summary =
    words.findings.length > 0 ? msg('popup_details_with_findings', [words.words.findingsCount]) : msg('popup_details');
  return (
    <details
      class="more"
      open={props.open}
      onToggle={(e) => props.actions.setDetailsOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{summary}</summary>
      <ResultDetails words={words} fromCache={view.fromCache} />
      {props.history && props.history.length > 0 && (
        <section class="history-section" aria-label={msg('history_title')}>
          <h2>{msg('history_title')}</h2>
          <HistoryChart
            points={props.history}
            label={msg('history_label', [siteLabel(view.site), String(props.history.length)])}
            axis={msg('history_axis')}
          />
        </section>
      )}
    </details>
  );
}

export function PopupView(props: PopupViewProps) {
  const { now, actions } = props;
  const shown = props.shown ?? { kind: 'tab' };
  const view = shown.kind === 'site' ? shown.view : props.view;
  return (
    <main class="popup">
      <div
        class="live"
        aria-live="polite"
        aria-atomic="false"
        aria-busy={view?.state === 'checking' ? 'true' : 'false'}
      >
        {props.loadError && shown.kind === 'tab' ? (
          <article class="failed">
            <Headline tone="neutral" title={msg('popup_not_responding')} site={null} />
            <p class="lead">{props.loadError}</p>
          </article>
        ) : view ? (
          <Top view={view} now={now} actions={actions} />
        ) : (
          <p class="lead">{msg('popup_loading')}</p>
        )}
      </div>
      <Actions
        view={view}
        tabView={props.view}
        showingTab={shown.kind === 'tab'}
        excluded={props.excluded ?? null}
        watched={props.watched ?? null}
        actions={actions}
      />
      <p class="status" role="status">
        {props.status}
      </p>
      <CheckSiteForm actions={actions} error={props.inputError ?? null} />
      <RecentList recent={props.recent ?? []} current={siteOf(view)} now={now} actions={actions} />
      {view && (
        <Details
          view={view}
          now={now}
          open={props.detailsOpen ?? false}
          history={props.history ?? null}
          actions={actions}
        />
      )}
    </main>
  );
}
