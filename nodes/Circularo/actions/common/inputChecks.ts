/**
 * Refusals of bad input before any call to Circularo, each naming the parameter to fix.
 */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type IGetNodeParameterOptions,
} from 'n8n-workflow';

import type { WantedFiles } from '../../circularo/documentFiles';

export function badInput(
	context: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

/** A text parameter, trimmed: '' when it is empty. */
export function textParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	options?: IGetNodeParameterOptions,
): string {
	return String(context.getNodeParameter(name, itemIndex, '', options) ?? '').trim();
}

/** A text parameter that must not be empty, trimmed. */
export function requiredText(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: string,
): string {
	const value = textParameter(context, itemIndex, name);
	if (value === '')
		throw badInput(context, itemIndex, `"${field}" is empty`, `Enter the ${field} to use.`);
	return value;
}

const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]{2,}$/;

export function isEmail(value: string): boolean {
	return EMAIL.test(value);
}

/**
 * An ISO 8601 timestamp from a date parameter, or undefined when it is empty. `label` names the
 * parameter as the message should, for example `"Valid Until" of recipient 2`.
 */
export function optionalDate(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string,
): string | undefined {
	if (value === undefined || value === null || String(value).trim() === '') return undefined;
	const parsed = new Date(String(value).trim());
	if (Number.isNaN(parsed.getTime())) {
		throw badInput(
			context,
			itemIndex,
			`${label} is not a valid date: "${String(value)}"`,
			'Use an ISO 8601 date, for example 2030-01-31 or 2030-01-31T17:00:00Z.',
		);
	}
	return parsed.toISOString();
}

/** Refuses binary fields a download cannot fill: an empty one, or both files in the same one. */
export function checkFileFields(
	context: IExecuteFunctions,
	itemIndex: number,
	wanted: WantedFiles,
	pdfFieldName: string,
): void {
	const { pdfField, auditTrailField } = wanted;
	if (pdfField === '') throw badInput(context, itemIndex, `"${pdfFieldName}" is empty`);
	if (auditTrailField === '')
		throw badInput(context, itemIndex, '"Put Audit Trail in Field" is empty');
	if (auditTrailField !== undefined && auditTrailField === pdfField)
		throw badInput(
			context,
			itemIndex,
			`"Put Audit Trail in Field" is the same field as "${pdfFieldName}"`,
		);
}
