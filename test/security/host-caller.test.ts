// Issue 8 item 4, as browsers and attackers run it: the built host as a child process. Arguments
// that are not exactly Chromium's origin or Firefox's manifest path plus add-on ID make it exit
// non-zero without answering the frame already waiting on its stdin; no arguments still serve.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import { assertBuilt, HostProcess } from '../host/host-harness.js';

const hosts: HostProcess[] = [];
function start(args: string[]): HostProcess {
  const host = HostProcess.start({ args });
  hosts.push(host);
  return host;
}

beforeAll(() => assertBuilt());
afterEach(() => {
  for (const host of hosts.splice(0)) host.kill();
});

describe('staplecheck-host refuses callers it does not recognise (fails closed)', () => {
  it.each([
    ['moz-extension://…', ['moz-extension://4b9c0e3a-1111-2222-3333-444455556666/']],
    ['evil@addon', ['evil@addon']],
    ['Chrome-Extension://… (wrong case)', [`Chrome-Extension://${CHROMIUM_EXTENSION_ID}/`]],
    ['a manifest path ending .JSON', ['/tmp/dev.staplecheck.host.JSON', FIREFOX_EXTENSION_ID]],
    ['our origin plus extra arguments', [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`, 'extra', 'args']],
  ])('%s: exits 2, nothing on stdout', async (_label, args) => {
    const host = start(args);
    host.request({ id: 1, type: 'ping' });
    const exit = await host.exited;
    expect(exit.code).toBe(2);
    expect(host.stdout.length).toBe(0);
    expect(host.stderr).toMatch(/refusing to serve/);
  });

  it.each([
    ['no arguments (a person)', []],
    ['our Chromium origin', [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`]],
    [
      'our Firefox manifest and add-on',
      ['/home/u/.mozilla/native-messaging-hosts/dev.staplecheck.host.json', FIREFOX_EXTENSION_ID],
    ],
  ])('%s: served', async (_label, args) => {
    const host = start(args);
    host.request({ id: 1, type: 'ping' });
    expect((await host.answerFor(1)).ok).toBe(true);
    host.end();
    expect((await host.exited).code).toBe(0);
  });
});
