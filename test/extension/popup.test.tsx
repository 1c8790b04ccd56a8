// @vitest-environment happy-dom
// The popup rendered with the mock connector: every verdict, every state, the buttons, the live
// region. Green (class tone-good) must appear for the exact verdict stapled-good and nothing else.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { CertificateVariant, Problem, Result, Verdict } from '../../src/core/result.js';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import { createMockConnector } from '../../src/extension/popup/connector-mock.js';
import { tabIdFromSearch } from '../../src/extension/popup/connector.js';
import { Popup } from '../../src/extension/popup/popup.js';
import { HEADLINE } from '../../src/extension/popup/words.js';
import type { TabView } from '../../src/extension/shared/tab-view.js';
import { ALL_VERDICTS, NOW, sampleResult } from './sample-results.js';

afterEach(cleanup);

const site = { host: 'example.com', port: 443 };

function variantOf(result: Result): CertificateVariant {
  const { verdict, summary, problems, certificate, ocsp, tls } = result;
  return { keyType: 'ecdsa', offer: 'default', verdict, summary, problems, certificate, ocsp, tls, handshakes: 1 };
}

function resultView(verdict: Verdict, fromCache = false): TabView {
  return { state: 'result', site, result: sampleResult(verdict), fromCache, expiresAt: null };
}

async function renderPopup(view: TabView, options: { failCopy?: boolean } = {}) {
  const connector = createMockConnector(view, { now: NOW, ...options });
  const rendered = render(<Popup connector={connector} />);
  await screen.findByRole('heading', { level: 1 });
  return { connector, ...rendered };
}

/** Everything that could paint green: the tone class on any element. */
function greenElements(container: Element): Element[] {
  return [...container.querySelectorAll('[class*="tone-good"], [class*="tone-text-good"], .state-icon--good')];
}

const EXPECTED_TEXT: Record<Verdict, RegExp[]> = {
  'stapled-good': [/Stapled, and the certificate is good/, /not revoked/, /3 days \(until/, /the issuing CA itself/],
  'stapled-revoked': [
    /The certificate is revoked/,
    /Do not trust this site/,
    /the private key was compromised/,
    /5 days ago/,
  ],
  'stapled-unknown': [/does not know this certificate/, /unknown to the responder/],
  'stapled-invalid': [
    /cannot be trusted/,
    /expired 1 h ago/,
    /The staple expired 1 h ago\./,
    /stopped refreshing its staple/,
  ],
  'not-stapled': [/No staple sent/, /none sent/],
  'no-ocsp': [/Stapling does not apply/, /CRL only/],
  'must-staple-violation': [/Must-Staple, but no valid staple/, /yes — a staple is required/, /Firefox refuses/],
  error: [/The check could not be done/, /refused/, /ECONNREFUSED/, /The server may be down/],
};

describe('a finished check, per verdict', () => {
  it.each(ALL_VERDICTS)('%s: headline, facts, and green only if stapled-good', async (verdict) => {
    const { container } = await renderPopup(resultView(verdict));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(HEADLINE[verdict]);
    expect(container.querySelector('[data-verdict]')?.getAttribute('data-verdict')).toBe(verdict);
    const text = container.textContent ?? '';
    for (const pattern of EXPECTED_TEXT[verdict]) expect(text).toMatch(pattern);
    // One lead sentence; the engine's summary (often the same thing in other words) is left to the
    // copied report, so no sentence is said twice.
    expect(text).not.toContain(`summary for ${verdict}`);
    if (verdict === 'stapled-good') {
      expect(container.querySelector('.headline')?.classList.contains('tone-good')).toBe(true);
    } else {
      expect(greenElements(container)).toEqual([]);
    }
  });

  it.each([
    ['stapled-revoked', 'tone-bad'],
    ['stapled-invalid', 'tone-bad'],
    ['must-staple-violation', 'tone-bad'],
    ['stapled-unknown', 'tone-warn'],
    ['not-stapled', 'tone-warn'],
    ['no-ocsp', 'tone-neutral'],
    ['error', 'tone-neutral'],
  ] as [Verdict, string][])('%s is painted %s', async (verdict, tone) => {
    const { container } = await renderPopup(resultView(verdict));
    expect(container.querySelector('.headline')?.classList.contains(tone)).toBe(true);
  });

  it('shows the facts a person looks for', async () => {
    const { container } = await renderPopup(resultView('stapled-good', true));
    const fact = (name: string) => container.querySelector(`[data-fact="${name}"] dd`)?.textContent ?? '';
    expect(fact('staple')).toMatch(/^good · made 2 h ago · 471 bytes$/);
    // The label says "Time left"; the value does not say "left" again.
    expect(fact('time-left')).toBe('3 days (until 2026-11-27 10:00 UTC)');
    expect(fact('signer')).toBe('the issuing CA itself (O=Example CA, CN=Example Issuing CA 1)');
    expect(fact('must-staple')).toBe('no');
    expect(fact('subject')).toBe('CN=example.com');
    expect(fact('issuer')).toBe('O=Example CA, CN=Example Issuing CA 1');
    expect(fact('expires')).toBe('2027-01-23 10:00 UTC (in 60 days)');
    expect(fact('chain')).toBe('2 certificates · complete · trusted');
    expect(fact('tls')).toBe('TLSv1.3 · TLS_AES_128_GCM_SHA256');
    expect(fact('address')).toBe('203.0.113.7:443');
    expect(fact('took')).toBe('123 ms · 1 handshake');
    expect(fact('checked')).toBe('1 s ago · from cache');
  });

  it('names a delegated responder and shows revocation time and reason', async () => {
    const view = resultView('stapled-revoked') as Extract<TabView, { state: 'result' }>;
    view.result.ocsp = { ...view.result.ocsp!, signer: { type: 'delegated', subject: 'CN=Example OCSP Responder' } };
    const { container } = await renderPopup(view);
    expect(container.querySelector('[data-fact="signer"] dd')?.textContent).toBe(
      'a delegated OCSP responder (CN=Example OCSP Responder)',
    );
    expect(container.querySelector('[data-fact="revoked"] dd')?.textContent).toBe(
      '2026-11-19 10:00 UTC (5 days ago) · reason: the private key was compromised',
    );
  });

  it('explains every problem in one line: meaning and what to do', async () => {
    const view = resultView('stapled-good') as Extract<TabView, { state: 'result' }>;
    view.result.problems = [
      { code: 'untrusted-chain', severity: 'warning', message: 'The chain is not trusted.' },
      { code: 'some-future-code' as Problem['code'], severity: 'info', message: 'Something new.' },
    ];
    await renderPopup(view);
    const items = within(screen.getByRole('region', { name: 'Problems' })).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]?.textContent).toMatch(/The chain is not trusted\..*does not lead to a root.*What to do:/);
    expect(items[1]?.textContent).toMatch(/Something new\..*does not describe yet/);
  });

  it('lists every address when several were checked', async () => {
    const view = resultView('not-stapled') as Extract<TabView, { state: 'result' }>;
    view.result.addresses = [
      {
        address: '203.0.113.7',
        verdict: 'stapled-good',
        summary: '',
        problems: [],
        error: null,
        ocsp: null,
        tls: null,
      },
      { address: '2001:db8::7', verdict: 'not-stapled', summary: '', problems: [], error: null, ocsp: null, tls: null },
    ];
    const { container } = await renderPopup(view);
    expect(container.querySelector('[data-fact="address"] dd')?.textContent).toBe('203.0.113.7:443 and 1 more');
    const items = within(screen.getByRole('region', { name: 'Every address' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      '203.0.113.7:443 — Stapled, and the certificate is good',
      '[2001:db8::7]:443 — No staple sent',
    ]);
  });

  it('an untrusted staple shows only what it claims, and an IPv6 address in brackets', async () => {
    const view = resultView('stapled-invalid') as Extract<TabView, { state: 'result' }>;
    view.result.address = '2001:db8::7';
    const { container } = await renderPopup(view);
    const fact = (name: string) => container.querySelector(`[data-fact="${name}"] dd`)?.textContent ?? '';
    expect(fact('staple')).toBe('claims good (not to be trusted) · made 2 h ago · 471 bytes');
    expect(fact('time-left')).toBe('expired 1 h ago (2026-11-24 09:00 UTC)');
    expect(fact('address')).toBe('[2001:db8::7]:443');
    // Details for the full report (serial, OCSP URLs) are the CLI's; the popup stays short.
    expect(container.querySelector('[data-fact="serial"]')).toBeNull();
  });

  it('lists each certificate when the server serves several: key type, verdict, its own time left', async () => {
    const view = resultView('not-stapled') as Extract<TabView, { state: 'result' }>;
    const good = sampleResult('stapled-good');
    view.result.certificates = [
      { ...variantOf(sampleResult('not-stapled')), keyType: 'ecdsa', offer: 'default' },
      { ...variantOf(good), keyType: 'rsa', offer: 'rsa-only' },
    ];
    await renderPopup(view);
    const items = within(screen.getByRole('region', { name: 'Certificates' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'ECDSA certificate (what browsers get)No staple sentno staple',
      'RSA certificate (offered RSA only)Stapled, and the certificate is good3 days left',
    ]);
  });

  it('shows no certificate list for a server with one certificate', async () => {
    await renderPopup(resultView('stapled-good'));
    expect(screen.queryByRole('region', { name: 'Certificates' })).toBeNull();
  });

  it('says what each browser does, in the details', async () => {
    const { container } = await renderPopup(resultView('must-staple-violation'));
    const region = screen.getByRole('region', { name: 'What browsers do' });
    expect(region.closest('details')).not.toBeNull();
    const sentence = (b: string) => container.querySelector(`[data-fact="browser-${b}"] dd`)?.textContent ?? '';
    expect(sentence('firefox')).toMatch(/refuses/);
    expect(sentence('chromium')).not.toBe('');
    expect(sentence('safari')).not.toBe('');
  });

  it('fix-it: only the answering server’s settings when its Server header names it', async () => {
    const view = resultView('not-stapled') as Extract<TabView, { state: 'result' }>;
    view.result.server = 'nginx/1.24.0';
    const { container } = await renderPopup(view);
    const fix = screen.getByRole('region', { name: 'Fix it (for the site’s owner)' });
    expect(fix.closest('details')).not.toBeNull();
    expect(fix.textContent).toContain('The site says it runs nginx/1.24.0.');
    expect([...container.querySelectorAll('pre.recipe')].map((p) => p.getAttribute('data-server'))).toEqual(['nginx']);
    expect(fix.querySelector('pre.recipe')?.textContent).toContain('ssl_stapling on;');
    expect(fix.querySelector('.lapsed')).toBeNull();
  });

  it('fix-it: every server’s settings, each folded, when the site does not say', async () => {
    const { container } = await renderPopup(resultView('not-stapled'));
    const fix = screen.getByRole('region', { name: 'Fix it (for the site’s owner)' });
    expect(fix.textContent).toContain('does not say which server it runs');
    expect([...container.querySelectorAll('pre.recipe')].map((p) => p.getAttribute('data-server'))).toEqual([
      'nginx',
      'apache',
      'caddy',
      'haproxy',
    ]);
    expect(fix.querySelectorAll('details.recipe-choice')).toHaveLength(4);
  });

  it('fix-it: a lapsed staple says the server stopped refreshing it, and when it was made', async () => {
    await renderPopup(resultView('stapled-invalid'));
    const lapsed = screen.getByRole('region', { name: 'Fix it (for the site’s owner)' }).querySelector('.lapsed');
    expect(lapsed?.textContent).toMatch(/^Your server stopped refreshing it: the staple it sends was made 2026-11-24/);
    expect(lapsed?.textContent).toMatch(/2 h ago/);
  });

  it.each(['stapled-good', 'no-ocsp', 'error'] as const)('fix-it: none for %s', async (verdict) => {
    await renderPopup(resultView(verdict));
    expect(screen.queryByRole('region', { name: 'Fix it (for the site’s owner)' })).toBeNull();
  });

  it('draws a certificate name as text, never as markup', async () => {
    const view = resultView('stapled-good') as Extract<TabView, { state: 'result' }>;
    view.result.certificate = { ...view.result.certificate!, subject: 'CN=<img src=x onerror=alert(1)>' };
    const { container } = await renderPopup(view);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[data-fact="subject"] dd')?.textContent).toBe('CN=<img src=x onerror=alert(1)>');
  });
});

describe('the other states', () => {
  it('checking: a progress bar and a busy live region, Re-check disabled', async () => {
    const { container } = await renderPopup({ state: 'checking', site, startedAt: NOW.getTime() - 3000 });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Checking…');
    expect(screen.getByRole('progressbar', { name: 'Checking example.com:443' })).toBeTruthy();
    expect(container.querySelector('[aria-live]')?.getAttribute('aria-busy')).toBe('true');
    expect((screen.getByRole('button', { name: 'Re-check' }) as HTMLButtonElement).disabled).toBe(true);
    expect(container.textContent).toMatch(/3 s so far/);
    expect(greenElements(container)).toEqual([]);
  });

  it('host not installed: the exact install commands and this extension’s ID', async () => {
    const { container } = await renderPopup({
      state: 'host-missing',
      site,
      message: 'Specified native messaging host not found.',
      extensionId: CHROMIUM_EXTENSION_ID,
    });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('The helper program is not installed');
    expect(container.querySelector('[data-command="npx"]')?.textContent).toBe('npx staplecheck install');
    expect(container.querySelector('[data-command="global"]')?.textContent).toBe('staplecheck install');
    expect(container.querySelector('[data-extension-id]')?.textContent).toBe(CHROMIUM_EXTENSION_ID);
    const guide = screen.getByRole('link', { name: /install guide/ });
    expect(guide.getAttribute('href')).toBe('https://www.npmjs.com/package/staplecheck#install');
    expect(guide.getAttribute('target')).toBe('_blank');
    expect(container.textContent).toContain('Specified native messaging host not found.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(greenElements(container)).toEqual([]);
  });

  it('host not installed in Firefox shows the add-on ID', async () => {
    const { container } = await renderPopup({
      state: 'host-missing',
      site,
      message: 'No such native application dev.staplecheck.host',
      extensionId: FIREFOX_EXTENSION_ID,
    });
    expect(container.querySelector('[data-extension-id]')?.textContent).toBe(FIREFOX_EXTENSION_ID);
  });

  it('copies the install command', async () => {
    const { connector } = await renderPopup({
      state: 'host-missing',
      site: null,
      message: 'x',
      extensionId: CHROMIUM_EXTENSION_ID,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await screen.findByText('Install command copied.');
    expect(connector.copied).toEqual(['npx staplecheck install']);
  });

  it.each([
    ['http:', /plain HTTP/],
    ['file:', /file on this computer/],
    ['chrome:', /browser or extension page \(chrome:\)/],
    [null, /no web page/],
  ])('not an HTTPS page (%s): says why, offers no check', async (scheme, why) => {
    const { container } = await renderPopup({ state: 'not-https', scheme });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Not an HTTPS page');
    expect(container.textContent).toMatch(why);
    expect(screen.queryByRole('button', { name: 'Re-check' })).toBeNull();
    expect(greenElements(container)).toEqual([]);
  });

  it('failed: the explanation and the detail, grey', async () => {
    const { container } = await renderPopup({
      state: 'failed',
      site,
      code: 'malformed-answer',
      message: 'The helper’s answer is not a valid result (result.verdict is not a known verdict).',
    });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('The check could not be done');
    expect(container.textContent).toMatch(/not a valid result, so it is not shown/);
    expect(container.querySelector('.headline')?.classList.contains('tone-neutral')).toBe(true);
    expect(greenElements(container)).toEqual([]);
  });

  it('idle (excluded): offers Check now', async () => {
    const { connector } = await renderPopup({ state: 'idle', site, reason: 'excluded' });
    expect(screen.getByText(/list of excluded sites/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check now' }));
    await screen.findByRole('heading', { name: 'Checking…' });
    expect(connector.calls).toContain('recheck');
  });

  it('draws the stored start in its first render, before the background answers', async () => {
    const connector = createMockConnector(resultView('stapled-good'), { now: NOW });
    connector.load = () => new Promise(() => undefined); // the background never answers
    const start = await connector.start();
    render(<Popup connector={connector} start={start} />);
    expect(screen.getByRole('heading', { level: 1, name: HEADLINE['stapled-good'] })).toBeTruthy();
  });

  it('the live state replaces the stored start', async () => {
    const connector = createMockConnector(resultView('stapled-good'), { now: NOW });
    const start = await connector.start();
    connector.emit(resultView('stapled-revoked'));
    render(<Popup connector={connector} start={start} />);
    await screen.findByRole('heading', { level: 1, name: HEADLINE['stapled-revoked'] });
  });

  it('says so when the background cannot be reached', async () => {
    const connector = createMockConnector({ state: 'not-https', scheme: null }, { now: NOW });
    connector.load = () => Promise.reject(new Error('Could not establish connection.'));
    render(<Popup connector={connector} />);
    await screen.findByRole('heading', { name: 'Staple Check is not responding' });
    expect(screen.getByText('Could not establish connection.')).toBeTruthy();
  });
});

describe('buttons and updates', () => {
  it('Re-check asks the connector and shows progress', async () => {
    const { connector } = await renderPopup(resultView('stapled-good'));
    fireEvent.click(screen.getByRole('button', { name: 'Re-check' }));
    await screen.findByRole('progressbar');
    expect(connector.calls).toEqual(['subscribe', 'load', 'recheck']);
  });

  it('Copy report copies the result as JSON, keys in contract order', async () => {
    const { connector } = await renderPopup(resultView('stapled-revoked'));
    fireEvent.click(screen.getByRole('button', { name: 'Copy report' }));
    await screen.findByText('Report copied (JSON).');
    const copied = JSON.parse(connector.copied[0]!) as Record<string, unknown>;
    expect(copied).toEqual(JSON.parse(JSON.stringify(sampleResult('stapled-revoked'))));
    expect(Object.keys(copied).slice(0, 6)).toEqual(['host', 'port', 'servername', 'address', 'checkedAt', 'verdict']);
  });

  it('Copy openssl command copies the equivalent s_client line', async () => {
    const { connector } = await renderPopup(resultView('not-stapled'));
    fireEvent.click(screen.getByRole('button', { name: 'Copy openssl command' }));
    await screen.findByText('openssl command copied.');
    expect(connector.copied).toEqual([
      'openssl s_client -connect example.com:443 -servername example.com -status </dev/null',
    ]);
  });

  it('says when copying failed', async () => {
    await renderPopup(resultView('not-stapled'), { failCopy: true });
    fireEvent.click(screen.getByRole('button', { name: 'Copy report' }));
    await screen.findByText('Could not copy: copy refused');
  });

  it('follows the background’s state changes in a live region', async () => {
    const { connector, container } = await renderPopup({ state: 'checking', site, startedAt: NOW.getTime() });
    connector.emit(resultView('stapled-revoked'));
    await screen.findByRole('heading', { name: 'The certificate is revoked' });
    const live = container.querySelector('[aria-live="polite"]');
    expect(live?.textContent).toMatch(/The certificate is revoked/);
    expect(live?.getAttribute('aria-busy')).toBe('false');
  });

  it('is keyboard usable: every action is a real, named button', async () => {
    await renderPopup(resultView('stapled-good'));
    const names = screen.getAllByRole('button').map((b) => b.textContent);
    expect(names).toEqual(['Re-check', 'Copy report', 'Copy openssl command', 'Options', 'Check']);
    for (const button of screen.getAllByRole('button')) {
      expect(button.tagName).toBe('BUTTON');
      expect(button.getAttribute('tabindex')).not.toBe('-1');
    }
  });

  it('opens the options page', async () => {
    const { connector } = await renderPopup(resultView('no-ocsp'));
    fireEvent.click(screen.getByRole('button', { name: 'Options' }));
    await waitFor(() => expect(connector.calls).toContain('options'));
  });
});

describe('tabIdFromSearch', () => {
  it('reads ?tabId=N and nothing else', () => {
    expect(tabIdFromSearch('?tabId=42')).toBe(42);
    expect(tabIdFromSearch('?tabId=-1')).toBeNull();
    expect(tabIdFromSearch('?tabId=abc')).toBeNull();
    expect(tabIdFromSearch('')).toBeNull();
  });
});
