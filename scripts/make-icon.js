// @ts-check
// Draws media/icon.png (128x128): a page of log lines on a rounded tile. Run: node scripts/make-icon.js
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZE = 128;
const SAMPLES = 4;

function roundedRect(x, y, left, top, right, bottom, radius) {
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return x >= left && x <= right && y >= top && y <= bottom && (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** The colour at a point, later shapes over earlier ones; undefined is transparent. */
function colourAt(x, y) {
  let colour;
  if (roundedRect(x, y, 4, 4, 124, 124, 24)) colour = [30, 64, 124];
  if (roundedRect(x, y, 30, 20, 98, 108, 8)) colour = [245, 247, 250];
  const lines = [
    [40, 36, 88],
    [40, 50, 80],
    [40, 64, 86],
    [40, 78, 70],
  ];
  for (const [left, top, right] of lines) if (roundedRect(x, y, left, top, right, top + 6, 3)) colour = [120, 136, 160];
  if ((x - 92) ** 2 + (y - 92) ** 2 <= 22 ** 2) colour = [46, 160, 90];
  const onCheck = (ax, ay, bx, by) => {
    const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= 3.5 ** 2;
  };
  if (onCheck(82, 93, 89, 100) || onCheck(89, 100, 103, 84)) colour = [255, 255, 255];
  return colour;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = [0];
  for (let px = 0; px < SIZE; px++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const colour = colourAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (colour) [r, g, b, a] = [r + colour[0], g + colour[1], b + colour[2], a + 1];
      }
    }
    row.push(a ? Math.round(r / a) : 0, a ? Math.round(g / a) : 0, a ? Math.round(b / a) : 0, Math.round((255 * a) / SAMPLES ** 2));
  }
  rows.push(Buffer.from(row));
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32 ? zlib.crc32(body) : crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(buffer) {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.mkdirSync(path.join(__dirname, '../media'), { recursive: true });
fs.writeFileSync(path.join(__dirname, '../media/icon.png'), png);
console.log(`media/icon.png ${png.length} bytes`);
