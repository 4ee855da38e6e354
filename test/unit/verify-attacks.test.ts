/**
 * Attacks on the login verifier's own DER reading (der-reader.ts,
 * x509-reader.ts, cms-verify.ts): CMS and certificates built byte by byte
 * here, signed with real keys, so that only the one thing under test is
 * wrong. Each must be refused with its typed code, never accepted and
 * never thrown as anything but a VerifyError.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ApiErrorCode } from '../../src/api/protocol.js';
import {
  verifyLoginSignature,
  VerifyError,
  type VerifyLoginOptions,
} from '../../src/crypto/cms-verify.js';
import { readElement } from '../../src/crypto/der-reader.js';
import { readX509, subjectKeyId } from '../../src/crypto/x509-reader.js';
import { ALG, CMS, EKU, EXT } from '../../src/crypto/oids.js';
import { toBase64, toPem } from '../../src/crypto/pem.js';
import type { KeyEntry } from '../../src/crypto/types.js';
import {
  generateGostKeyPair,
  generateRsaKey,
  issueCertificate,
  type Issuer,
  type RsaKeyPair,
} from '../../server/pki/certificates.js';
import { gostSignData } from '../../src/crypto/gost/nca-gost.js';
import { TC26_512_A } from '../../src/crypto/gost/gost3410.js';
import { streebog512 } from '../../src/crypto/gost/streebog.js';
import {
  addExtension,
  alg,
  ascii,
  attribute,
  extension,
  F,
  type Holder,
  int,
  issuerAndSerial,
  makeCms as buildCms,
  NULL,
  octets,
  oid,
  parts,
  resign,
  rsaSign,
  selfIssuedFlood,
  seq,
  set,
  sha256,
  standardAttrs as attrsOver,
  tlv,
  type CmsOptions,
} from '../support/attack-cms.js';
import { refusedWith } from '../support/refused.js';
import { makeTestCa, PERSON, type TestCa } from '../support/revocation-pki.js';

const subtle = globalThis.crypto.subtle;
const TEXT = 'Qoltanba login\nOrigin: https://portal.example.kz\nNonce: at1';
const CONTENT = new TextEncoder().encode(TEXT);
const DAY = 24 * 3600 * 1000;
const NOW = Date.now();

/** A CMS over the test's challenge unless the options say otherwise. */
const makeCms = (o: Omit<CmsOptions, 'content'> & Partial<CmsOptions>) =>
  buildCms({ content: CONTENT, ...o });
const standardAttrs = (content = CONTENT) => attrsOver(content);

// ---------------------------------------------------------------------------

let ca: TestCa;
let user: Holder;
let userEntry: KeyEntry;
/** An issuing CA key, to make leaf certificates with. */
let issuing: Issuer;

/** The certificate changed by `edit` and signed again by `issuing`. */
const byIssuer = (
  cert: Uint8Array,
  edit: (fields: Uint8Array[]) => Uint8Array[],
  more?: Parameters<typeof resign>[3],
) => resign(cert, issuing.privateKey as CryptoKey, edit, more);
const rootKey = () => ca.rootIssuer.privateKey as CryptoKey;

function options(
  signature: string | Uint8Array,
  extra: Partial<VerifyLoginOptions> = {},
): VerifyLoginOptions {
  return {
    signature,
    expectedContent: CONTENT,
    trustAnchors: [ca.root],
    intermediates: [ca.issuing],
    ...extra,
  };
}

async function refused(
  signature: string | Uint8Array,
  code: ApiErrorCode,
  extra: Partial<VerifyLoginOptions> = {},
): Promise<void> {
  await refusedWith(verifyLoginSignature(options(signature, extra)), code);
}

async function accepted(
  signature: string | Uint8Array,
  extra: Partial<VerifyLoginOptions> = {},
): Promise<void> {
  const login = await verifyLoginSignature(options(signature, extra));
  assert.equal(login.iin, '900625400121');
}

/** A user certificate issued by the test CA for a new RSA key. */
async function newUser(
  overrides: Partial<Parameters<typeof issueCertificate>[0]> = {},
): Promise<Holder> {
  const key = await generateRsaKey(2048);
  const cert = await issueCertificate({
    subject: PERSON,
    publicKeyInfo: key.publicKeyInfo,
    issuer: issuing,
    notBefore: new Date(NOW - DAY),
    notAfter: new Date(NOW + 300 * DAY),
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: [EKU.clientAuth, EKU.ncaIndividual],
    ...overrides,
  });
  return { key, cert };
}

before(async () => {
  ca = await makeTestCa('http://127.0.0.1:9');
  issuing = ca.issuer;
  userEntry = await ca.issueUser({});
  const key = await subtle.importKey(
    'pkcs8',
    userEntry.privateKeyInfo.slice(),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    true,
    ['sign'],
  );
  user = {
    key: { privateKey: key } as RsaKeyPair,
    cert: userEntry.certificate,
  };
});

describe('the hand-made CMS', () => {
  it('is accepted when nothing is wrong', async () => {
    await accepted(await makeCms({ signer: user }));
    await accepted(toBase64(await makeCms({ signer: user, attrs: null })));
  });
});

describe('the signer identifier', () => {
  it('naming another certificate than the one that signed: refused', async () => {
    const other = await newUser();
    // Signed with the user's key, sid names the other certificate.
    await refused(
      await makeCms({
        signer: user,
        certs: [user.cert, other.cert],
        sid: issuerAndSerial(other.cert),
      }),
      'SIGNATURE_INVALID',
    );
  });

  it('by key id, pointing at another certificate: refused', async () => {
    const other = await newUser();
    const ski = subjectKeyId(readX509(other.cert))!;
    await refused(
      await makeCms({
        signer: user,
        certs: [user.cert, other.cert],
        sid: tlv(0x80, ski),
        sidIsKeyId: true,
      }),
      'SIGNATURE_INVALID',
    );
    // The user's own key id works.
    const own = subjectKeyId(readX509(user.cert))!;
    await accepted(
      await makeCms({ signer: user, sid: tlv(0x80, own), sidIsKeyId: true }),
    );
  });

  it('two certificates with the same issuer and serial: the first is the signer', async () => {
    const other = await newUser();
    // The other certificate made to carry the user's serial number.
    const twin = await byIssuer(other.cert, (f) => {
      const out = [...f];
      out[F.serial] = parts(parts(user.cert)[0]!)[F.serial]!;
      return out;
    });
    await refused(
      await makeCms({ signer: user, certs: [twin, user.cert] }),
      'SIGNATURE_INVALID',
    );
    await accepted(await makeCms({ signer: user, certs: [user.cert, twin] }));
  });

  it('several SignerInfos, or none: SIGNER_COUNT', async () => {
    await refused(
      await makeCms({ signer: user, signerInfos: (one) => [one, one] }),
      'SIGNER_COUNT',
    );
    await refused(
      await makeCms({ signer: user, signerInfos: () => [] }),
      'SIGNER_COUNT',
    );
  });
});

describe('signed attributes', () => {
  it('a wrong or missing messageDigest: SIGNATURE_INVALID', async () => {
    const [type, time] = await standardAttrs();
    const wrong = attribute(CMS.messageDigest, octets(new Uint8Array(32)));
    await refused(
      await makeCms({ signer: user, attrs: [type!, time!, wrong] }),
      'SIGNATURE_INVALID',
    );
    await refused(
      await makeCms({ signer: user, attrs: [type!, time!] }),
      'SIGNATURE_INVALID',
    );
  });

  it('a missing or wrong contentType: SIGNATURE_INVALID', async () => {
    const [, time, digest] = await standardAttrs();
    await refused(
      await makeCms({ signer: user, attrs: [time!, digest!] }),
      'SIGNATURE_INVALID',
    );
    const other = attribute(CMS.contentType, oid(CMS.signedData));
    await refused(
      await makeCms({ signer: user, attrs: [other, time!, digest!] }),
      'SIGNATURE_INVALID',
    );
  });

  it('a contentType value that is no valid OID: typed, not thrown', async () => {
    const [, time, digest] = await standardAttrs();
    for (const value of [
      Uint8Array.of(0x06, 0x00),
      Uint8Array.of(0x06, 0x01, 0x80),
    ]) {
      const attrs = [attribute(CMS.contentType, value), time!, digest!];
      await refused(
        await makeCms({ signer: user, attrs }),
        'SIGNATURE_MALFORMED',
      );
    }
  });

  it('duplicate attributes or two values: SIGNATURE_INVALID', async () => {
    const [type, time, digest] = await standardAttrs();
    const wrong = attribute(CMS.messageDigest, octets(new Uint8Array(32)));
    await refused(
      await makeCms({ signer: user, attrs: [type!, time!, digest!, wrong] }),
      'SIGNATURE_INVALID',
    );
    await refused(
      await makeCms({ signer: user, attrs: [type!, time!, digest!, digest!] }),
      'SIGNATURE_INVALID',
    );
    const two = attribute(
      CMS.messageDigest,
      octets(await sha256(CONTENT)),
      octets(new Uint8Array(32)),
    );
    await refused(
      await makeCms({ signer: user, attrs: [type!, time!, two] }),
      'SIGNATURE_INVALID',
    );
  });

  it('a non-sorted SET OF verifies over the bytes sent', async () => {
    // DER wants the SET OF sorted; the signature covers the bytes as
    // sent, so an order that was signed is no forgery. Record what
    // happens: the verifier checks the signed bytes, nothing re-encoded.
    const attrs = (await standardAttrs()).reverse();
    const cms = await makeCms({ signer: user, attrs, rawAttrs: true });
    await verifyLoginSignature(options(cms)).then(
      () => undefined,
      (error: unknown) => assert.ok(error instanceof VerifyError),
    );
  });

  it('a length in more bytes than DER allows, signed: SIGNATURE_MALFORMED', async () => {
    const [type, time, digest] = await standardAttrs();
    // The messageDigest attribute with its SEQUENCE length as 0x81 nn.
    const long = Uint8Array.of(0x30, 0x81, digest![1]!, ...digest!.subarray(2));
    await refused(
      await makeCms({ signer: user, attrs: [type!, time!, long] }),
      'SIGNATURE_MALFORMED',
    );
  });

  it('a messageDigest that is a constructed OCTET STRING: refused', async () => {
    const [type, time] = await standardAttrs();
    const digest = await sha256(CONTENT);
    const pieces = tlv(
      0x24,
      octets(digest.subarray(0, 16)),
      octets(digest.subarray(16)),
    );
    await refused(
      await makeCms({
        signer: user,
        attrs: [type!, time!, attribute(CMS.messageDigest, pieces)],
      }),
      'SIGNATURE_INVALID',
    );
  });
});

describe('the content', () => {
  it('detached: CONTENT_MISMATCH', async () => {
    await refused(
      await makeCms({
        signer: user,
        content: null,
        attrs: await standardAttrs(CONTENT),
      }),
      'CONTENT_MISMATCH',
    );
  });

  it('eContentType other than id-data: CONTENT_MISMATCH', async () => {
    const [, time, digest] = await standardAttrs();
    await refused(
      await makeCms({
        signer: user,
        eContentType: '1.2.840.113549.1.9.16.1.4',
        attrs: [
          attribute(CMS.contentType, oid('1.2.840.113549.1.9.16.1.4')),
          time!,
          digest!,
        ],
      }),
      'CONTENT_MISMATCH',
    );
  });

  it('another content, correctly signed: CONTENT_MISMATCH', async () => {
    const other = ascii(TEXT + 'x');
    await refused(
      await makeCms({ signer: user, content: other }),
      'CONTENT_MISMATCH',
    );
  });
});

describe('algorithms', () => {
  it('RSA signed with SHA-1, declared SHA-256: SIGNATURE_INVALID', async () => {
    await refused(
      await makeCms({ signer: user, signHash: 'SHA-1' }),
      'SIGNATURE_INVALID',
    );
  });

  it('SHA-1 declared: ALGORITHM_UNSUPPORTED', async () => {
    await refused(
      await makeCms({
        signer: user,
        digestOid: '1.3.14.3.2.26',
        signatureOid: ALG.rsaEncryption,
        attrs: null,
        signHash: 'SHA-1',
      }),
      'ALGORITHM_UNSUPPORTED',
    );
  });

  it('sha512WithRSA beside a SHA-256 digest: ALGORITHM_UNSUPPORTED', async () => {
    await refused(
      await makeCms({ signer: user, signatureOid: '1.2.840.113549.1.1.13' }),
      'ALGORITHM_UNSUPPORTED',
    );
  });

  it('RSA with a mangled padding: SIGNATURE_INVALID', async () => {
    // A raw RSA operation is not at hand; flip bytes instead, and give a
    // signature of the wrong length.
    await refused(
      await makeCms({
        signer: user,
        signature: async (data) => {
          const s = await rsaSign(user.key.privateKey, data);
          s[0]! ^= 1;
          return s;
        },
      }),
      'SIGNATURE_INVALID',
    );
    await refused(
      await makeCms({ signer: user, signature: () => new Uint8Array(0) }),
      'SIGNATURE_INVALID',
    );
    await refused(
      await makeCms({ signer: user, signature: () => new Uint8Array(1024) }),
      'SIGNATURE_INVALID',
    );
  });
});

/** A CA certificate issued by `by` for a new key. */
async function newCa(
  cn: string,
  by: Issuer | null,
  ca: { pathLength?: number } | null = {},
  keyUsage: Parameters<typeof issueCertificate>[0]['keyUsage'] = [
    'keyCertSign',
    'cRLSign',
  ],
  bits = 2048,
): Promise<{ cert: Uint8Array; issuer: Issuer }> {
  const key = await generateRsaKey(bits);
  const name: Issuer['name'] = [
    ['2.5.4.3', cn],
    ['2.5.4.6', 'KZ'],
  ];
  const cert = await issueCertificate({
    subject: name,
    publicKeyInfo: key.publicKeyInfo,
    ...(by ? { issuer: by } : { selfSignKey: key.privateKey }),
    notBefore: new Date(NOW - DAY),
    notAfter: new Date(NOW + 400 * DAY),
    ...(ca ? { ca } : {}),
    keyUsage,
  });
  return {
    cert,
    issuer: { name, privateKey: key.privateKey, publicKeyInfo: key.publicKeyInfo },
  };
}

/** A login CMS by a new user whose certificate `by` issued. */
async function userUnder(
  by: Issuer,
): Promise<{ cms: Uint8Array; cert: Uint8Array }> {
  const saved = issuing;
  issuing = by;
  try {
    const holder = await newUser();
    return { cms: await makeCms({ signer: holder }), cert: holder.cert };
  } finally {
    issuing = saved;
  }
}

describe('the chain', () => {
  it('an intermediate that is no CA: CERT_UNTRUSTED', async () => {
    const notCa = await newCa('NOT A CA', ca.issuer, null);
    const { cms } = await userUnder(notCa.issuer);
    await refused(cms, 'CERT_UNTRUSTED', {
      intermediates: [ca.issuing, notCa.cert],
    });
  });

  it('an intermediate without keyCertSign: CERT_UNTRUSTED', async () => {
    const sub = await newCa('NO KEYCERTSIGN', ca.rootIssuer, {}, ['cRLSign']);
    const { cms } = await userUnder(sub.issuer);
    await refused(cms, 'CERT_UNTRUSTED', { intermediates: [sub.cert] });
  });

  it("an intermediate below the issuing CA's pathLen 0: CERT_UNTRUSTED", async () => {
    // The test CA's issuing certificate says pathLen 0: it may issue no
    // further CA.
    const sub = await newCa('SUB CA', ca.issuer, {});
    const { cms } = await userUnder(sub.issuer);
    await refused(cms, 'CERT_UNTRUSTED', { intermediates: [ca.issuing, sub.cert] });
    // And with the sub-CA inside the CMS rather than configured.
    const holder = await (async () => {
      const saved = issuing;
      issuing = sub.issuer;
      try {
        return await newUser();
      } finally {
        issuing = saved;
      }
    })();
    await refused(
      await makeCms({ signer: holder, certs: [holder.cert, sub.cert, ca.issuing] }),
      'CERT_UNTRUSTED',
      { intermediates: [] },
    );
  });

  it("a trust anchor's pathLen 0 over an intermediate: CERT_UNTRUSTED", async () => {
    const root = await newCa('PATHLEN ROOT', null, { pathLength: 0 });
    const sub = await newCa('PATHLEN SUB', root.issuer, {});
    const { cms } = await userUnder(sub.issuer);
    await refused(cms, 'CERT_UNTRUSTED', {
      trustAnchors: [root.cert],
      intermediates: [sub.cert],
    });
    // Trusting the sub-CA itself is fine.
    await accepted(cms, { trustAnchors: [sub.cert], intermediates: [] });
  });

  it('a pathLen of 1 allows one intermediate, not two', async () => {
    const root = await newCa('PL1 ROOT', null, { pathLength: 1 });
    const a = await newCa('PL1 A', root.issuer, {});
    const b = await newCa('PL1 B', a.issuer, {});
    await accepted((await userUnder(a.issuer)).cms, {
      trustAnchors: [root.cert],
      intermediates: [a.cert],
    });
    await refused((await userUnder(b.issuer)).cms, 'CERT_UNTRUSTED', {
      trustAnchors: [root.cert],
      intermediates: [a.cert, b.cert],
    });
  });
});

describe('certificate extensions', () => {
  it('an unknown critical extension on the signer: refused', async () => {
    const holder = await newUser();
    holder.cert = await byIssuer(holder.cert, (f) =>
      addExtension(f, extension('1.2.3.4.5', NULL, true)),
    );
    await refused(await makeCms({ signer: holder }), 'CERT_UNTRUSTED');
    // Not critical: ignored, as RFC 5280 4.2 says.
    const plain = await newUser();
    plain.cert = await byIssuer(plain.cert, (f) =>
      addExtension(f, extension('1.2.3.4.5', NULL, false)),
    );
    await accepted(await makeCms({ signer: plain }));
  });

  it('an unknown critical extension on a CA: CERT_UNTRUSTED', async () => {
    const sub = await newCa('CRITICAL SUB', ca.rootIssuer, {});
    const marked = await resign(sub.cert, rootKey(), (f) =>
      addExtension(f, extension('2.5.29.30', seq(), true)),
    );
    const { cms } = await userUnder(sub.issuer);
    await accepted(cms, { intermediates: [sub.cert] });
    await refused(cms, 'CERT_UNTRUSTED', { intermediates: [marked] });
  });

  it('two keyUsage extensions: refused', async () => {
    const holder = await newUser();
    const certSign = extension(
      EXT.keyUsage,
      tlv(0x03, Uint8Array.of(1, 0x06)),
      true,
    );
    holder.cert = await byIssuer(holder.cert, (f) =>
      addExtension(f, certSign),
    );
    await refused(await makeCms({ signer: holder }), 'SIGNATURE_MALFORMED');
  });
});

describe('chain search', () => {
  it('many same-named self-issued CAs in the CMS: refused quickly', async () => {
    // Every one of them "issues" every other: without a bound the search
    // tried each order of them, n^5 signature checks (over a minute).
    const cms = await selfIssuedFlood(CONTENT, 12);
    const started = performance.now();
    await refused(cms, 'CERT_UNTRUSTED');
    const ms = performance.now() - started;
    assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
  });
});

describe('certificate encodings', () => {
  it('bytes after the signature inside the certificate: SIGNATURE_MALFORMED', async () => {
    const holder = await newUser();
    holder.cert = await byIssuer(holder.cert, (f) => f, {
      trailing: NULL,
    });
    await refused(await makeCms({ signer: holder }), 'SIGNATURE_MALFORMED');
  });

  it('an outer algorithm that differs from the signed one: CERT_UNTRUSTED', async () => {
    for (const outer of [
      alg('1.2.840.113549.1.1.13'),
      alg(ALG.sha256WithRsa, null),
    ]) {
      const holder = await newUser();
      holder.cert = await byIssuer(holder.cert, (f) => f, {
        outer,
      });
      await refused(await makeCms({ signer: holder }), 'CERT_UNTRUSTED');
    }
  });

  it('a negative or a 21-byte serial: no crash, the serial as sent', async () => {
    for (const serial of [
      tlv(0x02, Uint8Array.of(0xff, 0x01, 0x02)),
      tlv(0x02, Uint8Array.of(0x01, ...new Uint8Array(20).fill(7))),
    ]) {
      const holder = await newUser();
      holder.cert = await byIssuer(holder.cert, (f) => {
        const out = [...f];
        out[F.serial] = serial;
        return out;
      });
      await accepted(await makeCms({ signer: holder }));
    }
  });

  it('an empty serial: SIGNATURE_MALFORMED', async () => {
    const holder = await newUser();
    holder.cert = await byIssuer(holder.cert, (f) => {
      const out = [...f];
      out[F.serial] = Uint8Array.of(0x02, 0x00);
      return out;
    });
    await refused(await makeCms({ signer: holder }), 'SIGNATURE_MALFORMED');
  });

  /** The user's certificate with validity written as given. */
  async function withValidity(notBefore: Uint8Array, notAfter: Uint8Array) {
    const holder = await newUser();
    holder.cert = await byIssuer(holder.cert, (f) => {
      const out = [...f];
      out[F.validity] = seq(notBefore, notAfter);
      return out;
    });
    return makeCms({ signer: holder });
  }
  const utc = (s: string) => tlv(0x17, ascii(s));
  const gen = (s: string) => tlv(0x18, ascii(s));

  it('UTCTime 49 is 2049, 50 is 1950', async () => {
    await accepted(await withValidity(utc('200101000000Z'), utc('491231235959Z')));
    await refused(
      await withValidity(utc('200101000000Z'), utc('500101000000Z')),
      'CERT_EXPIRED',
    );
    await accepted(
      await withValidity(utc('200101000000Z'), gen('20500101000000Z')),
    );
  });

  it('a month, day or hour out of range: SIGNATURE_MALFORMED', async () => {
    // Date.UTC would roll 2099-13-01 over into 2100-01-01, and 2026-02-30
    // into March: a time no other reader would see.
    for (const bad of [
      gen('20991301000000Z'),
      gen('20260230000000Z'),
      gen('20261203250000Z'),
      gen('20261203006000Z'),
      utc('261200000000Z'),
    ]) {
      await refused(
        await withValidity(utc('200101000000Z'), bad),
        'SIGNATURE_MALFORMED',
      );
    }
  });

  it('time forms RFC 5280 does not allow in certificates: refused', async () => {
    // RFC 5280 4.1.2.5: seconds always, Z always, no fractions.
    for (const bad of [
      utc('3012312359Z'),
      utc('301231235959+0600'),
      gen('20301231235959.5Z'),
      gen('20301231235959'),
    ]) {
      await refused(
        await withValidity(utc('200101000000Z'), bad),
        'SIGNATURE_MALFORMED',
      );
    }
  });
});

describe('names', () => {
  /** A user certificate whose issuer name is written as given. */
  async function issuerWritten(name: Uint8Array) {
    const holder = await newUser();
    holder.cert = await byIssuer(holder.cert, (f) => {
      const out = [...f];
      out[F.issuer] = name;
      return out;
    });
    return makeCms({ signer: holder });
  }
  const rdn = (type: string, tag: number, value: string) =>
    set(seq(oid(type), tlv(tag, Buffer.from(value))));

  it('the same issuer in PrintableString: chains', async () => {
    await accepted(
      await issuerWritten(
        seq(
          rdn('2.5.4.3', 0x13, 'REVOCATION ISSUING TEST'),
          rdn('2.5.4.6', 0x13, 'KZ'),
        ),
      ),
    );
  });

  it('the issuer with its RDNs in another order: CERT_UNTRUSTED', async () => {
    await refused(
      await issuerWritten(
        seq(
          rdn('2.5.4.6', 0x13, 'KZ'),
          rdn('2.5.4.3', 0x0c, 'REVOCATION ISSUING TEST'),
        ),
      ),
      'CERT_UNTRUSTED',
    );
  });

  it('the issuer in one multi-valued RDN: CERT_UNTRUSTED', async () => {
    await refused(
      await issuerWritten(
        seq(
          set(
            seq(oid('2.5.4.3'), tlv(0x0c, ascii('REVOCATION ISSUING TEST'))),
            seq(oid('2.5.4.6'), tlv(0x13, ascii('KZ'))),
          ),
        ),
      ),
      'CERT_UNTRUSTED',
    );
  });
});

describe('bytes on the wire', () => {
  it('lengths that overflow, five length bytes, nesting: SIGNATURE_MALFORMED', async () => {
    const inputs = [
      Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00),
      Uint8Array.of(0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00),
      Uint8Array.of(0x30, 0x80, 0x02, 0x01, 0x00),
      new Uint8Array(20000).fill(0x30).map((b, i) => (i % 2 ? 0x80 : b)),
      new Uint8Array(0),
      Uint8Array.of(0x00, 0x00),
    ];
    for (const input of inputs) await refused(input, 'SIGNATURE_MALFORMED');
    const empty = '-----BEGIN CMS-----\n-----END CMS-----';
    for (const text of ['', ' \n', '====', 'MII', empty]) {
      await refused(text, 'SIGNATURE_MALFORMED');
    }
  });

  it('over 256 KB: SIGNATURE_MALFORMED before parsing', async () => {
    await refused(new Uint8Array(300 * 1024), 'SIGNATURE_MALFORMED');
    await refused('A'.repeat(1024 * 1024), 'SIGNATURE_MALFORMED');
  });

  it('base64 with whitespace and PEM armour: accepted; base64url: refused', async () => {
    const der = await makeCms({ signer: user });
    await accepted(toBase64(der).replace(/(.{10})/g, '$1 \t\n'));
    await accepted(toPem('CMS', der));
    await accepted(toPem('PKCS7', der));
    await refused(toPem('CERTIFICATE', der), 'SIGNATURE_MALFORMED');
    const url = Buffer.from(der).toString('base64url');
    assert.match(url, /[-_]/);
    await refused(url, 'SIGNATURE_MALFORMED');
  });

  it('the whole CMS in BER indefinite lengths: read like the DER one', async () => {
    const der = await makeCms({ signer: user });
    // ContentInfo and [0] rewritten with indefinite lengths.
    const [type, wrapped] = parts(der) as [Uint8Array, Uint8Array];
    const ber = Uint8Array.from([
      0x30, 0x80, ...type, 0xa0, 0x80, ...parts(wrapped)[0]!, 0, 0, 0, 0,
    ]);
    await accepted(ber);
    // An end-of-contents that is not there: refused.
    await refused(ber.subarray(0, ber.length - 2), 'SIGNATURE_MALFORMED');
  });
});

describe('GOST 34.10-2015', () => {
  let root: Uint8Array;
  let rootIssuer: Issuer;
  let userKey: ReturnType<typeof generateGostKeyPair>;
  let gostUser: Holder;

  before(async () => {
    const rootKey = generateGostKeyPair();
    rootIssuer = {
      name: [
        ['2.5.4.3', 'GOST ATTACK ROOT'],
        ['2.5.4.6', 'KZ'],
      ],
      privateKey: rootKey.privateKey,
      publicKeyInfo: rootKey.publicKeyInfo,
    };
    root = await issueCertificate({
      subject: rootIssuer.name,
      publicKeyInfo: rootKey.publicKeyInfo,
      selfSignKey: rootKey.privateKey,
      notBefore: new Date(NOW - DAY),
      notAfter: new Date(NOW + 400 * DAY),
      ca: {},
      keyUsage: ['keyCertSign', 'cRLSign'],
    });
    userKey = generateGostKeyPair();
    gostUser = { key: null as never, cert: await gostCert(userKey.publicKeyInfo) };
  });

  async function gostCert(publicKeyInfo: Uint8Array): Promise<Uint8Array> {
    return issueCertificate({
      subject: PERSON,
      publicKeyInfo,
      issuer: rootIssuer,
      notBefore: new Date(NOW - DAY),
      notAfter: new Date(NOW + 300 * DAY),
      keyUsage: ['digitalSignature', 'nonRepudiation', 'keyAgreement'],
      extendedKeyUsage: [EKU.emailProtection, EKU.ncaIndividual],
    });
  }

  function gostCms(
    signer: Holder,
    signature?: (signed: Uint8Array) => Uint8Array,
  ): Promise<Uint8Array> {
    return makeCms({
      signer,
      digestOid: ALG.streebog512,
      signatureOid: ALG.gost2015Signature512,
      attrs: [
        attribute(CMS.contentType, oid(CMS.data)),
        attribute(CMS.messageDigest, octets(streebog512(CONTENT))),
      ],
      signature:
        signature ?? ((signed) => gostSignData(userKey.privateKey, signed)),
    });
  }

  const gost = (extra: Partial<VerifyLoginOptions> = {}) => ({
    trustAnchors: [root],
    intermediates: [],
    ...extra,
  });

  it('a good signature is accepted', async () => {
    await accepted(await gostCms(gostUser), gost());
  });

  /** r‖s, each 64 bytes little-endian. */
  const pair = (r: bigint, s: bigint) => {
    const out = new Uint8Array(128);
    for (let i = 0; i < 64; i++) {
      out[i] = Number((r >> BigInt(8 * i)) & 0xffn);
      out[64 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
    }
    return out;
  };

  it('r or s = 0 or ≥ q, or a value of the wrong length: SIGNATURE_INVALID', async () => {
    const q = TC26_512_A.q;
    const good = (signed: Uint8Array) => gostSignData(userKey.privateKey, signed);
    const rOf = (sig: Uint8Array) => {
      let v = 0n;
      for (let i = 63; i >= 0; i--) v = (v << 8n) | BigInt(sig[i]!);
      return v;
    };
    const sOf = (sig: Uint8Array) => rOf(sig.subarray(64));
    const cases: ((signed: Uint8Array) => Uint8Array)[] = [
      (d) => pair(0n, sOf(good(d))),
      (d) => pair(rOf(good(d)), 0n),
      (d) => pair(rOf(good(d)) + q, sOf(good(d))),
      (d) => pair(rOf(good(d)), sOf(good(d)) + q),
      () => pair(q, 1n),
      () => new Uint8Array(128),
      (d) => good(d).subarray(0, 127),
      (d) => Uint8Array.of(...good(d), 0),
    ];
    for (const make of cases) {
      await refused(await gostCms(gostUser, make), 'SIGNATURE_INVALID', gost());
    }
  });

  /** The user's certificate with its key bits replaced, signed again. */
  async function withKeyBits(bits: Uint8Array): Promise<Holder> {
    const spki = seq(
      parts(userKey.publicKeyInfo)[0]!,
      tlv(0x03, Uint8Array.of(0), bits),
    );
    return { key: null as never, cert: await gostCert(spki) };
  }

  it('a point off the curve, or of the wrong length: SIGNATURE_INVALID', async () => {
    const bits = parts(userKey.publicKeyInfo)[1]!;
    const inner = readElement(bits.subarray(3)); // the OCTET STRING
    const xy = inner.bytes.subarray(inner.contentStart, inner.contentEnd).slice();
    const off = xy.slice();
    off[70]! ^= 1; // y changed
    for (const key of [
      octets(off),
      octets(xy.subarray(0, 127)),
      octets(new Uint8Array(128)),
      xy, // no OCTET STRING around it
      octets(Uint8Array.of(...xy, 0)),
    ]) {
      const cms = await gostCms(await withKeyBits(key));
      await refused(cms, 'SIGNATURE_INVALID', gost());
    }
  });

  it('a GOST key named with RSA algorithms: ALGORITHM_UNSUPPORTED', async () => {
    await refused(
      await makeCms({ signer: gostUser, signature: () => new Uint8Array(128) }),
      'ALGORITHM_UNSUPPORTED',
      gost(),
    );
  });

  it('an RSA key named with GOST algorithms: ALGORITHM_UNSUPPORTED', async () => {
    await refused(
      await makeCms({
        signer: user,
        digestOid: ALG.streebog512,
        signatureOid: ALG.gost2015Signature512,
        attrs: [
          attribute(CMS.contentType, oid(CMS.data)),
          attribute(CMS.messageDigest, octets(streebog512(CONTENT))),
        ],
      }),
      'ALGORITHM_UNSUPPORTED',
    );
  });

  it('a same-named anchor with the same key id but an RSA key: CERT_UNTRUSTED', async () => {
    // The impostor anchor copies the GOST root's name and key id, with an
    // RSA key; met first, it must neither chain nor spoil the cache.
    const rsa = await generateRsaKey(2048);
    const fake = await resign(
      root,
      rsa.privateKey,
      (f) => {
        const out = [...f];
        out[F.spki] = rsa.publicKeyInfo;
        return out;
      },
      { outer: alg(ALG.sha256WithRsa) },
    );
    const cms = await gostCms(gostUser);
    await refused(cms, 'CERT_UNTRUSTED', gost({ trustAnchors: [fake] }));
    await accepted(cms, gost({ trustAnchors: [fake, root] }));
    await refused(cms, 'CERT_UNTRUSTED', gost({ trustAnchors: [fake] }));
  });
});

describe('keys and anchors', () => {
  it('an RSA key that does not decode: SIGNATURE_INVALID', async () => {
    const holder = await newUser();
    holder.cert = await byIssuer(holder.cert, (f) => {
      const out = [...f];
      out[F.spki] = seq(
        alg(ALG.rsaEncryption),
        tlv(0x03, Uint8Array.of(0), seq(int(5), int(3))),
      );
      return out;
    });
    await refused(await makeCms({ signer: holder }), 'SIGNATURE_INVALID');
  });

  it('an anchor with an unknown critical extension: CERT_UNTRUSTED', async () => {
    const marked = await resign(ca.issuing, rootKey(), (f) =>
      addExtension(f, extension('1.2.3.4.5', NULL, true)),
    );
    const cms = await makeCms({ signer: user });
    await accepted(cms, { trustAnchors: [ca.issuing], intermediates: [] });
    await refused(cms, 'CERT_UNTRUSTED', {
      trustAnchors: [marked],
      intermediates: [],
    });
  });

  it('a same-named anchor with the same key id, another RSA key', async () => {
    // The impostor keeps the real root's name and key identifier; met
    // first and cached, it must not vouch for anything, nor hide the
    // real one.
    const other = await generateRsaKey(2048);
    const fake = await resign(ca.root, other.privateKey, (f) => {
      const out = [...f];
      out[F.spki] = other.publicKeyInfo;
      return out;
    });
    const cms = await makeCms({ signer: user });
    await refused(cms, 'CERT_UNTRUSTED', { trustAnchors: [fake] });
    await accepted(cms, { trustAnchors: [fake, ca.root] });
    await refused(cms, 'CERT_UNTRUSTED', { trustAnchors: [fake] });
  });
});

describe('tags', () => {
  it('a low tag number in the high-tag form: SIGNATURE_MALFORMED', async () => {
    const good = await makeCms({ signer: user });
    // eContent's OCTET STRING (04 len) rewritten as 1F 04 len: BER
    // forbids it, and pkijs would not read it as an OCTET STRING.
    const at = Buffer.from(good).indexOf(Buffer.from([0x04, CONTENT.length]));
    assert.ok(at > 0);
    const bad = seqLengthsFixed(
      Uint8Array.of(...good.subarray(0, at), 0x1f, ...good.subarray(at)),
    );
    await refused(bad, 'SIGNATURE_MALFORMED');
    await refused(
      Uint8Array.of(0x3f, 0x80, 0x10, 0x02, 0x05, 0x00),
      'SIGNATURE_MALFORMED',
    );
  });
});

/**
 * The CMS with every definite length on the way to an inserted byte
 * grown by one: re-encodes the outer elements from their children.
 */
function seqLengthsFixed(bytes: Uint8Array): Uint8Array {
  // Rebuild top-down: ContentInfo > [0] > SignedData > encap > [0].
  const rebuild = (der: Uint8Array, path: number[]): Uint8Array => {
    if (path.length === 0) return der;
    const children = rawChildren(der);
    const [i, ...rest] = path;
    children[i!] = rebuild(children[i!]!, rest);
    return tlv(der[0]!, ...children);
  };
  return rebuild(bytes, [1, 0, 2, 1]);
}

/** Children of a definite-length element read by lengths alone. */
function rawChildren(der: Uint8Array): Uint8Array[] {
  const header = (at: number) => {
    const first = der[at + 1]!;
    const size = first & 0x80 ? 2 + (first & 0x7f) : 2;
    let length = first & 0x80 ? 0 : first;
    for (let i = 2; i < size; i++) length = length * 256 + der[at + i]!;
    return { size, length };
  };
  const outer = header(0);
  const end = outer.size + outer.length;
  const out: Uint8Array[] = [];
  for (let at = outer.size; at < end; ) {
    // A high-tag byte takes one more.
    const extra = (der[at]! & 0x1f) === 0x1f ? 1 : 0;
    const { size, length } = header(at + extra);
    const total = extra + size + length;
    out.push(der.subarray(at, at + total));
    at += total;
  }
  return out;
}

describe('RSA padding', () => {
  it('an RSA-PSS signature declared as PKCS#1 v1.5: SIGNATURE_INVALID', async () => {
    const { createPrivateKey, sign, constants } = await import('node:crypto');
    const key = createPrivateKey({
      key: Buffer.from(userEntry.privateKeyInfo),
      format: 'der',
      type: 'pkcs8',
    });
    const pss = (data: Uint8Array) =>
      new Uint8Array(
        sign('sha256', data, {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
        }),
      );
    await refused(
      await makeCms({ signer: user, signature: pss }),
      'SIGNATURE_INVALID',
    );
  });

  it("Bleichenbacher's e = 3 forgery: SIGNATURE_INVALID", async () => {
    // A key with e = 3; the forged value is a cube root that starts
    // 00 01 FF 00 DigestInfo and ends in garbage, which only a verifier
    // that does not check the whole padding accepts.
    const pair = (await subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: Uint8Array.of(3),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const spki = new Uint8Array(
      await subtle.exportKey('spki', pair.publicKey),
    );
    const cert = await issueCertificate({
      subject: PERSON,
      publicKeyInfo: spki,
      issuer: issuing,
      notBefore: new Date(NOW - DAY),
      notAfter: new Date(NOW + 300 * DAY),
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extendedKeyUsage: [EKU.clientAuth, EKU.ncaIndividual],
    });
    const holder: Holder = {
      key: { privateKey: pair.privateKey } as RsaKeyPair,
      cert,
    };
    // The honest signature verifies: the key itself is fine.
    await accepted(await makeCms({ signer: holder }));
    const digestInfoPrefix = Buffer.from(
      '3031300d060960864801650304020105000420',
      'hex',
    );
    const forge = async (signed: Uint8Array) => {
      const prefix = Buffer.concat([
        Buffer.from([0x00, 0x01, 0xff, 0x00]),
        digestInfoPrefix,
        await sha256(signed),
      ]);
      const shift = BigInt(8 * (256 - prefix.length));
      const target = BigInt(`0x${prefix.toString('hex')}`) << shift;
      let root = cubeRoot(target);
      while (root ** 3n < target) root++;
      // The cube does carry the padding, the DigestInfo and the digest.
      const cube = (root ** 3n).toString(16).padStart(512, '0');
      assert.ok(cube.startsWith(prefix.toString('hex')));
      return Uint8Array.from(
        Buffer.from(root.toString(16).padStart(512, '0'), 'hex'),
      );
    };
    await refused(
      await makeCms({ signer: holder, signature: forge }),
      'SIGNATURE_INVALID',
    );
  });
});

/** ⌊∛n⌋ by Newton's method. */
function cubeRoot(n: bigint): bigint {
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 3));
  for (;;) {
    const next = (2n * x + n / (x * x)) / 3n;
    if (next >= x) return x;
    x = next;
  }
}

describe('names, continued', () => {
  it('an issuer name that differs only in case: chains (RFC 4518)', async () => {
    // caseIgnoreMatch, as pkijs compared; the CA's signature still has
    // to verify, so this only picks which CA is tried.
    const holder = await newUser();
    holder.cert = await byIssuer(holder.cert, (f) => {
      const out = [...f];
      out[F.issuer] = seq(
        set(seq(oid('2.5.4.3'), tlv(0x0c, ascii('Revocation Issuing Test')))),
        set(seq(oid('2.5.4.6'), tlv(0x13, ascii('kz')))),
      );
      return out;
    });
    await accepted(await makeCms({ signer: holder }));
  });
});

describe('PEM armour', () => {
  it('340 KB of BEGIN lines without an END: refused at once', async () => {
    // fromPem's lazy regular expression scanned to the end from every
    // BEGIN: this took 4 s of the server's one thread.
    const text = '-----BEGIN CMS-----'.repeat(18000);
    const started = performance.now();
    await refused(text, 'SIGNATURE_MALFORMED');
    const ms = performance.now() - started;
    assert.ok(ms < 200, `took ${Math.round(ms)} ms`);
  });

  it('labels that differ, or text around the block', async () => {
    const der = await makeCms({ signer: user });
    const pem = toPem('CMS', der);
    await refused(pem.replace('END CMS', 'END PKCS7'), 'SIGNATURE_MALFORMED');
    await accepted(`Signature:\n${pem}\nthanks`);
    await refused(pem.replace('-----END CMS-----', ''), 'SIGNATURE_MALFORMED');
  });
});

describe('sizes', () => {
  it('a certificate with 20,000 tiny extensions: read quickly', async () => {
    const holder = await newUser();
    const many = Array.from({ length: 20000 }, (_, i) =>
      extension(`1.2.${i}`, new Uint8Array()),
    );
    holder.cert = await byIssuer(holder.cert, (f) => {
      const out = [...f];
      const i = out.findIndex((x) => x[0] === 0xa3);
      out[i] = tlv(0xa3, seq(...parts(parts(out[i]!)[0]!), ...many));
      return out;
    });
    const cms = await makeCms({ signer: holder });
    assert.ok(cms.length < 256 * 1024, `${cms.length} bytes`);
    const started = performance.now();
    await accepted(cms);
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `took ${Math.round(ms)} ms`);
  });
});
