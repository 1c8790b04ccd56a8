// @vitest-environment happy-dom
// The popup's new parts with the mock connector: the disclosure that remembers being opened, OpenSSL
// codes in words, the "Check a site" field, recent checks, the "Don't check this site" switch, the
// opt-in history chart and the link to the stapling page. (That it all fits 800×600 is measured in
// a real Chromium: test/e2e/popup-chromium.test.ts.)
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockConnector } from '../../src/extension/popup/connector-mock.js';
import { chartGeometry } from '../../src/extension/popup/history-chart.js';
import { Popup } from '../../src/extension/popup/popup.js';
import { msg } from '../../src/extension/shared/i18n.js';
import { stapleTimeLeft } from '../../src/view/staple-time-left.js';
import type { TabView } from '../../src/extension/shared/tab-view.js';
import { NOW, sampleResult } from './sample-results.js';

afterEach(cleanup);

const site = { host: 'example.com', port: 443 };

function resultView(verdict: Parameters<typeof sampleResult>[0] = 'stapled-good'): TabView {
  return { state: 'result', site, result: sampleResult(verdict), fromCache: false, expiresAt: null };
}

async function renderWith(view: TabView, setup: (c: ReturnType<typeof createMockConnector>) => void = () => {}) {
  const connector = createMockConnector(view, { now: NOW });
  setup(connector);
  const rendered = render(<Popup connector={connector} />);
  await screen.findByRole('heading', { level: 1 });
  return { connector, ...rendered };
}

describe('the disclosure', () => {
  it('folds facts and findings, closed at first', async () => {
    const { container } = await renderWith(resultView('stapled-invalid'));
    const details = container.querySelector('details.more') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('Details · 1 finding');
    expect(details.querySelector('[data-fact="staple"]')).not.toBeNull();
    expect(details.querySelector('.problems')).not.toBeNull();
    // Above it: the verdict and one lead sentence, nothing else in words.
    const top = container.querySelector('article.result')!;
    expect(top.querySelectorAll('p.lead')).toHaveLength(1);
    expect(top.querySelector('.summary')).toBeNull();
  });

  it('opens as it was left, and remembers a change', async () => {
    const { container, connector } = await renderWith(resultView(), (c) => (c.detailsWereOpen = true));
    const details = container.querySelector('details.more') as HTMLDetailsElement;
    await waitFor(() => expect(details.open).toBe(true));
    details.open = false;
    fireEvent(details, new Event('toggle'));
    await waitFor(() => expect(connector.calls).toContain('details-closed'));
    expect(connector.detailsWereOpen).toBe(false);
  });
});

describe('OpenSSL codes', () => {
  it('explains the chain’s code in words and shows the raw code small, breakable at each _', async () => {
    const view = resultView() as Extract<TabView, { state: 'result' }>;
    view.result.chain = { ...view.result.chain!, trusted: false, trustError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' };
    const { container } = await renderWith(view);
    const chain = container.querySelector('[data-fact="chain"] dd')!;
    expect(chain.textContent).toMatch(
      /not trusted: the certificate of the CA that issued it is not in this computer’s trust store/,
    );
    const raw = chain.querySelector('small.raw-code code')!;
    expect(raw.textContent).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(raw.querySelectorAll('wbr')).toHaveLength(5);
    expect(raw.innerHTML).toContain('UNABLE_<wbr>TO_<wbr>GET_<wbr>');
  });

  it('keeps a code it cannot explain as it is', async () => {
    const view = resultView() as Extract<TabView, { state: 'result' }>;
    view.result.chain = { ...view.result.chain!, trusted: false, trustError: 'SOME_NEW_CODE' };
    const { container } = await renderWith(view);
    expect(container.querySelector('[data-fact="chain"] dd')?.textContent).toMatch(/not trusted \(SOME_NEW_CODE\)/);
  });
});

describe('Check a site', () => {
  it('checks a pasted URL from a page with no site (the new-tab page) and shows the verdict in place', async () => {
    const { connector, container } = await renderWith({ state: 'not-https', scheme: 'chrome:' }, (c) => {
      c.sites.set('example.org:8443', {
        state: 'result',
        site: { host: 'example.org', port: 8443 },
        result: { ...sampleResult('stapled-revoked'), host: 'example.org', port: 8443 },
        fromCache: false,
        expiresAt: null,
      });
    });
    const field = screen.getByRole('textbox', { name: 'Check a site' });
    fireEvent.input(field, { target: { value: 'https://example.org:8443/login?next=/home' } });
    fireEvent.submit(field.closest('form')!);
    await waitFor(() =>
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('The certificate is revoked'),
    );
    expect(connector.checkedSites).toEqual([{ target: 'https://example.org:8443/login?next=/home', fresh: false }]);
    expect(container.querySelector('.headline .site')?.textContent).toBe('example.org:8443');
    // Re-check asks that site afresh; Back returns to the tab.
    fireEvent.click(screen.getByRole('button', { name: 'Re-check' }));
    await waitFor(() => expect(connector.checkedSites.at(-1)).toEqual({ target: 'example.org:8443', fresh: true }));
    fireEvent.click(await screen.findByRole('button', { name: 'Back to this tab' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Not an HTTPS page');
  });

  it('says what is wrong with the text, next to the field, without asking the background', async () => {
    const { connector } = await renderWith(resultView());
    const field = screen.getByRole('textbox', { name: 'Check a site' });
    fireEvent.input(field, { target: { value: 'http://example.org/' } });
    fireEvent.submit(field.closest('form')!);
    expect((await screen.findByText(/That is an http: address/)).id).toBe('check-site-error');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(connector.checkedSites).toEqual([]);
  });
});

describe('recent checks', () => {
  it('lists host:port, verdict and staple time left; a click opens that verdict', async () => {
    await renderWith(resultView(), (c) => {
      c.recent = [
        { site: { host: 'a.example', port: 443 }, result: { ...sampleResult('stapled-good'), host: 'a.example' } },
        { site: { host: 'b.example', port: 8443 }, result: sampleResult('not-stapled') },
      ];
    });
    const list = await screen.findByRole('region', { name: 'Recent checks' });
    const items = within(list).getAllByRole('button');
    expect(items.map((b) => b.textContent)).toEqual([
      'a.example:443Stapled, and the certificate is good3 days left',
      'b.example:8443No staple sentno staple',
    ]);
    fireEvent.click(items[1]!);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('No staple sent');
    expect(document.querySelector('.headline .site')?.textContent).toBe('b.example:8443');
  });
});

describe('Don’t check this site', () => {
  it('shows whether the tab’s site is excluded and switches it on the options’ list', async () => {
    const { connector } = await renderWith(resultView());
    const toggle = (await screen.findByRole('switch', { name: 'Don’t check this site' })) as HTMLInputElement;
    await waitFor(() => expect(toggle.checked).toBe(false));
    fireEvent.click(toggle);
    await waitFor(() => expect(connector.excludedSites).toEqual(['example.com']));
    await screen.findByText(/Not checked automatically any more/);
    fireEvent.click(toggle);
    await waitFor(() => expect(connector.excludedSites).toEqual([]));
  });

  it('is not offered on a page without a site', async () => {
    await renderWith({ state: 'not-https', scheme: 'about:' });
    expect(screen.queryByRole('switch')).toBeNull();
  });
});

describe('Watch this site', () => {
  it('asks for notifications first (the click is the user gesture), then watches the shown site', async () => {
    const { connector } = await renderWith(resultView());
    const toggle = (await screen.findByRole('switch', { name: 'Watch this site' })) as HTMLInputElement;
    await waitFor(() => expect(toggle.checked).toBe(false));
    fireEvent.click(toggle);
    await screen.findByText('Watching example.com:443: a notification comes when its staple lapses or runs low.');
    expect(connector.calls.filter((c) => c.startsWith('watch') || c.startsWith('request'))).toEqual([
      'request-notifications',
      'watch-true',
    ]);
    expect(connector.watched).toEqual([site]);
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);
    await screen.findByText('No longer watching example.com:443.');
    expect(connector.watched).toEqual([]);
    // Switching off asks for no permission.
    expect(connector.calls.filter((c) => c === 'request-notifications')).toHaveLength(1);
  });

  it('still watches when notifications are refused, and says where to look', async () => {
    const { connector } = await renderWith(resultView(), (c) => {
      c.notificationsGranted = false;
    });
    fireEvent.click(await screen.findByRole('switch', { name: 'Watch this site' }));
    await screen.findByText(/^Watching example\.com:443\. Notifications are not allowed/);
    expect(connector.watched).toEqual([site]);
  });

  it('says so when the list is full, and stays off', async () => {
    await renderWith(resultView(), (c) => {
      c.watched = Array.from({ length: 50 }, (_, i) => ({ host: `s${i}.test`, port: 443 }));
    });
    const toggle = (await screen.findByRole('switch', { name: 'Watch this site' })) as HTMLInputElement;
    fireEvent.click(toggle);
    await screen.findByText('You already watch 50 sites: remove one on the options page first.');
    expect(toggle.checked).toBe(false);
  });

  it('is not offered on a page without a site', async () => {
    await renderWith({ state: 'not-https', scheme: 'about:' });
    expect(screen.queryByRole('switch', { name: 'Watch this site' })).toBeNull();
  });
});

describe('staple history chart', () => {
  it('is drawn in the details once the user opted in', async () => {
    const { container } = await renderWith(resultView(), (c) => {
      c.history = {
        enabled: true,
        points: [
          { at: 0, ageSeconds: 3600 },
          { at: 3_600_000, ageSeconds: 7200 },
          { at: 7_200_000, ageSeconds: null },
        ],
      };
    });
    const chart = await screen.findByRole('img', {
      name: /How old example\.com:443’s staple was at each of the last 3 checks/,
    });
    expect(container.querySelector('details.more')?.contains(chart)).toBe(true);
    // Oldest 2 h → the top is 3 h (a quarter of headroom, whole hours).
    expect(chart.querySelector('polyline')?.getAttribute('points')).toBe('36.0,41.3 256.0,22.7');
    expect(chart.querySelectorAll('circle.age-dot')).toHaveLength(2);
    expect(chart.querySelectorAll('rect.gap')).toHaveLength(1);
    expect(chart.querySelector('text.scale')?.textContent).toBe('3 h');
  });

  it('is absent while the user has not opted in', async () => {
    await renderWith(resultView());
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('puts old staples high and fresh ones low', () => {
    const g = chartGeometry([
      { at: 0, ageSeconds: 0 },
      { at: 10, ageSeconds: 86_400 },
    ]);
    expect(g.line).toBe('36.0,60.0 476.0,15.2');
    expect(g.topHours).toBe(30);
  });
});

describe('links', () => {
  it('links the stapling page inside the extension', async () => {
    await renderWith(resultView());
    const link = screen.getByRole('link', { name: 'What is OCSP stapling?' });
    expect(link.getAttribute('href')).toBe('stapling.html');
    expect(link.getAttribute('target')).toBe('_blank');
  });
});

describe('stapleTimeLeft', () => {
  it('says how long the staple stays valid, or why there is none, in a few words', () => {
    const good = sampleResult('stapled-good');
    expect(stapleTimeLeft(good, NOW, msg)).toBe('3 days left');
    expect(stapleTimeLeft(good, new Date(Date.parse(good.ocsp!.nextUpdate!) + 3_600_000), msg)).toBe(
      'staple expired 1 h ago',
    );
    expect(stapleTimeLeft({ ...good, ocsp: { ...good.ocsp!, nextUpdate: null } }, NOW, msg)).toBe('no end date');
    expect(stapleTimeLeft(sampleResult('not-stapled'), NOW, msg)).toBe('no staple');
    expect(stapleTimeLeft(sampleResult('error'), NOW, msg)).toBe('no TLS answer');
  });
});
