// @ts-check
'use strict';
/**
 * Resource use of a process and all its descendants (n8n and its task runner, Postgres and its
 * backends), read from /proc in one scan: resident memory, proportional memory and CPU time.
 */

const fs = require('node:fs');

const PAGE_BYTES = 4096;

/**
 * The /proc/<pid>/stat fields after the command name of `rootPid` and each of its descendants.
 * Indexes: state 0, ppid 1, utime 11, stime 12, cutime 13, cstime 14, rss (pages) 21.
 * @param {number} rootPid @returns {Map<number, string[]>}
 */
function processTree(rootPid) {
	/** @type {Map<number, string[]>} */
	const stats = new Map();
	/** @type {Map<number, number[]>} */
	const children = new Map();
	let entries = /** @type {string[]} */ ([]);
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return stats;
	}
	for (const e of entries) {
		if (!/^\d+$/.test(e)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const pid = Number(e);
			const ppid = Number(fields[1]);
			stats.set(pid, fields);
			if (!children.has(ppid)) children.set(ppid, []);
			/** @type {number[]} */ (children.get(ppid)).push(pid);
		} catch {
			/* process ended meanwhile */
		}
	}
	/** @type {Map<number, string[]>} */
	const tree = new Map();
	const stack = [rootPid];
	while (stack.length > 0 && tree.size < 10_000) {
		const pid = /** @type {number} */ (stack.pop());
		const fields = stats.get(pid);
		if (!fields || tree.has(pid)) continue;
		tree.set(pid, fields);
		for (const child of children.get(pid) || []) stack.push(child);
	}
	return tree;
}

/** Resident memory of a process and its descendants, in bytes. @param {number} rootPid */
function treeRssBytes(rootPid) {
	let total = 0;
	for (const fields of processTree(rootPid).values()) total += Number(fields[21]) * PAGE_BYTES;
	return total;
}

/**
 * Proportional set size (shared pages split between the processes sharing them) of a process
 * and its descendants, in bytes: the fair figure for Postgres, whose backends share memory.
 * @param {number} rootPid
 */
function treePssBytes(rootPid) {
	let total = 0;
	for (const pid of processTree(rootPid).keys()) {
		try {
			const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
			if (m) total += Number(m[1]) * 1024;
		} catch {
			/* gone or not readable */
		}
	}
	return total;
}

/**
 * Resident memory of each process of the tree and its peak since the last `resetTreePeaks` (or
 * its start): VmRSS and VmHWM of /proc/<pid>/status, in bytes, by pid.
 * @param {number} rootPid @returns {Map<number, { rss: number, peak: number }>}
 */
function treeMemory(rootPid) {
	/** @type {Map<number, { rss: number, peak: number }>} */
	const out = new Map();
	for (const pid of processTree(rootPid).keys()) {
		try {
			const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
			const kb = (/** @type {string} */ key) =>
				Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
			out.set(pid, { rss: kb('VmRSS'), peak: kb('VmHWM') });
		} catch {
			/* gone meanwhile */
		}
	}
	return out;
}

/**
 * Sets each process's peak resident memory (VmHWM) back to its current resident memory (Linux:
 * `5` into /proc/<pid>/clear_refs), so `treeMemory` then gives the peak of what runs next, however
 * short. Returns false where the kernel does not allow it.
 * @param {number} rootPid
 */
function resetTreePeaks(rootPid) {
	let ok = true;
	for (const pid of processTree(rootPid).keys()) {
		try {
			fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		} catch {
			ok = false;
		}
	}
	return ok;
}

/** Clock ticks per second for /proc times (USER_HZ; 100 on Linux unless `getconf CLK_TCK` says otherwise). */
let clkTck = 0;
function ticksPerSecond() {
	if (!clkTck) {
		try {
			const r = require('node:child_process').spawnSync('getconf', ['CLK_TCK'], {
				encoding: 'utf8',
				timeout: 5000,
			});
			clkTck = Number(String(r.stdout).trim()) || 100;
		} catch {
			clkTck = 100;
		}
	}
	return clkTck;
}

/**
 * CPU time (user + system, in seconds) used so far by a process and its live descendants, plus
 * what their ended children used (cutime/cstime). Compare two readings to get the CPU a piece of
 * work cost, which (unlike wall-clock throughput) hardly depends on what else the machine runs.
 * @param {number} rootPid
 */
function treeCpuSeconds(rootPid) {
	let ticks = 0;
	for (const f of processTree(rootPid).values())
		ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
	return ticks / ticksPerSecond();
}

module.exports = {
	processTree,
	treeRssBytes,
	treePssBytes,
	treeCpuSeconds,
	treeMemory,
	resetTreePeaks,
};
