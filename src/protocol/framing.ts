// Native-messaging framing, both directions (Chrome "Native messaging protocol", MDN "Native
// messaging: App side"): a 32-bit unsigned length in the platform's native byte order, then that
// many bytes of UTF-8 JSON. The length counts bytes, not characters. Pure and browser-safe
// (Uint8Array and DataView, no Buffer): the host reads requests with it and the installer's doctor
// pings the host with it, one definition for both sides.
import { MAX_REQUEST_BYTES } from './limits.js';

export { MAX_ANSWER_BYTES, MAX_REQUEST_BYTES } from './limits.js';

export type ByteOrder = 'LE' | 'BE';

/** This machine's byte order, as `os.endianness()` reports it: the low byte of a 16-bit 1 comes first on LE. */
export const NATIVE_BYTE_ORDER: ByteOrder = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE';

const HEADER_BYTES = 4;

export interface FrameTooLarge {
  code: 'frame-too-large';
  /** The length the prefix announced. */
  length: number;
  limit: number;
}

export interface DecodeStep {
  /** Complete payloads, in order (raw bytes: the caller decides what is valid UTF-8 JSON). */
  frames: Uint8Array[];
  /** Set once the stream cannot be framed any more; the decoder then ignores further input. */
  error: FrameTooLarge | null;
}

function concat(parts: readonly Uint8Array[], totalBytes: number): Uint8Array {
  const joined = new Uint8Array(totalBytes);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/**
 * Streaming decoder: feed it chunks as they arrive (a frame may be split over many chunks, or many
 * frames may come in one) and get the complete frames back.
 */
export class FrameDecoder {
  readonly #limit: number;
  readonly #littleEndian: boolean;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #error: FrameTooLarge | null = null;
  /** Bytes needed before another frame can be complete. */
  #awaiting = HEADER_BYTES;

  constructor(options: { limit?: number; byteOrder?: ByteOrder } = {}) {
    this.#limit = options.limit ?? MAX_REQUEST_BYTES;
    this.#littleEndian = (options.byteOrder ?? NATIVE_BYTE_ORDER) === 'LE';
  }

  push(chunk: Uint8Array): DecodeStep {
    if (this.#error) return { frames: [], error: this.#error };
    if (chunk.length > 0) {
      this.#pending.push(new Uint8Array(chunk)); // a copy: the caller may reuse its buffer
      this.#pendingBytes += chunk.length;
    }
    // A large frame arriving in many small chunks: wait for all of it before concatenating.
    if (this.#pendingBytes < this.#awaiting) return { frames: [], error: null };
    const frames: Uint8Array[] = [];
    const buffer =
      this.#pending.length === 1 ? (this.#pending[0] as Uint8Array) : concat(this.#pending, this.#pendingBytes);
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    let offset = 0;
    this.#awaiting = HEADER_BYTES;
    while (buffer.length - offset >= HEADER_BYTES) {
      const length = view.getUint32(offset, this.#littleEndian);
      if (length > this.#limit) {
        this.#error = { code: 'frame-too-large', length, limit: this.#limit };
        this.#pending = [];
        this.#pendingBytes = 0;
        return { frames, error: this.#error };
      }
      if (buffer.length - offset - HEADER_BYTES < length) {
        this.#awaiting = HEADER_BYTES + length;
        break;
      }
      frames.push(buffer.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length));
      offset += HEADER_BYTES + length;
    }
    const rest = buffer.subarray(offset);
    this.#pending = rest.length > 0 ? [rest] : [];
    this.#pendingBytes = rest.length;
    return { frames, error: null };
  }

  /** Bytes of an incomplete frame (or header) held back; non-zero at end of input means a truncated stream. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  get failed(): boolean {
    return this.#error !== null;
  }
}

const UTF8_ENCODER = new TextEncoder();
// eslint-disable-next-line no-control-regex -- the ASCII range, control characters included
const NOT_ASCII = /[^\u0000-\u007f]/;

/** Serialise one message as a frame. Throws for values JSON cannot represent (a bug, not input). */
export function encodeFrame(value: unknown, byteOrder: ByteOrder = NATIVE_BYTE_ORDER): Uint8Array {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('encodeFrame: value has no JSON representation');
  // Most answers are ASCII (JSON escapes nothing else, but names may hold any character): then the
  // byte length is the string's, and the text is encoded straight into the frame, with no second
  // buffer and copy (issue 11: one answer a check, a few KB).
  if (!NOT_ASCII.test(json)) {
    const frame = new Uint8Array(HEADER_BYTES + json.length);
    UTF8_ENCODER.encodeInto(json, frame.subarray(HEADER_BYTES));
    new DataView(frame.buffer).setUint32(0, json.length, byteOrder === 'LE');
    return frame;
  }
  const body = UTF8_ENCODER.encode(json);
  const frame = new Uint8Array(HEADER_BYTES + body.length);
  new DataView(frame.buffer).setUint32(0, body.length, byteOrder === 'LE');
  frame.set(body, HEADER_BYTES);
  return frame;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The payload as JSON, or why not: invalid UTF-8 and invalid JSON are both the sender's fault. */
export function parseFramePayload(payload: Uint8Array): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    text = UTF8.decode(payload);
  } catch {
    return { ok: false, message: 'The message is not valid UTF-8.' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'The message is not valid JSON.' };
  }
}
