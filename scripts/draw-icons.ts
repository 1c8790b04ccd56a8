// Draw the extension's toolbar and store icons into public/icons/: a blue shield with a white check
// mark, at 16, 32, 48 and 128 px. `npm run icons` regenerates them; the PNGs are committed so a
// build needs nothing but Vite.
//
// No image library: the shapes are geometry in a unit square, each pixel is the average of an 8×8
// grid of samples (anti-aliased but crisp edges), and the PNG is written by hand (RFC 2083 /
// PNG spec §5: signature, IHDR, one IDAT of zlib-deflated scanlines with filter 0, IEND).
// The shield is blue, not green, on purpose: green in Staple Check means "stapled-good" only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Point = readonly [number, number];
type Rgba = readonly [number, number, number, number];

const SIZES = [16, 32, 48, 128] as const;
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');

const SHIELD: Rgba = [0x1d, 0x4e, 0xd8, 255]; // blue-700: readable on light and dark toolbars
const RIM: Rgba = [0x17, 0x25, 0x54, 255]; // a darker rim keeps the outline on light-blue themes
const CHECK: Rgba = [255, 255, 255, 255];

function quadratic(a: Point, control: Point, b: Point, steps: number): Point[] {
  const out: Point[] = [];
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const u = 1 - t;
    out.push([
      u * u * a[0] + 2 * u * t * control[0] + t * t * b[0],
      u * u * a[1] + 2 * u * t * control[1] + t * t * b[1],
    ]);
  }
  return out;
}

/** The shield outline, clockwise, in a unit square (y down). */
function shieldOutline(inset: number): Point[] {
  const left = 0.12 + inset;
  const right = 0.88 - inset;
  const top = 0.06 + inset;
  const shoulder = 0.17 + inset * 0.6;
  const waist = 0.52;
  const tip: Point = [0.5, 0.96 - inset * 1.4];
  return [
    [left, shoulder],
    ...quadratic([left, shoulder], [0.3, shoulder - 0.02], [0.5, top], 12),
    ...quadratic([0.5, top], [0.7, shoulder - 0.02], [right, shoulder], 12),
    [right, waist],
    ...quadratic([right, waist], [right - 0.02, 0.8], tip, 24),
    ...quadratic(tip, [left + 0.02, 0.8], [left, waist], 24),
  ];
}

function insidePolygon(polygon: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as Point;
    const [xj, yj] = polygon[j] as Point;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

const CHECK_PATH: Point[] = [
  [0.3, 0.5],
  [0.45, 0.65],
  [0.71, 0.36],
];

/** The colour of one sample point, or null for transparent. */
function sample(x: number, y: number, size: number, outer: Point[], inner: Point[]): Rgba | null {
  // Small icons get a relatively thicker stroke so it stays at least ~2 px wide.
  const halfStroke = Math.max(0.065, 1.05 / size);
  for (let i = 0; i + 1 < CHECK_PATH.length; i++) {
    if (distanceToSegment([x, y], CHECK_PATH[i] as Point, CHECK_PATH[i + 1] as Point) <= halfStroke) return CHECK;
  }
  if (insidePolygon(inner, x, y)) return SHIELD;
  if (insidePolygon(outer, x, y)) return RIM;
  return null;
}

function render(size: number): Uint8Array {
  const grid = 8;
  const rimWidth = Math.max(0.02, 0.75 / size);
  const outer = shieldOutline(0);
  const inner = shieldOutline(rimWidth);
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const colour = sample((px + (sx + 0.5) / grid) / size, (py + (sy + 0.5) / grid) / size, size, outer, inner);
          if (!colour) continue;
          // Premultiplied accumulation, so edges blend towards transparent, not towards black.
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 255;
        }
      }
      const offset = (py * size + px) * 4;
      const coverage = a / (grid * grid);
      pixels[offset] = a ? Math.round((r * 255) / a) : 0;
      pixels[offset + 1] = a ? Math.round((g * 255) / a) : 0;
      pixels[offset + 2] = a ? Math.round((b * 255) / a) : 0;
      pixels[offset + 3] = Math.round(coverage);
    }
  }
  return pixels;
}

// PNG spec §5.5: CRC-32 over chunk type and data (the zlib polynomial).
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** An 8-bit RGBA PNG (colour type 6). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  // compression 0, filter method 0, no interlace: already zero
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
for (const size of SIZES) {
  const file = join(OUT, `icon-${size}.png`);
  writeFileSync(file, encodePng(size, size, render(size)));
  process.stdout.write(`wrote ${file}\n`);
}
