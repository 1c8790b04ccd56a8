#!/usr/bin/env node
// `npm test` brings its own system prerequisites: the integration tests talk to a real nginx and
// `openssl ocsp`/`s_server`, the end-to-end tests drive Debian's Chromium and Firefox ESR.
// Missing ones are installed with apt when we can (root on Debian); otherwise we stop and say how.
// Never a silent skip: a test suite that quietly tests less is worse than one that stops.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const REQUIRED = [
  { what: 'nginx', present: () => onPath('nginx') || existsSync('/usr/sbin/nginx'), apt: 'nginx' },
  { what: 'openssl', present: () => onPath('openssl'), apt: 'openssl' },
  { what: 'chromium', present: () => existsSync('/usr/bin/chromium'), apt: 'chromium' },
  { what: 'firefox-esr', present: () => existsSync('/usr/bin/firefox-esr'), apt: 'firefox-esr' },
];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const missing = REQUIRED.filter((r) => !r.present());
if (missing.length === 0) process.exit(0);

const packages = missing.map((m) => m.apt);
const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !onPath('apt-get')) {
  process.stderr.write(
    `The tests need ${missing.map((m) => m.what).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed.\n` +
      `Install ${missing.length === 1 ? 'it' : 'them'} (as root on Debian/Ubuntu) and run npm test again:\n\n  sudo ${command}\n\n`,
  );
  process.exit(1);
}
process.stderr.write(`Installing test prerequisites with apt: ${packages.join(' ')}\n`);
// RUNLEVEL=1 keeps Debian's maintainer scripts from starting nginx as a system service.
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'inherit', 'inherit'], env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env,
});
const stillMissing = REQUIRED.filter((r) => !r.present());
if (stillMissing.length > 0) {
  process.stderr.write(`Still missing after apt: ${stillMissing.map((m) => m.what).join(', ')}\n`);
  process.exit(1);
}
