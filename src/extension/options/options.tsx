// The options page: automatic checks, excluded sites, cache lifetime, the opt-in staple history,
// the watched sites (their last verdict and time left, a threshold, removal), a helper test, and
// what leaves the machine. Saves as you go; a live status line says so. Every
// word comes from the message catalogue, and nothing typed is dropped without a word: a line that
// is no site stays in the field and is named next to it as not saved, a bad number stays as typed
// with what is wrong beside it.
import { useEffect, useState } from 'preact/hooks';
import { agoWords, timeLeftUntil } from '../../view/staple-time-left.js';
import { messageKey, msg } from '../shared/i18n.js';
import { installCommand } from '../shared/install-command.js';
import type { PingReply } from '../shared/messages.js';
import type { Options } from '../shared/options.js';
import { MAX_CACHE_MINUTES, parseCacheMinutesText, parseExcludedText, parseWatchHoursText } from '../shared/options.js';
import { siteLabel } from '../shared/site.js';
import type { WatchList, WatchStatus } from '../shared/watch-list.js';
import { MAX_WATCHED } from '../shared/watch-list.js';
import type { OptionsStore } from './options-store.js';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function pingWords(ping: PingReply | 'asking' | null): string {
  if (ping === 'asking') return msg('options_ping_asking');
  if (ping === null) return '';
  if (ping.ok) return msg('options_ping_ok', [ping.version]);
  return ping.state === 'host-missing'
    ? msg('options_ping_missing', [ping.message, installCommand(ping.extensionId, 'npx staplecheck')])
    : msg('options_ping_failed', [ping.message]);
}

/** A watched site's last check: its verdict's headline, or why there was none. */
function outcomeWords(last: WatchStatus | null): string {
  if (!last) return msg('options_watch_not_checked');
  switch (last.outcome) {
    case 'excluded':
      return msg('options_watch_excluded');
    case 'host-missing':
      return msg('options_watch_host_missing');
    case 'failed':
      return msg('options_watch_failed');
    default:
      return msg(messageKey('headline', last.outcome));
  }
}

function leftWords(last: WatchStatus | null, now: number): string {
  if (!last || last.nextUpdate === null) return '—';
  return timeLeftUntil(last.nextUpdate, now, msg);
}

function WatchedSites(props: {
  store: OptionsStore;
  list: WatchList;
  now: number;
  setStatus: (status: string) => void;
}) {
  const { list, now } = props;
  if (list.length === 0) return <p class="hint">{msg('options_watch_none')}</p>;
  return (
    <table class="watched">
      <thead>
        <tr>
          <th scope="col">{msg('options_watch_site')}</th>
          <th scope="col">{msg('options_watch_verdict')}</th>
          <th scope="col">{msg('options_watch_left')}</th>
          <th scope="col">{msg('options_watch_checked')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {list.map((w) => {
          const label = siteLabel(w.site);
          return (
            <tr key={label} data-site={label} data-outcome={w.last?.outcome ?? ''}>
              <th scope="row">{label}</th>
              <td>{outcomeWords(w.last)}</td>
              <td>{leftWords(w.last, now)}</td>
              <td>{w.last ? agoWords(w.last.checkedAt, now) : '—'}</td>
              <td>
                <button
                  type="button"
                  aria-label={msg('options_watch_remove_label', [label])}
                  onClick={() =>
                    props.store
                      .unwatch(w.site)
                      .catch((err: unknown) => props.setStatus(msg('options_save_failed', [errorText(err)])))
                  }
                >
                  {msg('options_watch_remove')}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function OptionsPage({ store }: { store: OptionsStore }) {
  const [options, setOptions] = useState<Options | null>(null);
  const [excludedText, setExcludedText] = useState('');
  const [invalid, setInvalid] = useState<string[]>([]);
  const [minutesText, setMinutesText] = useState('');
  const [minutesError, setMinutesError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [ping, setPing] = useState<PingReply | 'asking' | null>(null);
  const [watchList, setWatchList] = useState<WatchList>([]);
  const [watchNow, setWatchNow] = useState(() => store.now());
  const [hoursText, setHoursText] = useState('');
  const [hoursError, setHoursError] = useState<string | null>(null);
  const [notifications, setNotifications] = useState<boolean | null>(null);

  useEffect(() => {
    const reload = () =>
      store.watchList().then(
        (list) => {
          setWatchList(list);
          setWatchNow(store.now());
        },
        () => undefined,
      );
    void reload();
    store.hasNotifications().then(setNotifications, () => setNotifications(null));
    return store.onWatchChange(() => void reload());
  }, [store]);

  useEffect(() => {
    store.load().then(
      (loaded) => {
        setOptions(loaded);
        setExcludedText(loaded.excludedSites.join('\n'));
        setMinutesText(String(loaded.cacheMinutes));
        setHoursText(String(loaded.watchLeftHours));
      },
      (err: unknown) => setStatus(msg('options_load_failed', [errorText(err)])),
    );
  }, [store]);

  if (!options) {
    return (
      <main class="options">
        <p role="status">{status || msg('popup_loading')}</p>
      </main>
    );
  }

  const save = (next: Options) => {
    setOptions(next);
    store.save(next).then(
      () => setStatus(msg('options_saved')),
      (err: unknown) => setStatus(msg('options_save_failed', [errorText(err)])),
    );
  };

  const testHost = () => {
    setPing('asking');
    store
      .pingHost()
      .then(setPing, (err: unknown) =>
        setPing({ ok: false, state: 'failed', message: errorText(err), extensionId: '' }),
      );
  };

  const saveMinutes = (text: string) => {
    const parsed = parseCacheMinutesText(text);
    if (!parsed.ok) {
      setMinutesError(msg(parsed.key, parsed.substitutions));
      setStatus(msg('options_not_saved'));
      return;
    }
    setMinutesError(null);
    if (parsed.minutes !== options.cacheMinutes) save({ ...options, cacheMinutes: parsed.minutes });
  };

  const saveHours = (text: string) => {
    const parsed = parseWatchHoursText(text);
    if (!parsed.ok) {
      setHoursError(msg(parsed.key, parsed.substitutions));
      setStatus(msg('options_not_saved'));
      return;
    }
    setHoursError(null);
    if (parsed.hours !== options.watchLeftHours) save({ ...options, watchLeftHours: parsed.hours });
  };

  const allowNotifications = () => {
    store.requestNotifications().then(setNotifications, () => setNotifications(false));
  };

  return (
    <main class="options">
      <h1>{msg('options_title')}</h1>

      <section>
        <h2>{msg('options_auto_heading')}</h2>
        <label class="check">
          <input
            type="checkbox"
            checked={options.autoCheck}
            onChange={(e) => save({ ...options, autoCheck: (e.currentTarget as HTMLInputElement).checked })}
          />{' '}
          {msg('options_auto_label')}
        </label>
        <p class="hint">{msg('options_auto_hint')}</p>
      </section>

      <section>
        <h2>
          <label for="excluded">{msg('options_excluded_heading')}</label>
        </h2>
        <p class="hint" id="excluded-hint">
          {msg('options_excluded_hint')}
        </p>
        <textarea
          id="excluded"
          rows={6}
          aria-describedby={invalid.length > 0 ? 'excluded-hint excluded-error' : 'excluded-hint'}
          aria-invalid={invalid.length > 0 ? 'true' : 'false'}
          value={excludedText}
          onInput={(e) => setExcludedText((e.currentTarget as HTMLTextAreaElement).value)}
          onBlur={() => {
            const parsed = parseExcludedText(excludedText);
            setInvalid(parsed.invalid);
            save({ ...options, excludedSites: parsed.patterns });
          }}
        />
        {invalid.length > 0 && (
          <div class="field-error" id="excluded-error" role="alert">
            <p>{invalid.length === 1 ? msg('options_excluded_invalid_one') : msg('options_excluded_invalid')}</p>
            <ul>
              {invalid.map((line, i) => (
                <li key={`${i}-${line}`}>
                  <code>{line}</code>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section>
        <h2>
          <label for="cache">{msg('options_cache_heading')}</label>
        </h2>
        <input
          id="cache"
          type="text"
          inputMode="numeric"
          size={6}
          value={minutesText}
          aria-describedby={minutesError ? 'cache-error cache-hint' : 'cache-hint'}
          aria-invalid={minutesError ? 'true' : 'false'}
          onInput={(e) => setMinutesText((e.currentTarget as HTMLInputElement).value)}
          onChange={(e) => saveMinutes((e.currentTarget as HTMLInputElement).value)}
        />
        {minutesError && (
          <p class="field-error" id="cache-error" role="alert">
            {minutesError}
          </p>
        )}
        <p class="hint" id="cache-hint">
          {msg('options_cache_hint', [String(MAX_CACHE_MINUTES)])}
        </p>
      </section>

      <section>
        <h2>{msg('options_history_heading')}</h2>
        <label class="check">
          <input
            type="checkbox"
            checked={options.keepHistory}
            aria-describedby="history-hint"
            onChange={(e) => save({ ...options, keepHistory: (e.currentTarget as HTMLInputElement).checked })}
          />{' '}
          {msg('options_history_label')}
        </label>
        <p class="hint" id="history-hint">
          {msg('options_history_hint')}
        </p>
      </section>

      <section aria-labelledby="watch-heading">
        <h2 id="watch-heading">{msg('options_watch_heading')}</h2>
        <p class="hint">{msg('options_watch_hint', [String(MAX_WATCHED)])}</p>
        <WatchedSites store={store} list={watchList} now={watchNow} setStatus={setStatus} />
        <p>
          <label for="watch-hours">{msg('options_watch_hours_label')}</label>{' '}
          <input
            id="watch-hours"
            type="text"
            inputMode="numeric"
            size={4}
            value={hoursText}
            aria-describedby={hoursError ? 'watch-hours-error' : undefined}
            aria-invalid={hoursError ? 'true' : 'false'}
            onInput={(e) => setHoursText((e.currentTarget as HTMLInputElement).value)}
            onChange={(e) => saveHours((e.currentTarget as HTMLInputElement).value)}
          />
        </p>
        {hoursError && (
          <p class="field-error" id="watch-hours-error" role="alert">
            {hoursError}
          </p>
        )}
        {notifications !== null && (
          <p class="hint" data-notifications={notifications ? 'allowed' : 'not-allowed'}>
            {notifications ? msg('options_watch_notifications_on') : msg('options_watch_notifications_off')}{' '}
            {!notifications && (
              <button type="button" onClick={allowNotifications}>
                {msg('options_watch_notifications_allow')}
              </button>
            )}
          </p>
        )}
      </section>

      <section>
        <h2>{msg('options_helper_heading')}</h2>
        <p class="hint">{msg('options_helper_hint')}</p>
        <button type="button" onClick={testHost} disabled={ping === 'asking'}>
          {msg('options_helper_test')}
        </button>
        <p class="ping" role="status">
          {pingWords(ping)}
        </p>
      </section>

      <section>
        <h2>{msg('options_privacy_heading')}</h2>
        <p>{msg('options_privacy')}</p>
        <p>
          <a href="stapling.html">{msg('popup_what_is_stapling')}</a>
        </p>
        <p>{msg('options_privacy_direct')}</p>
      </section>

      <p class="status" role="status">
        {status}
      </p>
    </main>
  );
}
