// Every string from the network is inert in the CLI's output. A certificate whose names carry
// terminal controls (ESC[2J clears the screen, ESC]0;…BEL sets the window title, OSC 8 makes a
// hyperlink, U+009B is a one-character CSI) is served by a loopback Node TLS server; the real CLI
// process checks it on a pipe, with forced colour, on a pseudo-terminal, and with --json. Only the
// CLI's own colour codes may reach the terminal.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { inert, renderText } from '../../src/cli/render-text.js';
import { DAY, HOUR, mintLeaf, mintOcspResponse, mintResponder, mintScenario, shift } from '../support/mint.js';
import { startTlsServer, type RunningServer } from '../support/servers.js';
import { NOW, sampleResult } from '../extension/sample-results.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'staplecheck.js');

const ESC = '\u001b';
const BEL = '\u0007';
const CSI_8BIT = '\u009b';
const CLEAR_SCREEN = `${ESC}[2J`;
const SET_TITLE = `${ESC}]0;pwned${BEL}`;
const HYPERLINK = `${ESC}]8;;https://evil.test/${ESC}\\click me${ESC}]8;;${ESC}\\`;
const HOSTILE = `evil ${CLEAR_SCREEN}${SET_TITLE}${HYPERLINK} ${CSI_8BIT}31m red\u0085\u202eright-to-left\u007f`;

/** Any control character but the newline that ends each line (and ESC handled apart). */
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROLS = /[\u0000-\u0009\u000b-\u001a\u001c-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** ESC followed by anything but the CLI's own SGR colour codes (`ESC[<digits>m`). */
const FOREIGN_ESCAPE = new RegExp(`${ESC}(?!\\[\\d+m)`);

function expectInert(text: string): void {
  expect(text).not.toMatch(CONTROLS);
  expect(text).not.toMatch(FOREIGN_ESCAPE);
  expect(text).not.toContain(BEL);
  expect(text).not.toContain(CSI_8BIT);
}

describe('inert', () => {
  it('shows every C0 control, DEL, C1 control and bidi override as a visible escape', () => {
    expect(inert(`a${ESC}[2Jb`)).toBe('a\\x1b[2Jb');
    expect(inert(`${BEL}\t\n\r\u0000`)).toBe('\\x07\\x09\\x0a\\x0d\\x00');
    expect(inert('\u007f\u0080\u009b\u009f')).toBe('\\x7f\\x80\\x9b\\x9f');
    expect(inert('\u202e\u2066\u2028')).toBe('\\u202e\\u2066\\u2028');
    for (let code = 0; code < 0xa0; code++) {
      const c = String.fromCharCode(code);
      const printable = code >= 0x20 && code < 0x7f;
      expect(inert(c) === c, `U+${code.toString(16)}`).toBe(printable);
    }
  });

  it('leaves printable text alone, in any script', () => {
    const text = 'CN=Bücher & Co., O=例え ✔ — naïve \\x1b';
    expect(inert(text)).toBe(text);
  });
});

describe('renderText draws every hostile field inert', () => {
  function hostileResult(): Result {
    const result = sampleResult('stapled-invalid');
    result.host = `example.com${ESC}[2J`;
    result.summary = `summary ${HOSTILE}`;
    result.certificate = {
      ...result.certificate!,
      subject: `CN=${HOSTILE}`,
      issuer: `O=${HOSTILE}`,
      serialNumber: HOSTILE,
      ocspUrls: [`http://${HOSTILE}/`],
    };
    result.ocsp = {
      ...result.ocsp!,
      signer: { type: 'unknown', subject: HOSTILE },
      signatureAlgorithm: HOSTILE,
    };
    result.chain = { length: 2, complete: true, trusted: false, trustError: HOSTILE };
    result.tls = { protocol: HOSTILE, cipher: HOSTILE };
    result.problems = [{ code: 'bad-signature', severity: 'error', message: HOSTILE }];
    result.responder = { url: HOSTILE, certStatus: null, thisUpdate: null, nextUpdate: null, error: HOSTILE };
    return result;
  }

  it.each([true, false])('colour %s: only the CLI’s own SGR codes, every field still shown', (colour) => {
    const text = renderText(hostileResult(), { colour }, NOW);
    expectInert(text);
    if (!colour) expect(text).not.toContain(ESC);
    else expect(text).toContain(`${ESC}[31m`);
    // Shown, visibly escaped, not dropped.
    expect(text).toContain('CN=evil \\x1b[2J\\x1b]0;pwned\\x07\\x1b]8;;https://evil.test/\\x1b\\click me');
    expect(text).toContain('\\x9b31m red\\x85\\u202eright-to-left\\x7f');
    // One line per fact and finding, as for a harmless result (plus the responder's): no fake lines.
    const harmless = renderText(sampleResult('stapled-invalid'), { colour }, NOW);
    expect(text.split('\n').length).toBe(harmless.split('\n').length + 1);
  });

  it('an error message from the network, too', () => {
    const result = sampleResult('error');
    result.error = { code: 'tls-handshake', message: HOSTILE };
    result.summary = HOSTILE;
    expectInert(renderText(result, { colour: true }, NOW));
  });
});

interface Run {
  code: number | null;
  stdout: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** The raw bytes must hold no ESC, BEL or 8-bit C1 either (in case of a non-UTF-8 reading). */
function expectNoRawControlBytes(stdout: string, allowSgr: boolean): void {
  expectInert(stdout);
  const bytes = Buffer.from(stdout, 'utf8');
  expect(bytes.includes(0x07)).toBe(false);
  if (!allowSgr) expect(bytes.includes(0x1b)).toBe(false);
  // UTF-8 writes U+0080–U+009F as C2 80–C2 9F.
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xc2) expect(bytes[i + 1]! >= 0xa0).toBe(true);
}

describe('the CLI against a server whose certificate is hostile', () => {
  let server: RunningServer | undefined;
  let target = '';

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'build', 'src', 'cli', 'main.js')))
      throw new Error('The CLI is not built: run `npm run build` (npm test does it first).');
    const now = new Date();
    const scenario = await mintScenario({ now });
    const leaf = await mintLeaf({
      issuer: scenario.intermediate,
      commonName: HOSTILE,
      organization: `O ${CSI_8BIT}2J ${HYPERLINK}`,
      // A dNSName is an IA5String: ASCII, so the C0 controls (not U+009B) can ride in it.
      dnsNames: ['localhost', `evil${CLEAR_SCREEN}${SET_TITLE}.test`],
      ipAddresses: ['127.0.0.1'],
      notBefore: shift(now, -DAY),
      notAfter: shift(now, 30 * DAY),
      ocspUrl: `http://ocsp.test/${SET_TITLE}`,
    });
    // Signed by a delegated responder with a hostile name, so the signer line carries it too.
    const responder = await mintResponder({
      issuer: scenario.intermediate,
      commonName: `responder ${HYPERLINK}${CSI_8BIT}`,
      notBefore: shift(now, -DAY),
      notAfter: shift(now, 30 * DAY),
    });
    const staple = await mintOcspResponse({
      responses: [
        {
          certificate: leaf,
          issuer: scenario.intermediate,
          certStatus: 'good',
          thisUpdate: shift(now, -HOUR),
          nextUpdate: shift(now, 3 * DAY),
        },
      ],
      producedAt: shift(now, -HOUR),
      signer: responder,
    });
    server = await startTlsServer({ certChainPem: scenario.chainPem(leaf), keyPem: leaf.keys.privateKeyPem, staple });
    target = `127.0.0.1:${server.port}`;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('on a pipe: no colour, no control byte, every hostile name visibly escaped', async () => {
    const { code, stdout } = await run(process.execPath, [BIN, 'check', target]);
    expect(code).toBe(0);
    expect(stdout).toContain('stapled-good');
    expect(stdout).toContain('evil \\x1b[2J\\x1b]0;pwned\\x07');
    expect(stdout).toContain('\\x9b');
    expect(stdout).toMatch(/Signed by +a delegated OCSP responder \(.*responder \\x1b\]8;;https:\/\/evil\.test\//);
    expectNoRawControlBytes(stdout, false);
  });

  it('with forced colour: the CLI’s SGR codes only; with NO_COLOR: none at all', async () => {
    const coloured = await run(process.execPath, [BIN, 'check', target], { FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain(`${ESC}[32m`);
    expectNoRawControlBytes(coloured.stdout, true);
    const plain = await run(process.execPath, [BIN, 'check', target], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expectNoRawControlBytes(plain.stdout, false);
  });

  // util-linux `script` gives the CLI a pseudo-terminal, so it decides on colour as it would for a person.
  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/script'))(
    'on a pseudo-terminal: colour, and still nothing but SGR codes',
    async () => {
      const command = [process.execPath, BIN, 'check', target].map((a) => `'${a}'`).join(' ');
      const { stdout } = await run('/usr/bin/script', ['-q', '-e', '-c', command, '/dev/null'], { TERM: 'xterm' });
      expect(stdout).toContain('stapled-good');
      expect(stdout).toContain(`${ESC}[32m`); // it did see a terminal
      expectNoRawControlBytes(stdout.replaceAll('\r\n', '\n'), true);
    },
  );

  it('--json: controls escaped as JSON, the exact names given back by a JSON reader', async () => {
    const { code, stdout } = await run(process.execPath, [BIN, 'check', target, '--json'], { FORCE_COLOR: '1' });
    expect(code).toBe(0);
    expectNoRawControlBytes(stdout, false);
    expect(stdout).toContain('\\u001b[2J');
    expect(stdout).toContain('\\u009b');
    expect(stdout).toContain('\\u202e');
    const result = JSON.parse(stdout) as Result;
    expect(result.certificate?.subject).toContain(HOSTILE);
    expect(result.certificate?.subjectAltNames).toContain(`evil${CLEAR_SCREEN}${SET_TITLE}.test`);
  });
});

describe('renderText lays out its label column', () => {
  it('puts a label wider than the column on its own line, its values in the column below it', () => {
    const lines = renderText(sampleResult('stapled-good'), { colour: false }, NOW).split('\n');
    const heading = lines.findIndex((line) => line.trim() === 'What browsers do');
    expect(heading).toBeGreaterThan(0);
    const values = lines.slice(heading + 1, heading + 4);
    expect(values.map((line) => line.trimStart().split(':')[0])).toEqual(['Firefox', 'Chrome, Edge', 'Safari']);
    // Every value starts where the other rows' values do (two spaces, the 15-column label).
    const column = lines.find((line) => line.startsWith('  Must-Staple'))!.indexOf('no');
    for (const line of values) expect(line.length - line.trimStart().length).toBe(column);
  });
});
