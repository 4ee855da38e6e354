// The GOST code in a real browser: the same modules the server runs open
// NCA's GOST key file, sign a CMS, and verify it and Kalkan's signatures
// against NCA's test chain. Skips where ../shared/nca-test-pki is absent.
import { expect } from '@open-wc/testing';
import { openKeys } from '../../src/crypto/key-file-signer.js';
import {
  verifyCertificateSignature,
  verifyCms,
} from '../../src/crypto/cms-verify.js';
import { streebog512 } from '../../src/crypto/gost/streebog.js';

async function ncaFile(context: Mocha.Context, name: string): Promise<Uint8Array> {
  const response = await fetch(`/__nca-test-pki/${name}`);
  if (response.status === 404) {
    console.warn(`skipped: ${name} is not available`);
    context.skip();
  }
  return new Uint8Array(await response.arrayBuffer());
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('GOST 34.10-2015 in the browser', () => {
  it('hashes the RFC 6986 message M1 like Node does', () => {
    const m1 = new TextEncoder().encode(
      '012345678901234567890123456789012345678901234567890123456789012',
    );
    expect(hex(streebog512(m1))).to.equal(
      '1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa' +
        '00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48',
    );
  });

  it("opens NCA's GOST key file, signs, and the signature verifies", async function () {
    this.timeout(20000);
    const file = await ncaFile(this, 'gost2015_individual_valid.p12');
    const root = await ncaFile(this, 'root_gost_2022_test.cer');
    const issuing = await ncaFile(this, 'nca_gost_2022_test.cer');
    const ring = await openKeys(file, 'Qwerty12');
    expect(ring.choices[0]!.info.algorithmName).to.equal('ГОСТ 34.10-2015 512');
    const signature = await ring.sign(
      ring.choices[0]!.id,
      new TextEncoder().encode('browser challenge'),
    );
    ring.dispose();
    const report = await verifyCms({
      cms: signature,
      trustAnchors: [root],
      intermediates: [issuing],
    });
    expect(report.valid).to.equal(true);
    expect(report.signers[0]!.certificate!.iin).to.equal('123456789011');
  });

  it("verifies NCA's chain and both of Kalkan's signers", async function () {
    this.timeout(20000);
    const root = await ncaFile(this, 'root_gost_2022_test.cer');
    const issuing = await ncaFile(this, 'nca_gost_2022_test.cer');
    expect(await verifyCertificateSignature(root, root)).to.equal(true);
    expect(await verifyCertificateSignature(issuing, root)).to.equal(true);
    const cms = await ncaFile(this, 'cms_detached_two_signers.der');
    const report = await verifyCms({
      cms,
      content: new TextEncoder().encode('test123'),
    });
    expect(report.signers.map((s) => s.signatureValid)).to.deep.equal([true, true]);
  });
});
