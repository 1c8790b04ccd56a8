// The popup as a pure function of the tab's state (docs/architecture.md rule 6): no browser API, no connector.
// The result sits in an ARIA live region, so a screen reader hears the verdict when a check ends.
import type { Result } from '../../core/result.js';
import { orderResultKeys } from '../../core/result.js';
import { explainFailure } from '../shared/explanations.js';
import { opensslCommand } from '../shared/openssl-command.js';
import { siteLabel } from '../shared/site.js';
import type { TabView } from '../shared/tab-view.js';
import { Headline, ResultView } from './result-view.js';
import { installCommand } from '../shared/install-command.js';

export interface PopupActions {
  recheck(): void;
  copy(what: 'report' | 'command' | 'install', text: string): void;
  openOptions(): void;
}

export interface PopupViewProps {
  view: TabView | null;
  now: Date;
  actions: PopupActions;
  /** What the last copy did, for the status line ("Report copied."). */
  status: string;
  /** The background could not be reached at all. */
  loadError?: string | null;
}

/** The report the "Copy report" button copies: the result as JSON, keys in contract order. */
export function reportJson(result: Result): string {
  return `${JSON.stringify(orderResultKeys(result), null, 2)}\n`;
}

function Checking({ view, now }: { view: Extract<TabView, { state: 'checking' }>; now: Date }) {
  const seconds = Math.max(0, Math.floor((now.getTime() - view.startedAt) / 1000));
  return (
    <article class="checking">
      <Headline tone="checking" title="Checking…" site={view.site} />
      <progress aria-label={`Checking ${siteLabel(view.site)}`} />
      <p class="lead">
        Asking {view.site.host} for its certificate and stapled OCSP response
        {seconds >= 2 ? ` (${seconds} s so far; servers that staple lazily need a few tries)` : ''}.
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
      <Headline tone="missing" title="The helper program is not installed" site={view.site} />
      <p class="lead">
        Staple Check needs a small helper on this computer to look at a site’s TLS handshake (browsers do not show
        extensions the staple). The browser could not start it.
      </p>
      <p>Install it with Node.js 20 or newer, then press Try again:</p>
      <div class="command-row">
        <code data-command="npx">{npx}</code>
        <button type="button" class="small" onClick={() => actions.copy('install', npx)}>
          Copy
        </button>
      </div>
      <p>
        or, after a global install with <code>npm install -g staplecheck</code>:
      </p>
      <div class="command-row">
        <code data-command="global">{global}</code>
      </div>
      <p class="detail">
        This extension’s ID: <code data-extension-id>{view.extensionId}</code> — the installer allows only this ID to
        start the helper.
      </p>
      <p class="detail">
        The browser said: <q>{view.message}</q>
      </p>
    </article>
  );
}

function NotHttps({ view }: { view: Extract<TabView, { state: 'not-https' }> }) {
  let why = 'This tab shows no web page Staple Check can look at.';
  if (view.scheme === 'http:') why = 'This page came over plain HTTP: no TLS, no certificate, nothing to staple.';
  else if (view.scheme === 'file:') why = 'This is a file on this computer: no TLS connection, nothing to staple.';
  else if (view.scheme) why = `This is a browser or extension page (${view.scheme}): it has no TLS connection.`;
  return (
    <article class="not-https">
      <Headline tone="neutral" title="Not an HTTPS page" site={null} />
      <p class="lead">{why}</p>
      <p>Staple Check looks at https: sites only.</p>
    </article>
  );
}

function Failed({ view }: { view: Extract<TabView, { state: 'failed' }> }) {
  const explanation = explainFailure(view.code);
  return (
    <article class="failed">
      <Headline tone="neutral" title="The check could not be done" site={view.site} />
      <p class="lead">{explanation.meaning}</p>
      <p class="detail">{view.message}</p>
      <p>
        <span class="what-to-do">What to do:</span> {explanation.action}
      </p>
    </article>
  );
}

function Idle({ view }: { view: Extract<TabView, { state: 'idle' }> }) {
  return (
    <article class="idle">
      <Headline tone="neutral" title="Not checked" site={view.site} />
      <p class="lead">
        {view.reason === 'excluded'
          ? 'This site is on your list of excluded sites, so it is not checked automatically.'
          : 'Automatic checks are off.'}{' '}
        Press Check now to check it once.
      </p>
    </article>
  );
}

function Body({ view, now, actions }: { view: TabView; now: Date; actions: PopupActions }) {
  switch (view.state) {
    case 'checking':
      return <Checking view={view} now={now} />;
    case 'result':
      return <ResultView result={view.result} site={view.site} now={now} fromCache={view.fromCache} />;
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

function Buttons({ view, actions }: { view: TabView; actions: PopupActions }) {
  if (view.state === 'not-https') return null;
  const site = view.site;
  const checking = view.state === 'checking';
  const recheckLabel =
    view.state === 'idle'
      ? 'Check now'
      : view.state === 'host-missing' || view.state === 'failed'
        ? 'Try again'
        : 'Re-check';
  return (
    <div class="buttons">
      <button type="button" class="primary" onClick={actions.recheck} disabled={checking}>
        {recheckLabel}
      </button>
      {view.state === 'result' && (
        <button type="button" onClick={() => actions.copy('report', reportJson(view.result))}>
          Copy report
        </button>
      )}
      {site && (
        <button
          type="button"
          onClick={() =>
            actions.copy('command', opensslCommand(site, view.state === 'result' ? view.result.servername : site.host))
          }
          title="openssl s_client … -status: see the same staple by hand"
        >
          Copy openssl command
        </button>
      )}
    </div>
  );
}

export function PopupView(props: PopupViewProps) {
  const { view, now, actions } = props;
  return (
    <main class="popup">
      <div
        class="live"
        aria-live="polite"
        aria-atomic="false"
        aria-busy={view?.state === 'checking' ? 'true' : 'false'}
      >
        {props.loadError ? (
          <article class="failed">
            <Headline tone="neutral" title="Staple Check is not responding" site={null} />
            <p class="lead">{props.loadError}</p>
          </article>
        ) : view ? (
          <Body view={view} now={now} actions={actions} />
        ) : (
          <p class="lead">Loading…</p>
        )}
      </div>
      {view && <Buttons view={view} actions={actions} />}
      <footer>
        <p class="status" role="status">
          {props.status}
        </p>
        <button type="button" class="link" onClick={actions.openOptions}>
          Options
        </button>
      </footer>
    </main>
  );
}
