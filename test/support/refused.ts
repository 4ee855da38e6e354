/** Asserts that a verification fails with a VerifyError of this code. */
import assert from 'node:assert/strict';
import type { ApiErrorCode } from '../../src/api/protocol.js';
import { VerifyError } from '../../src/crypto/cms-verify.js';

export async function refusedWith(
  promise: Promise<unknown>,
  code: ApiErrorCode,
  message?: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof VerifyError, `not a VerifyError: ${error}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}
