/**
 * Reads fields from a parsed JSON body. Routes check shapes by hand rather
 * than with JSON Schema so that every failure maps to one protocol code and
 * nothing is coerced (a number where an IIN string belongs is refused).
 */
import { ApiHttpError } from './errors.js';

/** The string field `name` of a JSON object body, at most `max` long. */
export function stringField(body: unknown, name: string, max: number): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiHttpError('BAD_REQUEST', 'The body must be a JSON object.');
  }
  const value = Object.hasOwn(body, name)
    ? (body as Record<string, unknown>)[name]
    : undefined;
  if (typeof value !== 'string') {
    throw new ApiHttpError('BAD_REQUEST', `"${name}" must be a string.`);
  }
  if (value.length > max) {
    throw new ApiHttpError(
      'BAD_REQUEST',
      `"${name}" is longer than ${max} characters.`,
    );
  }
  return value;
}
