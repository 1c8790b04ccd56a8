// A DER value as a tree, for tests that change one field of a committed fixture and put it back
// together: constructed values (the 0x20 bit) hold children, primitive ones their contents. Only
// single-octet tags; lengths are written in the fewest octets (X.690 §10.1), so a rebuilt value is
// strict DER unless a test makes it otherwise on purpose.

export type DerNode = { tag: number; children: DerNode[] } | { tag: number; contents: Uint8Array };

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v % 256);
  return [0x80 | octets.length, ...octets];
}

/** Tag, minimal length, contents. */
export function tlv(tag: number, contents: ArrayLike<number>): Uint8Array {
  return concat([tag, ...lengthOctets(contents.length)], contents);
}

export function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function decodeAt(bytes: Uint8Array, at: number): { node: DerNode; end: number } {
  const tag = bytes[at] ?? 0;
  let offset = at + 1;
  let length = bytes[offset++] ?? 0;
  if (length >= 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[offset++] ?? 0);
  }
  const end = offset + length;
  if ((tag & 0x20) === 0) return { node: { tag, contents: bytes.slice(offset, end) }, end };
  const children: DerNode[] = [];
  for (let child = offset; child < end;) {
    const read = decodeAt(bytes, child);
    children.push(read.node);
    child = read.end;
  }
  return { node: { tag, children }, end };
}

export function decodeTree(bytes: Uint8Array): DerNode {
  return decodeAt(bytes, 0).node;
}

export function encodeTree(node: DerNode): Uint8Array {
  if ('contents' in node) return tlv(node.tag, node.contents);
  return tlv(node.tag, concat(...node.children.map(encodeTree)));
}

/** The node at `path` (child indexes from the root). */
export function nodeAt(root: DerNode, path: readonly number[]): DerNode {
  let node = root;
  for (const i of path) {
    if (!('children' in node)) throw new Error(`no children at ${path.join('.')}`);
    const next = node.children[i];
    if (!next) throw new Error(`no child ${i} at ${path.join('.')}`);
    node = next;
  }
  return node;
}

export function childrenAt(root: DerNode, path: readonly number[]): DerNode[] {
  const node = nodeAt(root, path);
  if (!('children' in node)) throw new Error(`no children at ${path.join('.')}`);
  return node.children;
}

export const clone = (node: DerNode): DerNode => decodeTree(encodeTree(node));

/** A primitive node. */
export const prim = (tag: number, contents: ArrayLike<number>): DerNode => ({
  tag,
  contents: Uint8Array.from(contents),
});
/** A constructed node. */
export const cons = (tag: number, ...children: DerNode[]): DerNode => ({ tag, children });

/** An OBJECT IDENTIFIER's contents octets (X.690 §8.19): dotted text to base-128 arcs. */
export const oidBytes = (text: string): number[] => {
  const arcs = text.split('.').map(Number);
  const out = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const digits = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) digits.unshift(0x80 | (v & 0x7f));
    out.push(...digits);
  }
  return out;
};

/** Text as its ASCII/UTF-8 octets, for IA5String and UTF8String contents. */
export const ascii = (text: string): number[] => [...new TextEncoder().encode(text)];
