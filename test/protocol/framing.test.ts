// Framing on raw bytes (docs/architecture.md rule 5): the length counts bytes, not characters.
import { endianness } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  encodeFrame,
  FrameDecoder,
  MAX_REQUEST_BYTES,
  NATIVE_BYTE_ORDER,
  parseFramePayload,
} from '../../src/protocol/framing.js';

function le(length: number): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32LE(length);
  return h;
}

function rawFrame(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return Buffer.concat([le(body.length), body]);
}

/** The module speaks Uint8Array (it runs in browsers too); Buffer's readers make the checks short. */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const texts = (frames: Uint8Array[]): string[] => frames.map((f) => asBuffer(f).toString('utf8'));

describe('encodeFrame', () => {
  it('uses the native byte order, little-endian on this machine', () => {
    expect(NATIVE_BYTE_ORDER).toBe(endianness());
    expect(NATIVE_BYTE_ORDER).toBe('LE');
    expect([...encodeFrame({ a: 1 }).subarray(0, 4)]).toEqual([7, 0, 0, 0]);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const value = { s: 'é€😀' }; // 2 + 3 + 4 bytes, 4 UTF-16 code units
    const json = JSON.stringify(value);
    const frame = asBuffer(encodeFrame(value));
    expect(json.length).toBe(12);
    expect(frame.readUInt32LE(0)).toBe(17);
    expect(frame.length).toBe(4 + 17);
    expect(frame.subarray(4).toString('utf8')).toBe(json);
  });

  it('writes big-endian when asked', () => {
    expect([...encodeFrame('x', 'BE').subarray(0, 4)]).toEqual([0, 0, 0, 3]);
  });

  it('refuses a value with no JSON form', () => {
    expect(() => encodeFrame(undefined)).toThrow(TypeError);
  });

  it('round-trips through the decoder', () => {
    const value = { id: 'ü', nested: [1, null, 'ß'] };
    const { frames, error } = new FrameDecoder().push(encodeFrame(value));
    expect(error).toBeNull();
    expect(texts(frames).map((text) => JSON.parse(text) as unknown)).toEqual([value]);
  });
});

describe('FrameDecoder', () => {
  it('decodes one whole frame', () => {
    const d = new FrameDecoder();
    expect(texts(d.push(rawFrame('{"id":1}')).frames)).toEqual(['{"id":1}']);
    expect(d.pendingBytes).toBe(0);
  });

  it('decodes frames split at every byte, multi-byte characters included', () => {
    const text = '{"host":"bücher.example","x":"😀"}';
    const bytes = Buffer.concat([rawFrame(text), rawFrame('{"id":2}')]);
    const d = new FrameDecoder();
    const out: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const step = d.push(bytes.subarray(i, i + 1));
      expect(step.error).toBeNull();
      out.push(...step.frames);
    }
    expect(texts(out)).toEqual([text, '{"id":2}']);
  });

  it('decodes a header split across chunks', () => {
    const bytes = rawFrame('{"a":true}');
    const d = new FrameDecoder();
    expect(d.push(bytes.subarray(0, 2)).frames).toEqual([]);
    expect(d.push(bytes.subarray(2, 5)).frames).toEqual([]);
    expect(texts(d.push(bytes.subarray(5)).frames)).toEqual(['{"a":true}']);
  });

  it('decodes coalesced frames from one chunk, with a partial one held back', () => {
    const third = rawFrame('{"n":3}');
    const chunk = Buffer.concat([rawFrame('{"n":1}'), rawFrame('{"n":2}'), third.subarray(0, 6)]);
    const d = new FrameDecoder();
    expect(texts(d.push(chunk).frames)).toEqual(['{"n":1}', '{"n":2}']);
    expect(d.pendingBytes).toBe(6);
    expect(texts(d.push(third.subarray(6)).frames)).toEqual(['{"n":3}']);
    expect(d.pendingBytes).toBe(0);
  });

  it('returns empty (zero-length) frames as empty payloads', () => {
    const d = new FrameDecoder();
    const { frames, error } = d.push(Buffer.concat([le(0), le(0), rawFrame('{}')]));
    expect(error).toBeNull();
    expect(frames.map((f) => f.length)).toEqual([0, 0, 2]);
  });

  it('accepts an empty chunk', () => {
    const d = new FrameDecoder();
    expect(d.push(Buffer.alloc(0))).toEqual({ frames: [], error: null });
  });

  it('reports a truncated stream as bytes still pending', () => {
    const d = new FrameDecoder();
    const bytes = rawFrame('{"id":1,"type":"ping"}');
    expect(d.push(bytes.subarray(0, bytes.length - 1)).frames).toEqual([]);
    expect(d.pendingBytes).toBe(bytes.length - 1);
    const headerOnly = new FrameDecoder();
    headerOnly.push(bytes.subarray(0, 3));
    expect(headerOnly.pendingBytes).toBe(3);
  });

  it('accepts a length of exactly 1 MiB and refuses one byte more', () => {
    expect(MAX_REQUEST_BYTES).toBe(1024 * 1024);
    const atLimit = new FrameDecoder();
    expect(atLimit.push(le(MAX_REQUEST_BYTES)).error).toBeNull();
    const body = Buffer.alloc(MAX_REQUEST_BYTES, 0x20);
    const { frames } = atLimit.push(body);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.length).toBe(MAX_REQUEST_BYTES);

    const over = new FrameDecoder();
    const step = over.push(le(MAX_REQUEST_BYTES + 1));
    expect(step.error).toEqual({ code: 'frame-too-large', length: MAX_REQUEST_BYTES + 1, limit: MAX_REQUEST_BYTES });
    expect(over.failed).toBe(true);
  });

  it('refuses the largest length at once, without waiting for the body', () => {
    const d = new FrameDecoder();
    expect(d.push(Buffer.from([0xff, 0xff, 0xff, 0xff])).error?.length).toBe(0xffffffff);
  });

  it('returns the frames before an oversized header, then stays failed', () => {
    const d = new FrameDecoder();
    const step = d.push(Buffer.concat([rawFrame('{"ok":1}'), le(5_000_000), Buffer.from('xxxx')]));
    expect(texts(step.frames)).toEqual(['{"ok":1}']);
    expect(step.error?.code).toBe('frame-too-large');
    const after = d.push(rawFrame('{"ok":2}'));
    expect(after.frames).toEqual([]);
    expect(after.error?.code).toBe('frame-too-large');
  });

  it('honours a custom limit and big-endian order', () => {
    const d = new FrameDecoder({ limit: 10, byteOrder: 'BE' });
    const be = Buffer.from([0, 0, 0, 2, 0x7b, 0x7d]);
    expect(texts(d.push(be).frames)).toEqual(['{}']);
    expect(d.push(Buffer.from([0, 0, 0, 11])).error?.limit).toBe(10);
  });

  it('assembles a large frame arriving in many small chunks', () => {
    const text = JSON.stringify({ pad: 'é'.repeat(100_000) });
    const bytes = rawFrame(text);
    const d = new FrameDecoder();
    const out: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 999) out.push(...d.push(bytes.subarray(i, i + 999)).frames);
    expect(texts(out)).toEqual([text]);
  });

  it('copies input, so a reused chunk buffer cannot change a pending frame', () => {
    const bytes = rawFrame('{"v":"abc"}');
    const chunk = Buffer.from(bytes.subarray(0, 8));
    const d = new FrameDecoder();
    d.push(chunk);
    chunk.fill(0);
    expect(texts(d.push(bytes.subarray(8)).frames)).toEqual(['{"v":"abc"}']);
  });
});

describe('parseFramePayload', () => {
  it('parses UTF-8 JSON', () => {
    expect(parseFramePayload(Buffer.from('{"host":"bücher.example"}'))).toEqual({
      ok: true,
      value: { host: 'bücher.example' },
    });
  });

  it('rejects invalid UTF-8 rather than guessing', () => {
    const result = parseFramePayload(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]));
    expect(result).toEqual({ ok: false, message: expect.stringContaining('UTF-8') as unknown });
  });

  it('rejects text that is not JSON, and the empty payload', () => {
    expect(parseFramePayload(Buffer.from('hello')).ok).toBe(false);
    expect(parseFramePayload(Buffer.alloc(0)).ok).toBe(false);
  });
});

describe('what a reader of the stream sees', () => {
  it('a decoder has not failed until a length is over the limit', () => {
    const d = new FrameDecoder({ limit: 100 });
    expect(d.failed).toBe(false);
    d.push(rawFrame('{"id":1}'));
    expect(d.failed).toBe(false);
    d.push(le(101));
    expect(d.failed).toBe(true);
  });

  it('refuses a payload in the words of PROTOCOL.md "Errors"', () => {
    expect(parseFramePayload(Buffer.from('hello'))).toEqual({ ok: false, message: 'The message is not valid JSON.' });
    expect(parseFramePayload(Buffer.from([0xff]))).toEqual({ ok: false, message: 'The message is not valid UTF-8.' });
  });
});
