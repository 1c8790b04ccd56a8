// The host's figures, against references measured in the same run, interleaved so that a busy
// neighbour slows both alike: a check of a site the warm host has seen vs a bare handshake to it;
// first-seen sites vs bare handshakes to them; a cold start vs `node -e 0`; RSS over many checks;
// CPU per check vs CPU per bare handshake.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { FLOOR_HOST, HostClient, type HostAnswer } from './host-client.js';
import type { MintedSites } from './sites.js';
import { median, ms, spread, type Row } from './table.js';

const EXPECTED: Record<string, string> = {
  good: 'stapled-good',
  revoked: 'stapled-revoked',
  none: 'no-ocsp',
};

// The bare reference: one handshake asking for the staple, with a context built once (as the probe
// keeps its own), closed as soon as it is done.
const bareContext = tls.createSecureContext({});

/** `context`: the bare handshake's trust (default: Node's roots); `mustTrust`: refuse a chain it cannot verify. */
export function bareHandshake(port: number, context = bareContext, mustTrust = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const options: tls.ConnectionOptions & { requestOCSP: boolean } = {
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      rejectUnauthorized: mustTrust,
      requestOCSP: true,
      secureContext: context,
    };
    const socket = tls.connect(options, () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}

async function timed(op: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await op();
  return performance.now() - started;
}

/**
 * Runs each of `turns` once, starting from turn `round` (modulo their number): measured side by
 * side in rotation, so that none always follows another's garbage.
 */
async function inTurn(round: number, turns: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  for (let t = 0; t < turns.length; t++) await turns[(round + t) % turns.length]!();
}

/** What is wrong with the floor host's answer (bench/floor-host.cjs), or null: it must see the site's staple. */
function wrongFloorAnswer(answer: HostAnswer, status: string): string | null {
  if (!answer.ok) return `floor host answered ${answer.error?.code}: ${answer.error?.message}`;
  const stapled = answer.result?.stapled === true;
  return stapled === (status !== 'none') ? null : `floor host: stapled ${stapled} for a site that is ${status}`;
}

/** Starts the floor host (bench/floor-host.cjs, which sets the host's V8 flags); its checks go through `check`. */
function startFloor(minted: MintedSites, ports: number[]) {
  const client = new HostClient([], [], FLOOR_HOST);
  let broken: string | null = null;
  return {
    client,
    broken: () => broken,
    check: async (index: number) => {
      broken ??= wrongFloorAnswer(await client.check(ports[index]!, 'default-offer'), minted.sites[index]!.status);
    },
  };
}

/** What is wrong with an answer, or null: the host must answer every check with the site's verdict. */
function wrongAnswer(answer: HostAnswer, status: string): string | null {
  if (!answer.ok) return `host answered ${answer.error?.code}: ${answer.error?.message}`;
  const verdict = answer.result?.verdict;
  return verdict === EXPECTED[status] ? null : `verdict ${String(verdict)}, expected ${EXPECTED[status]}`;
}

export interface HostBenchContext {
  minted: MintedSites;
  ports: number[];
  short: boolean;
}

/**
 * Site 0 again and again; sites 1.. once each, on one warm host. Each check is the one a page load
 * starts for the badge (probe `default-offer`, PROTOCOL.md: one handshake), the check the extension
 * makes most; `full` measures the popup's re-check and the CLI's (one more handshake, one HEAD).
 */
export async function warmFigures(
  { minted, ports, short }: HostBenchContext,
  probe: 'full' | 'default-offer' = 'default-offer',
): Promise<Row[]> {
  const host = new HostClient();
  // The badge's rows also time the floor host (bench/floor-host.cjs): how close any host could come.
  const badge = probe === 'default-offer';
  const floor = badge ? startFloor(minted, ports) : null;
  let broken: string | null = null;
  const checkSite = async (index: number) => {
    const answer = await host.check(ports[index]!, probe);
    broken ??= wrongAnswer(answer, minted.sites[index]!.status);
  };
  try {
    // warm them all
    for (let i = 0; i < 30; i++) {
      await checkSite(0);
      await bareHandshake(ports[0]!);
      await floor?.check(0);
    }
    const again: number[] = [];
    const bareAgain: number[] = [];
    const floorAgain: number[] = [];
    const pairs = short ? 30 : 300;
    for (let i = 0; i < pairs; i++) {
      await inTurn(i, [
        async () => again.push(await timed(() => checkSite(0))),
        async () => bareAgain.push(await timed(() => bareHandshake(ports[0]!))),
        ...(floor ? [async () => floorAgain.push(await timed(() => floor.check(0)))] : []),
      ]);
    }
    const first: number[] = [];
    const bareFirst: number[] = [];
    for (let index = 1; index < ports.length; index++) {
      await inTurn(index, [
        async () => first.push(await timed(() => checkSite(index))),
        async () => bareFirst.push(await timed(() => bareHandshake(ports[index]!))),
      ]);
    }
    const againRatio = median(again) / median(bareAgain);
    const firstRatio = median(first) / median(bareFirst);
    // The targets are the badge's: one handshake against one bare handshake. The full probe makes
    // two handshakes and an HTTP request by design; its rows are printed for reference, untargeted.
    const what = badge ? "the badge's check (probe default-offer)" : 'the full probe (re-check, CLI; no target)';
    return [
      {
        figure: `same site again, warm host, ${what}, frame → answer`,
        reference: `bare handshake, ${ms(median(bareAgain))}`,
        measured: `${ms(median(again))} (±${(spread(again) * 50).toFixed(0)}%)`,
        ratio: `${againRatio.toFixed(2)}×`,
        target: badge ? '≤ 1.1×' : '—',
        met: !badge || againRatio <= 1.1,
        broken,
      },
      {
        figure: `first-seen site, warm host (${ports.length - 1} leaves), ${what}`,
        reference: `bare handshakes, ${ms(median(bareFirst))}`,
        measured: `${ms(median(first))} (±${(spread(first) * 50).toFixed(0)}%)`,
        ratio: `${firstRatio.toFixed(2)}×`,
        target: badge ? '≤ 1.3×' : '—',
        met: !badge || firstRatio <= 1.3,
        broken,
      },
      ...(floor
        ? [
            {
              figure: 'floor, same site: frames + one handshake + chain read, nothing judged (bench/floor-host.cjs)',
              reference: `bare handshake, ${ms(median(bareAgain))}`,
              measured: `${ms(median(floorAgain))} (±${(spread(floorAgain) * 50).toFixed(0)}%)`,
              ratio: `${(median(floorAgain) / median(bareAgain)).toFixed(2)}×`,
              target: '—',
              met: true,
              broken: floor.broken(),
            },
          ]
        : []),
    ];
  } finally {
    await Promise.all([host.close(), floor?.client.close()]);
  }
}

/**
 * The same site again when this computer trusts its chain, as it does nearly every site a browser
 * opens (no target; the targets' rows use the bench's untrusted CA for both sides). Node then reads
 * the peer chain itself, for its name check, on the bare handshake as on the host's, so the two
 * differ only by what Staple Check adds. The bench CA joins this computer's store for the host
 * (SSL_CERT_FILE names a copy of the store's bundle with it; src/probe/system-trust.ts), and is
 * given as `ca` beside Node's roots for the bare handshake.
 */
export async function trustedFigure({ minted, ports, short }: HostBenchContext): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'staplecheck-bench-ca-'));
  const bundle = join(dir, 'ca-certificates.crt');
  const systemBundle = systemBundleFile();
  writeFileSync(bundle, `${systemBundle ? readFileSync(systemBundle, 'utf8') : ''}\n${minted.caPem}`);
  const host = new HostClient([], [], undefined, { ...process.env, SSL_CERT_FILE: bundle });
  const trusting = tls.createSecureContext({ ca: [...tls.rootCertificates, minted.caPem] });
  let broken: string | null = null;
  const checkSite = async () => {
    const answer = await host.check(ports[0]!, 'default-offer');
    broken ??= wrongAnswer(answer, minted.sites[0]!.status);
    const chain = answer.result?.chain as { trusted?: boolean } | undefined;
    if (answer.ok && chain?.trusted !== true) broken ??= 'the host did not trust the bench CA';
  };
  try {
    for (let i = 0; i < 30; i++) {
      await checkSite();
      await bareHandshake(ports[0]!, trusting, true);
    }
    const again: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < (short ? 30 : 300); i++) {
      await inTurn(i, [
        async () => again.push(await timed(checkSite)),
        async () => bare.push(await timed(() => bareHandshake(ports[0]!, trusting, true))),
      ]);
    }
    return {
      figure: "same site again, a chain this computer trusts, the badge's check",
      reference: `bare handshake verifying it, ${ms(median(bare))}`,
      measured: `${ms(median(again))} (±${(spread(again) * 50).toFixed(0)}%)`,
      ratio: `${(median(again) / median(bare)).toFixed(2)}×`,
      target: '—',
      met: true,
      broken,
    };
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bundle file this computer's store is read from (as src/probe/system-trust.ts finds it), if any. */
function systemBundleFile(): string | null {
  const candidates = [
    process.env.SSL_CERT_FILE,
    '/etc/ssl/certs/ca-certificates.crt',
    '/etc/pki/tls/certs/ca-bundle.crt',
  ];
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? null;
}

/** Spawn, one check, stdin closed, exit; against `node -e 0`, alternating. */
export async function coldFigure({ minted, ports, short }: HostBenchContext): Promise<Row> {
  const nodeZero = async () => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await once(child, 'exit');
  };
  let broken: string | null = null;
  const coldCheck = async () => {
    const host = new HostClient();
    // A browser starts the host for the check a page load asks for (the badge's).
    const answer = await host.check(ports[0]!, 'default-offer');
    broken ??= wrongAnswer(answer, minted.sites[0]!.status);
    const status = await host.close();
    if (status !== 0) broken ??= `host exited with ${status}`;
  };
  await nodeZero();
  await coldCheck(); // the first run fills the compile cache, where Node has one
  const cold: number[] = [];
  const zero: number[] = [];
  for (let i = 0; i < (short ? 4 : 20); i++) {
    zero.push(await timed(nodeZero));
    cold.push(await timed(coldCheck));
  }
  const ratio = median(cold) / median(zero);
  return {
    figure: "cold: spawn host, one check (the badge's), exit",
    reference: `node -e 0, ${ms(median(zero))}`,
    measured: ms(median(cold)),
    ratio: `${ratio.toFixed(2)}×`,
    target: '≤ 1.5×',
    met: ratio <= 1.5,
    broken,
  };
}

type ProbeMode = 'full' | 'default-offer';

/** Keeps `parallel` requests in flight until `count` are answered; `probe` picks each one's mode. */
async function checkMany(
  host: HostClient,
  count: number,
  parallel: number,
  pick: (n: number) => number,
  onAnswer: (answer: HostAnswer, index: number) => void,
  probe: (n: number) => ProbeMode,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      const index = pick(n);
      onAnswer(await host.check(index, probe(n)), index);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
}

/**
 * RSS after many mixed checks (every site, eight at a time, the badge's check and the full probe
 * alternating), and whether it stays flat.
 */
export async function memoryFigure({ minted, ports, short }: HostBenchContext): Promise<Row> {
  const host = new HostClient();
  const total = short ? 600 : 2000;
  const settleAt = short ? 300 : 500;
  let broken: string | null = null;
  try {
    const portIndex = new Map(ports.map((p, i) => [p, i]));
    const onAnswer = (answer: HostAnswer, port: number) => {
      broken ??= wrongAnswer(answer, minted.sites[portIndex.get(port)!]!.status);
    };
    const pick = (n: number) => ports[n % ports.length]!;
    const mixed = (n: number): ProbeMode => (n % 2 ? 'full' : 'default-offer');
    await checkMany(host, settleAt, 8, pick, onAnswer, mixed);
    const settled = host.rss();
    await checkMany(host, total - settleAt, 8, (n) => pick(n + settleAt), onAnswer, mixed);
    const after = host.rss();
    const mb = (b: number) => b / 1024 / 1024;
    const growth = mb(after) - mb(settled);
    const met = mb(after) <= 60 && growth <= 4;
    // Broken (not just over target): growth far beyond what V8's young generation settling can
    // explain (measured: up to ~20 MB between 150 and 600 checks), i.e. a leak.
    if (growth > 40) broken ??= `RSS grew ${growth.toFixed(1)} MB from check ${settleAt} to ${total}`;
    return {
      figure: `host RSS after ${total} mixed checks (both probes)`,
      reference: `RSS after ${settleAt}: ${mb(settled).toFixed(1)} MB`,
      measured: `${mb(after).toFixed(1)} MB`,
      ratio: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB`,
      target: '≤ 60 MB, flat (±4 MB)',
      met,
      broken,
    };
  } finally {
    await host.close();
  }
}

/**
 * CPU per check in the host against CPU per bare handshake in this process, batches alternating;
 * the badge's check (probe `default-offer`: one handshake, as the reference).
 */
export async function throughputFigure({ minted, ports, short }: HostBenchContext): Promise<Row[]> {
  const host = new HostClient();
  const floor = startFloor(minted, ports);
  const batch = short ? 100 : 400;
  let broken: string | null = null;
  const hostPerOp: number[] = [];
  const barePerOp: number[] = [];
  const floorPerOp: number[] = [];
  try {
    const portIndex = new Map(ports.map((p, i) => [p, i]));
    const pick = (n: number) => ports[n % ports.length]!;
    const onAnswer = (answer: HostAnswer, port: number) => {
      broken ??= wrongAnswer(answer, minted.sites[portIndex.get(port)!]!.status);
    };
    const badge = (): ProbeMode => 'default-offer';
    await checkMany(host, 100, 8, pick, onAnswer, badge); // warm
    const floorBatch = async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < batch) await floor.check(next++ % ports.length);
        }),
      );
    };
    await floorBatch(); // warm
    for (let round = 0; round < (short ? 1 : 5); round++) {
      const bareStart = process.cpuUsage();
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < batch) await bareHandshake(pick(next++));
        }),
      );
      const bareCpu = process.cpuUsage(bareStart);
      barePerOp.push((bareCpu.user + bareCpu.system) / 1000 / batch);
      const hostStart = host.cpuMs();
      await checkMany(host, batch, 8, pick, onAnswer, badge);
      hostPerOp.push((host.cpuMs() - hostStart) / batch);
      const floorStart = floor.client.cpuMs();
      await floorBatch();
      floorPerOp.push((floor.client.cpuMs() - floorStart) / batch);
    }
  } finally {
    await Promise.all([host.close(), floor.client.close()]);
  }
  const relative = median(barePerOp) / median(hostPerOp);
  const reference = `bare handshakes/s per core, ${(1000 / median(barePerOp)).toFixed(0)}`;
  return [
    {
      figure: "checks per second per core, the badge's check",
      reference,
      measured: `${(1000 / median(hostPerOp)).toFixed(0)} checks/s`,
      ratio: `${relative.toFixed(2)} of it`,
      target: '≥ 0.75',
      met: relative >= 0.75,
      broken,
    },
    {
      figure: 'floor, checks per second per core (bench/floor-host.cjs)',
      reference,
      measured: `${(1000 / median(floorPerOp)).toFixed(0)} checks/s`,
      ratio: `${(median(barePerOp) / median(floorPerOp)).toFixed(2)} of it`,
      target: '—',
      met: true,
      broken: floor.broken(),
    },
  ];
}
