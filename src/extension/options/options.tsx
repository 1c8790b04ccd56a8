// The options page: automatic checks, excluded sites, cache lifetime, a helper test, and what
// leaves the machine. Saves as you go; a live status line says so.
import { useEffect, useState } from 'preact/hooks';
import type { PingReply } from '../shared/messages.js';
import type { Options } from '../shared/options.js';
import { MAX_CACHE_MINUTES, parseExcludedText } from '../shared/options.js';
import { installCommand } from '../shared/install-command.js';
import { msg } from '../shared/i18n.js';
import type { OptionsStore } from './options-store.js';

export function OptionsPage({ store }: { store: OptionsStore }) {
  const [options, setOptions] = useState<Options | null>(null);
  const [excludedText, setExcludedText] = useState('');
  const [invalid, setInvalid] = useState<string[]>([]);
  const [status, setStatus] = useState('');
  const [ping, setPing] = useState<PingReply | 'asking' | null>(null);

  useEffect(() => {
    store.load().then(
      (loaded) => {
        setOptions(loaded);
        setExcludedText(loaded.excludedSites.join('\n'));
      },
      (err: unknown) => setStatus(`Could not load the options: ${String(err)}`),
    );
  }, [store]);

  if (!options) {
    return (
      <main class="options">
        <p role="status">{status || 'Loading…'}</p>
      </main>
    );
  }

  const save = (next: Options) => {
    setOptions(next);
    store.save(next).then(
      () => setStatus('Saved.'),
      (err: unknown) => setStatus(`Could not save: ${String(err)}`),
    );
  };

  const testHost = () => {
    setPing('asking');
    store
      .pingHost()
      .then(setPing, (err: unknown) => setPing({ ok: false, state: 'failed', message: String(err), extensionId: '' }));
  };

  return (
    <main class="options">
      <h1>Staple Check options</h1>

      <section>
        <h2>Automatic checks</h2>
        <label class="check">
          <input
            type="checkbox"
            checked={options.autoCheck}
            onChange={(e) => save({ ...options, autoCheck: (e.currentTarget as HTMLInputElement).checked })}
          />{' '}
          Check every https: page when it loads
        </label>
        <p class="hint">When off, a site is checked only when you open the Staple Check popup on it.</p>
      </section>

      <section>
        <h2>
          <label for="excluded">Excluded sites</label>
        </h2>
        <p class="hint" id="excluded-hint">
          Never checked automatically. One per line: <code>example.com</code> (and its subdomains),{' '}
          <code>intranet.example:8443</code>, <code>10.0.0.7</code>.
        </p>
        <textarea
          id="excluded"
          rows={6}
          aria-describedby="excluded-hint"
          value={excludedText}
          onInput={(e) => setExcludedText((e.currentTarget as HTMLTextAreaElement).value)}
          onBlur={() => {
            const parsed = parseExcludedText(excludedText);
            setInvalid(parsed.invalid);
            save({ ...options, excludedSites: parsed.patterns });
          }}
        />
        {invalid.length > 0 && <p class="warning">Ignored (not a host name, address or URL): {invalid.join(', ')}</p>}
      </section>

      <section>
        <h2>
          <label for="cache">Reuse results for at most (minutes)</label>
        </h2>
        <input
          id="cache"
          type="number"
          min={0}
          max={MAX_CACHE_MINUTES}
          step={1}
          value={options.cacheMinutes}
          aria-describedby="cache-hint"
          onChange={(e) => {
            const minutes = Number((e.currentTarget as HTMLInputElement).value);
            if (Number.isFinite(minutes) && minutes >= 0 && minutes <= MAX_CACHE_MINUTES) {
              save({ ...options, cacheMinutes: Math.round(minutes) });
            } else setStatus(`Enter 0 to ${MAX_CACHE_MINUTES} minutes.`);
          }}
        />
        <p class="hint" id="cache-hint">
          A result is never reused past its staple’s own expiry (nextUpdate). 0 checks on every page load.
        </p>
      </section>

      <section>
        <h2>Helper program</h2>
        <p class="hint">
          Checks run in a small program on this computer, installed with <code>npx staplecheck install</code>.
        </p>
        <button type="button" onClick={testHost} disabled={ping === 'asking'}>
          Test the helper
        </button>
        <p class="ping" role="status">
          {ping === 'asking'
            ? 'Asking…'
            : ping === null
              ? ''
              : ping.ok
                ? `The helper answers (version ${ping.version}).`
                : ping.state === 'host-missing'
                  ? `The helper is not installed (${ping.message}). Run: ${installCommand(ping.extensionId, 'npx staplecheck')}`
                  : `The helper did not answer properly: ${ping.message}`}
        </p>
      </section>

      <section>
        <h2>Privacy</h2>
        <p>
          Staple Check talks only to the site you visit. The helper program on this computer opens a TLS connection to
          that site — the same host and port your browser just used — and reads the certificate and stapled OCSP
          response the site sends. Nothing else leaves your machine: no server of ours, no analytics, and the CA’s OCSP
          responder is not asked (that would tell the CA which sites you visit). Results stay in the browser’s memory
          and are forgotten when it closes; these settings stay in the browser’s local extension storage.
        </p>
        <p>{msg('options_privacy_direct')}</p>
      </section>

      <p class="status" role="status">
        {status}
      </p>
    </main>
  );
}
