// End to end: a real Chromium spawns the registered host for an extension carrying the manifest
// `key` (so it has CHROMIUM_EXTENSION_ID), and the extension's service worker talks to it.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/io/terminal-io.js';
import { CHROMIUM_EXTENSION_ID, HOST_NAME, MANIFEST_KEY } from '../../src/protocol/extension-ids.js';
import { runInstallerCommand } from '../../src/installer/command.js';
import { chromiumArgs } from './extension-harness.js';
import {
  assertBuilt,
  mintSelfSigned,
  startStaplingServer,
  tempDir,
  type StaplingServer,
} from '../host/host-harness.js';

const CHROMIUM = '/usr/bin/chromium';

// The slice of the extension API the worker code below uses (it runs inside Chromium, not here).
interface NativePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}
declare const chrome: {
  runtime: {
    sendNativeMessage(host: string, message: unknown, callback: (response: unknown) => void): void;
    connectNative(host: string): NativePort;
    lastError?: { message?: string };
  };
};

let dir: ReturnType<typeof tempDir>;
let context: BrowserContext | undefined;
let worker: Worker;
let server: StaplingServer | undefined;

function quietIo(env: Record<string, string>, cwd: string): { io: CliIo; output: () => string } {
  let output = '';
  return {
    io: { stdout: (t) => void (output += t), stderr: (t) => void (output += t), isTTY: false, env, cwd },
    output: () => output,
  };
}

beforeAll(async () => {
  // Never a silent skip: without the browser this test fails and says how to get it.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing. Install it (as root): apt-get update && apt-get install -y chromium`);
  }
  assertBuilt();
  dir = tempDir('e2e-native');
  const home = join(dir.path, 'home');
  const profile = join(dir.path, 'profile');
  const extension = join(dir.path, 'extension');
  for (const d of [home, profile, extension]) mkdirSync(d, { recursive: true });

  // A minimal MV3 extension with the real `key`: the same ID as Staple Check.
  writeFileSync(
    join(extension, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Staple Check native host test',
      version: '0.0.1',
      key: MANIFEST_KEY,
      permissions: ['nativeMessaging'],
      background: { service_worker: 'worker.js' },
    }),
  );
  writeFileSync(join(extension, 'worker.js'), '// Driven from the test through worker.evaluate.\n');

  const { io, output } = quietIo({ HOME: home }, dir.path);
  const status = await runInstallerCommand('install', ['--user-data-dir', profile], io);
  if (status !== 0) throw new Error(`staplecheck install failed (${status}):\n${output()}`);

  const { certPem, keyPem } = mintSelfSigned(dir.path);
  server = await startStaplingServer({ certPem, keyPem });

  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // Chromium writes to ~/.config/chromium even with a custom profile unless XDG_CONFIG_HOME moves it.
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(profile, 'xdg-config') },
    args: chromiumArgs(extension),
  });
  worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  dir?.remove();
});

describe('the host registered with --user-data-dir, spawned by Chromium', () => {
  it('loads the test extension under the fixed ID', () => {
    expect(worker.url()).toBe(`chrome-extension://${CHROMIUM_EXTENSION_ID}/worker.js`);
  });

  it('answers a ping sent with chrome.runtime.sendNativeMessage', async () => {
    const answer = await worker.evaluate(
      (host) =>
        new Promise((resolve) => {
          chrome.runtime.sendNativeMessage(host, { id: 1, type: 'ping' }, (response: unknown) =>
            resolve(response ?? { lastError: chrome.runtime.lastError?.message }),
          );
        }),
      HOST_NAME,
    );
    expect(answer).toEqual({
      id: 1,
      ok: true,
      result: { version: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown },
    });
  });

  it('checks a loopback TLS server over a connectNative port, several requests on one connection', async () => {
    const answers = (await worker.evaluate(
      ({ host, port }) =>
        new Promise<unknown>((resolve) => {
          const got: unknown[] = [];
          const nativePort = chrome.runtime.connectNative(host);
          nativePort.onMessage.addListener((message: unknown) => {
            got.push(message);
            if (got.length === 3) {
              nativePort.disconnect();
              resolve(got);
            }
          });
          nativePort.onDisconnect.addListener(() => resolve({ lastError: chrome.runtime.lastError?.message, got }));
          nativePort.postMessage({ id: 'check', type: 'check', host: '127.0.0.1', port, timeoutMs: 5000 });
          nativePort.postMessage({ id: 'bad', type: 'check', host: '127.0.0.1', port: 0 });
          nativePort.postMessage({ id: 'ping', type: 'ping' });
        }),
      { host: HOST_NAME, port: server?.port ?? 0 },
    )) as Array<{ id: unknown; ok: boolean; result?: Record<string, unknown>; error?: { code: string } }>;
    expect(Array.isArray(answers)).toBe(true);
    const byId = new Map(answers.map((a) => [a.id, a]));
    expect(byId.get('ping')).toMatchObject({ ok: true });
    expect(byId.get('bad')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(byId.get('check')?.ok).toBe(true);
    expect(byId.get('check')?.result).toMatchObject({
      host: '127.0.0.1',
      port: server?.port,
      verdict: expect.any(String) as unknown,
    });
  });
});
