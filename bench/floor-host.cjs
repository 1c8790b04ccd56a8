// The floor of any native-messaging host on this Node, for the bench's reference rows (no target):
// native-messaging frames in and out (PROTOCOL.md §1), one `tls.connect({requestOCSP})` per check
// request, and the peer chain read with `getPeerCertificate(true)` — on Node 20 the only way to see
// the chain of a site Node cannot verify (`getPeerX509Certificate()` takes the certificates out of
// the connection and leaks them). It judges nothing and builds no result: it answers
// `{ id, ok, result: { stapled, chainLength } }`, which the bench checks against the site. It sets
// the host's V8 flags as the host does (bin/staplecheck-host.js). Not product code:
// everything Staple Check adds is the distance between this and `bin/staplecheck-host.js`.
'use strict';
globalThis[Symbol.for('staplecheck.bin.loader-only')] = true;
require('../bin/staplecheck-host.js').setHostV8Flags();
const tls = require('node:tls');

const context = tls.createSecureContext({});
const LE = require('node:os').endianness() === 'LE';
let pending = Buffer.alloc(0);

function answer(message) {
  const body = Buffer.from(JSON.stringify(message));
  const header = Buffer.alloc(4);
  if (LE) header.writeUInt32LE(body.length, 0);
  else header.writeUInt32BE(body.length, 0);
  process.stdout.write(Buffer.concat([header, body]));
}

function check(request) {
  let staple = null;
  const socket = tls.connect(
    {
      host: request.address,
      port: request.port,
      servername: request.host,
      rejectUnauthorized: false,
      requestOCSP: true,
      secureContext: context,
    },
    () => {
      let chainLength = 0;
      const seen = new Set();
      for (
        let cert = socket.getPeerCertificate(true);
        cert && cert.raw && !seen.has(cert);
        cert = cert.issuerCertificate
      ) {
        seen.add(cert);
        chainLength++;
      }
      answer({ id: request.id, ok: true, result: { stapled: staple !== null, chainLength } });
      socket.end();
    },
  );
  socket.on('OCSPResponse', (response) => {
    if (response && response.length > 0) staple = response;
  });
  socket.on('error', (err) =>
    answer({ id: request.id, ok: false, error: { code: 'tls-handshake', message: err.message } }),
  );
}

process.stdin.on('data', (chunk) => {
  pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
  while (pending.length >= 4) {
    const length = LE ? pending.readUInt32LE(0) : pending.readUInt32BE(0);
    if (pending.length < 4 + length) break;
    const request = JSON.parse(pending.subarray(4, 4 + length).toString('utf8'));
    pending = pending.subarray(4 + length);
    if (request.type === 'check') check(request);
    else answer({ id: request.id, ok: true, result: {} });
  }
});
process.stdin.on('end', () => process.exit(0));
