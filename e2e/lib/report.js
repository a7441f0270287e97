// @ts-check
'use strict';
/**
 * Printing figures: fixed-width text tables (Markdown-compatible, so a result can go into the
 * docs as it is), number formatting, and a line saying what the figures were measured on.
 */

const os = require('node:os');

/**
 * A fixed-width text table; the first column is left-aligned, the others right-aligned.
 * @param {string[]} head
 * @param {(string | number)[][]} rows
 */
function table(head, rows) {
	const cells = [head, ...rows.map((r) => r.map(String))];
	const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] || '').length)));
	const line = (/** @type {string[]} */ r) =>
		`| ${r.map((c, i) => (i === 0 ? (c || '').padEnd(widths[i]) : (c || '').padStart(widths[i]))).join(' | ')} |`;
	return [
		line(head),
		`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
		...cells.slice(1).map(line),
	].join('\n');
}

/** @param {number} x @param {number} [digits] */
function fmt(x, digits = 2) {
	return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

/** Milliseconds, whole. @param {number} ms */
function fmtMs(ms) {
	return Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : 'n/a';
}

/** Whole MiB. @param {number} bytes */
function mib(bytes) {
	return Math.round(bytes / 2 ** 20);
}

/** What the figures were measured on: other processes share the CPU, so the load average matters. */
function machineLine() {
	const cpus = os.cpus();
	return `${cpus.length} x ${cpus[0] ? cpus[0].model.trim() : 'cpu'}, ${mib(os.totalmem())} MiB RAM, Node ${process.version} (harness), load average ${os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' ')}`;
}

/**
 * Prints figures as a block between rules (a docs page can take it as it is); returns its text.
 * @param {string} title @param {string[]} lines
 */
function printBlock(title, lines) {
	const bar = '-'.repeat(72);
	const text = [bar, title, bar, ...lines, bar].join('\n');
	process.stdout.write(`\n${text}\n\n`);
	return text;
}

module.exports = { table, fmt, fmtMs, mib, machineLine, printBlock };
