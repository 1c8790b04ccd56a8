// Start a registered host the way a browser does (its launcher, the origin argument, a PATH with no
// Node on it) and ask it for its version over real frames.
import { spawn } from 'node:child_process';
import { encodeFrame, FrameDecoder, parseFramePayload } from '../protocol/framing.js';
import type { Env, Platform } from './layout.js';

export interface PingOutcome {
  ok: boolean;
  /** The host's version, when it answered. */
  version: string | null;
  elapsedMs: number;
  /** Why not, for a person. */
  message: string;
  stderr: string;
}

/**
 * A browser-like environment: no Node on PATH (PATH=/nonexistent), nothing from the installer's
 * shell. On Windows cmd.exe still needs SystemRoot and ComSpec.
 */
export function browserLikeEnv(platform: Platform, env: Env): Record<string, string> {
  if (platform !== 'win32') return { PATH: '/nonexistent' };
  const keep: Record<string, string> = {};
  for (const name of ['SystemRoot', 'windir', 'ComSpec', 'TEMP', 'TMP', 'LOCALAPPDATA', 'APPDATA', 'USERPROFILE']) {
    const value = env[name];
    if (value) keep[name] = value;
  }
  keep.PATH = `${env.SystemRoot ?? 'C:\\Windows'}\\System32`;
  return keep;
}

export function pingHost(options: {
  launcherPath: string;
  args: readonly string[];
  platform: Platform;
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<PingOutcome> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    let settled = false;
    let stderr = '';
    const finish = (outcome: Omit<PingOutcome, 'elapsedMs' | 'stderr'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin?.end();
      // Give the host a moment to exit on EOF, as it should; then make sure it is gone.
      setTimeout(() => child.kill(), 2_000).unref();
      resolve({ ...outcome, elapsedMs: Math.round(performance.now() - started), stderr: stderr.trim() });
    };
    // Node refuses to spawn .cmd files directly (CVE-2024-27980); browsers go through cmd.exe too.
    const child =
      options.platform === 'win32'
        ? spawn(
            options.env.ComSpec ?? 'cmd.exe',
            ['/d', '/s', '/c', `"${[options.launcherPath, ...options.args].map((a) => `"${a}"`).join(' ')}"`],
            {
              env: options.env,
              windowsVerbatimArguments: true,
              windowsHide: true,
            },
          )
        : spawn(options.launcherPath, [...options.args], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(
      () => finish({ ok: false, version: null, message: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    const decoder = new FrameDecoder();
    child.on('error', (err) => finish({ ok: false, version: null, message: `cannot start it: ${err.message}` }));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 4_000) stderr += chunk.toString('utf8');
    });
    child.stdin?.on('error', () => undefined); // a host that died early; reported by 'exit'
    child.stdout?.on('data', (chunk: Buffer) => {
      const { frames, error } = decoder.push(chunk);
      if (error)
        finish({ ok: false, version: null, message: 'it wrote something that is not a native-messaging frame' });
      for (const frame of frames) {
        const parsed = parseFramePayload(frame);
        const answer = parsed.ok
          ? (parsed.value as { id?: unknown; ok?: unknown; result?: { version?: unknown } })
          : null;
        if (answer?.id === 'doctor' && answer.ok === true && typeof answer.result?.version === 'string') {
          finish({ ok: true, version: answer.result.version, message: 'answered the ping' });
        } else {
          finish({ ok: false, version: null, message: 'it answered something other than a ping answer' });
        }
      }
    });
    child.on('close', (code, signal) =>
      finish({
        ok: false,
        version: null,
        message: `it exited before answering (${signal ? `signal ${signal}` : `status ${code}`})`,
      }),
    );
    child.stdin?.write(encodeFrame({ id: 'doctor', type: 'ping' }));
  });
}
