// `npm run bench`: speed and memory of the engine and the probe, each as a ratio against a reference
// measured in the same run on the same machine (these machines are shared and noisy: absolute
// times mean little, ratios travel).
//
//   verify      verifyStaple() on a good staple   vs  one WebCrypto signature verification (its floor)
//   verify-new  verifyStaple() (node:crypto verifier) on staples never seen before, issuer known
//                                                   vs  one node:crypto.verify of the same signature
//   inspect     inspectResponse() with the cert    vs  the same floor
//   checkSite   a full check of a loopback server  vs  a bare tls.connect handshake with requestOCSP
//   memory      heap growth over many inspections  vs  the same loop doing only the WebCrypto verify
import * as tls from 'node:tls';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { inspectResponse } from '../src/core/inspect.js';
import { verifyStaple } from '../src/core/verify-staple.js';
import { checkSite } from '../src/probe/check-site.js';
import { nodeVerifier } from '../src/probe/node-verifier.js';
import { readBasicResponse, readOcspResponse } from '../src/core/ocsp-response.js';
import { certificateFacts } from '../src/core/certificate.js';
import { DAY, HOUR, mintOcspResponse, mintScenario, shift } from '../src/pki/mint.js';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';

const crypto = globalThis.crypto;

interface Measured {
  name: string;
  msPerOp: number;
}

async function measure(name: string, iterations: number, op: () => Promise<unknown>): Promise<Measured> {
  for (let i = 0; i < Math.min(20, iterations); i++) await op(); // warm the JIT
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await op();
  return { name, msPerOp: (performance.now() - started) / iterations };
}

function report(label: string, subject: Measured, reference: Measured, target: number): boolean {
  const ratio = subject.msPerOp / reference.msPerOp;
  const ok = ratio <= target;
  console.log(
    `${label.padEnd(10)} ${subject.msPerOp.toFixed(3).padStart(8)} ms/op   reference ${reference.name} ` +
      `${reference.msPerOp.toFixed(3)} ms/op   ratio ${ratio.toFixed(2)} (target ≤ ${target}) ${ok ? 'ok' : 'OVER'}`,
  );
  return ok;
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const now = new Date();
  const scenario = await mintScenario({ now });
  const response = await mintOcspResponse({
    responses: [
      {
        certificate: scenario.leaf,
        issuer: scenario.intermediate,
        thisUpdate: shift(now, -HOUR),
        nextUpdate: shift(now, DAY),
      },
    ],
    producedAt: shift(now, -HOUR),
    signer: scenario.intermediate,
  });

  // The floor: verifying the response's signature and nothing else.
  const basicDer = (() => {
    const outer = new pkijs.OCSPResponse({ schema: asn1js.fromBER(response.slice().buffer).result });
    return outer.responseBytes!.response.valueBlock.valueHexView.slice();
  })();
  const basic = new pkijs.BasicOCSPResponse({ schema: asn1js.fromBER(basicDer.buffer).result });
  const publicKey = await crypto.subtle.importKey(
    'spki',
    scenario.intermediate.cert.subjectPublicKeyInfo.toSchema().toBER(false),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const tbs = new Uint8Array(basic.tbsResponseData.tbsView);
  const der = basic.signature.valueBlock.valueHexView;
  const rawSignature = derEcdsaToRaw(der);
  const floor = await measure('webcrypto-verify', 400, () =>
    crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, rawSignature, tbs),
  );

  const results: boolean[] = [];
  const verify = await measure('verify', 400, () =>
    verifyStaple({ response, issuer: scenario.intermediate.cert, certificate: scenario.leaf.cert, at: now, crypto }),
  );
  // pkijs' schema-driven parsing is most of it (~0.9 ms for a response, ~0.7 ms a certificate).
  results.push(report('verify', verify, floor, 25));
  results.push(await verifyNeverSeen(scenario, now));
  const inspect = await measure('inspect', 200, () =>
    inspectResponse({ response, issuer: scenario.intermediate.der, certificate: scenario.leaf.der, at: now, crypto }),
  );
  results.push(report('inspect', inspect, floor, 40));

  // A loopback server that staples; the reference is one bare handshake asking for the staple.
  const server = tls.createServer({ cert: scenario.chainPem(scenario.leaf), key: scenario.leaf.keys.privateKeyPem });
  server.on('OCSPRequest', (_c: Buffer, _i: Buffer, cb: (e: Error | null, r?: Buffer) => void) =>
    cb(null, Buffer.from(response)),
  );
  server.on('secureConnection', (s) => s.end());
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const bare = await measure('tls-handshake', 100, () => bareHandshake(port));
  const check = await measure('checkSite', 100, () =>
    checkSite({ host: '127.0.0.1', port, servername: 'localhost', ca: scenario.root.pem, timeoutMs: 5000 }),
  );
  results.push(report('checkSite', check, bare, 8));
  await new Promise<void>((resolve) => server.close(() => resolve()));

  // Memory: what 4000 inspections leave behind, against the floor loop doing the same count.
  const loops = 4000;
  // Warm up first: what V8 keeps for compiled code and inline caches is not a leak.
  for (let i = 0; i < 1000; i++) {
    await inspectResponse({
      response,
      issuer: scenario.intermediate.der,
      certificate: scenario.leaf.der,
      at: now,
      crypto,
    });
  }
  const before = heapUsed();
  for (let i = 0; i < loops; i++)
    await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, rawSignature, tbs);
  const floorGrowth = Math.max(heapUsed() - before, 0);
  const start = heapUsed();
  for (let i = 0; i < loops; i++) {
    await inspectResponse({
      response,
      issuer: scenario.intermediate.der,
      certificate: scenario.leaf.der,
      at: now,
      crypto,
    });
  }
  const growth = heapUsed() - start;
  const perOp = growth / loops;
  const memoryOk = perOp < 64; // a leak would keep hundreds of bytes per inspection, at least
  const floorPerOp = floorGrowth / loops;
  console.log(
    `memory     ${(growth / 1024).toFixed(1)} KiB retained over ${loops} inspections (${perOp.toFixed(1)} B/op); ` +
      `reference loop ${floorPerOp.toFixed(1)} B/op; difference ${(perOp - floorPerOp).toFixed(1)} B/op ` +
      `(target < 64 B/op) ${memoryOk ? 'ok' : 'OVER'}${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for exact figures)'}`,
  );
  results.push(memoryOk);
  process.exitCode = results.every(Boolean) ? 0 : 1;
}

/**
 * issue 11: verifyStaple on a staple never seen before, at most 3× one node:crypto.verify of that
 * staple's signature. Every staple is distinct (its own thisUpdate, so its own bytes and
 * signature); the issuer is one the process has met, as a CA is across sites.
 */
async function verifyNeverSeen(scenario: Awaited<ReturnType<typeof mintScenario>>, now: Date): Promise<boolean> {
  const count = 300;
  const staples: Uint8Array[] = [];
  for (let i = 0; i < count + 20; i++) {
    staples.push(
      await mintOcspResponse({
        responses: [
          {
            certificate: scenario.leaf,
            issuer: scenario.intermediate,
            thisUpdate: shift(now, -HOUR - i * 1000),
            nextUpdate: shift(now, DAY),
          },
        ],
        producedAt: shift(now, -HOUR),
        signer: scenario.intermediate,
      }),
    );
  }
  const key = createPublicKey({
    key: Buffer.from(certificateFacts(scenario.intermediate.cert).publicKey),
    format: 'der',
    type: 'spki',
  });
  const signed = staples.map((staple) => {
    const basic = readBasicResponse(readOcspResponse(staple)!.response!)!;
    return { tbs: basic.tbs.slice(), signature: basic.signature.slice() };
  });
  // Warm the JIT and the issuer's caches on staples that are not timed.
  for (let i = count; i < count + 20; i++) {
    nodeVerify('sha256', signed[i]!.tbs, key, signed[i]!.signature);
    await verifyStaple({
      response: staples[i]!,
      issuer: scenario.intermediate.cert,
      certificate: scenario.leaf.cert,
      at: now,
      crypto,
      verifier: nodeVerifier,
    });
  }
  let started = performance.now();
  for (let i = 0; i < count; i++) {
    if (!nodeVerify('sha256', signed[i]!.tbs, key, signed[i]!.signature)) throw new Error('reference failed');
  }
  const reference = { name: 'node:crypto.verify', msPerOp: (performance.now() - started) / count };
  started = performance.now();
  for (let i = 0; i < count; i++) {
    const assessment = await verifyStaple({
      response: staples[i]!,
      issuer: scenario.intermediate.cert,
      certificate: scenario.leaf.cert,
      at: now,
      crypto,
      verifier: nodeVerifier,
    });
    if (!assessment.trustworthy) throw new Error('a good staple did not verify');
  }
  const subject = { name: 'verify-new', msPerOp: (performance.now() - started) / count };
  return report('verify-new', subject, reference, 3);
}

function bareHandshake(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const options: tls.ConnectionOptions & { requestOCSP: boolean } = {
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      rejectUnauthorized: false,
      requestOCSP: true,
    };
    const socket = tls.connect(options, () => {
      socket.getPeerCertificate(true);
      socket.destroy();
      resolve();
    });
    socket.on('error', reject);
  });
}

/** ECDSA-Sig-Value (DER SEQUENCE of r, s) → the raw r‖s WebCrypto wants (P-256: 32 + 32 bytes). */
function derEcdsaToRaw(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const sequence = asn1js.fromBER(der.slice().buffer).result as asn1js.Sequence;
  const out = new Uint8Array(64);
  sequence.valueBlock.value.forEach((item, i) => {
    let bytes = (item as asn1js.Integer).valueBlock.valueHexView;
    while (bytes.length > 32 && bytes[0] === 0) bytes = bytes.subarray(1);
    out.set(bytes, i * 32 + (32 - bytes.length));
  });
  return out;
}

await main();
