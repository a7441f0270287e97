// @ts-check
'use strict';

/**
 * Types shared by the route modules (no run-time code).
 *
 * @typedef {{ sim: import('../index').CircularoSimulator, url: URL, params: Record<string, string>,
 *   body: any, parts: import('../multipart').Part[] | undefined, method: string }} RouteContext
 * @typedef {{ status: number, json?: unknown, file?: import('../fileStore').FileContent, contentType?: string,
 *   filename?: string }} RouteResult  `file`: an answer of the file's bytes
 * @typedef {[method: string, pattern: string, handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>]} Route
 */

module.exports = {};
