// @ts-check
'use strict';
/**
 * Shared pieces of the benchmark: delivery bodies of an exact size, signing, statistics and a
 * plain-text table. No timing happens here.
 */

const crypto = require('node:crypto');
const { buildPayload } = require('../simulator/payloads');

/** Secret used for every benchmark delivery (a test value, not a credential of anyone's). */
const BENCH_SECRET = 'bench-only-signing-secret-0123456789abcdef';

/**
 * A Circularo delivery in the simulator's `default` shape, padded with form-field entries (as a
 * document with many fields would carry) to exactly `size` bytes of UTF-8 JSON.
 * @param {number} size bytes, at least 400
 * @param {{ event?: string, documentId?: string, seq?: number }} [o]
 * @returns {Buffer}
 */
function makeBody(size, o = {}) {
  const base = buildPayload('default', {
    event: o.event || 'documentCompleted',
    documentId: o.documentId || 'doc-sales-1',
    documentTitle: 'Bench contract',
    actor: { id: 'u-1', name: 'Sales Admin', username: 'sales.admin', email: 'sales.admin@acme.test' },
    at: Date.UTC(2026, 10, 28, 12, 0, 0) + (o.seq || 0),
  });
  /** @type {{ name: string, value: string }[]} */
  const fields = [];
  const body = { ...base, fields, padding: '' };
  const length = () => Buffer.byteLength(JSON.stringify(body));
  if (length() > size) throw new RangeError(`makeBody: ${size} bytes is smaller than the bare delivery`);
  // Whole field entries first (about 60 bytes each, counted as they are added), then a padding
  // string for the exact size.
  const entry = (/** @type {number} */ i) => ({ name: `field_${i}`, value: `value of form field number ${i}` });
  let total = length();
  for (let i = 0; i < 1_000_000; i++) {
    const e = entry(i);
    const add = Buffer.byteLength(JSON.stringify(e)) + (fields.length > 0 ? 1 : 0);
    if (total + add + 64 >= size) break;
    fields.push(e);
    total += add;
  }
  body.padding = 'x'.repeat(Math.max(0, size - length()));
  const bytes = Buffer.from(JSON.stringify(body));
  if (bytes.length !== size) throw new Error(`makeBody: built ${bytes.length} bytes, wanted ${size}`);
  return bytes;
}

/** @param {Buffer} raw @param {string} [secret] */
function sign(raw, secret = BENCH_SECRET) {
  return crypto.createHmac('sha256', secret).update(raw).digest('hex');
}

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** @param {number} bytes */
function sizeLabel(bytes) {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} B`;
}

/**
 * A fixed-width text table.
 * @param {string[]} head
 * @param {(string | number)[][]} rows
 */
function table(head, rows) {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] || '').length)));
  const line = (/** @type {string[]} */ r) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** @param {number} x @param {number} [digits] */
function fmt(x, digits = 2) {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

/** @param {boolean} ok */
function verdict(ok) {
  return ok ? 'met' : 'MISSED';
}

module.exports = { BENCH_SECRET, makeBody, sign, median, sizeLabel, table, fmt, verdict };
