/**
 * Verified deliveries this n8n process has seen in the last 24 hours, so that an exact repeat (the
 * same bytes, hence the same signature, for the same registration) starts nothing: Circularo's
 * signature carries no timestamp, so a captured delivery could otherwise be replayed at will, and
 * a retry of a delivery that was received would run the workflow twice.
 *
 * Per process: in queue mode or behind a load balancer, a repeat that reaches another process is
 * not recognised there. Memory is bounded: past MAX_DELIVERIES the oldest are forgotten first.
 */
import { DELIVERY_REPEAT_WINDOW_MS } from '../webhooks/deliveryAssumptions';

const MAX_DELIVERIES = 10_000;

/** Registration key and digest → when first seen (ms). Insertion order is time order. */
const seen = new Map<string, number>();

/** Records a verified delivery; true when this registration already received it within the window. */
export function isRepeatDelivery(registrationKey: string, digest: Buffer, now: number): boolean {
	for (const [key, at] of seen) {
		if (now - at < DELIVERY_REPEAT_WINDOW_MS) break;
		seen.delete(key);
	}
	const key = `${registrationKey}:${digest.toString('hex')}`;
	if (seen.has(key)) return true;
	seen.set(key, now);
	if (seen.size > MAX_DELIVERIES) seen.delete(seen.keys().next().value as string);
	return false;
}
