/**
 * The trigger's window on a delivery's signed time. The body's `timestamp` is inside the signed
 * bytes, so a replay carries the time of the original: past the window it is refused, in every
 * process, whatever the repeat memory (replays.ts) has forgotten.
 *
 * [assumed] Circularo documents a `timestamp` field but not its format: it is read as the
 * delivery's time is (deliveryItem.ts: ISO 8601, or epoch seconds or milliseconds). A delivery
 * with none, or one that cannot be read, is not refused for it: otherwise a format other than the
 * assumed one would refuse every genuine delivery. Its ending is still confirmed with Circularo
 * (stateCheck.ts).
 */

/**
 * How far a delivery's time may lie from this n8n's clock, either way: Circularo delivers at once
 * and documents no retries ([assumed]), so this leaves room for clock skew and a slow queue.
 */
export const DELIVERY_WINDOW_MS = 15 * 60_000;

/** Whether the delivery's time (ISO string, as the item carries it) lies outside the window. */
export function outsideWindow(occurredAt: string | null | undefined, now: Date): boolean {
	if (typeof occurredAt !== 'string') return false;
	const at = Date.parse(occurredAt);
	if (Number.isNaN(at)) return false;
	return Math.abs(now.getTime() - at) > DELIVERY_WINDOW_MS;
}
