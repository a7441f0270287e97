/**
 * Whether the n8n running this node can resume a waiting node on any of its outputs.
 *
 * When an execution resumes, n8n marks the waiting node disabled and passes on what webhook()
 * returned. Up to n8n 2.38 a disabled node passes on its first output only, so an item that
 * webhook() puts on "Completed" (output 1) would be dropped without an error; n8n 2.39 forwards
 * every output of a resumed node. n8n runs with the n8n-workflow of its own release (this package
 * only declares it as a peer), and n8n-workflow 2.39 is the first to export
 * `checkNodesApiVersion`: its presence tells the releases apart.
 */
import * as n8nWorkflow from 'n8n-workflow';

export const MINIMUM_N8N_VERSION = '2.39';

export function resumesOnEveryOutput(): boolean {
	return typeof (n8nWorkflow as Record<string, unknown>).checkNodesApiVersion === 'function';
}
