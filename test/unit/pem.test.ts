import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromPem, toPem } from '../../src/crypto/pem.js';

describe('fromPem', () => {
  const bytes = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]);

  it('reads the first block back, text around it or not', () => {
    const pem = toPem('CMS', bytes);
    assert.deepEqual(fromPem(pem), { label: 'CMS', bytes });
    assert.deepEqual(fromPem(`junk\n${pem}\n${toPem('OTHER', bytes)}`), {
      label: 'CMS',
      bytes,
    });
  });

  it('refuses a block whose END names another label', () => {
    const pem = toPem('CMS', bytes).replace('END CMS', 'END PKCS7');
    assert.equal(fromPem(pem), null);
  });

  it('refuses a BEGIN without an END, and BEGIN lines inside a block', () => {
    assert.equal(fromPem('-----BEGIN CMS-----\nMAMCAQU=\n'), null);
    const repeated = '-----BEGIN CMS-----\n'.repeat(5000);
    assert.equal(fromPem(`${repeated}MAMCAQU=\n-----END CMS-----\n`), null);
  });

  it('refuses bad base64 inside a block', () => {
    assert.equal(fromPem('-----BEGIN CMS-----\nMA_C\n-----END CMS-----'), null);
  });
});
