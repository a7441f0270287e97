// @ts-check
'use strict';

/**
 * Types shared by the route modules (no run-time code).
 *
 * @typedef {{ sim: import('../index').CircularoSimulator, url: URL, params: Record<string, string>,
 *   body: any, parts: import('../multipart').Part[] | undefined, method: string }} RouteContext
 * @typedef {{ status: number, json?: unknown, bytes?: Buffer, contentType?: string, filename?: string }} RouteResult
 * @typedef {[method: string, pattern: string, handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>]} Route
 */

module.exports = {};
