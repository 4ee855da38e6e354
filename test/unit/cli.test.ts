// The qoltanba CLI as a person runs it: the real bin/qoltanba.mjs in a
// child process, on NCA's own key files and signatures, reading its
// output and exit codes.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/qoltanba.mjs', import.meta.url));
const PKI = fileURLToPath(
  new URL('../../../shared/nca-test-pki/', import.meta.url),
);
const noPki = existsSync(PKI) ? false : `NCA test material not found at ${PKI}`;
const pki = (name: string) => join(PKI, name);
// util-linux `script` gives the CLI a terminal, for the hidden prompt.
const noScript =
  spawnSync('script', ['--version']).status === 0
    ? false
    : 'util-linux `script` is not installed (it gives the CLI a terminal)';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with a fixed time zone (validity periods print in local
 * time) and no password in the environment unless one is given.
 */
function qoltanba(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'Asia/Almaty' };
  delete env.QOLTANBA_PASSWORD;
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [BIN, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Asserts the exit code, showing the output when it differs. */
function assertExit(run: Run, code: number): void {
  assert.equal(
    run.code,
    code,
    `exit ${run.code}, expected ${code}\nstdout: ${run.stdout}\n` +
      `stderr: ${run.stderr}`,
  );
}

/** The values printed in "  Label   value" rows, in order. */
function rowsOf(text: string, label: string): string[] {
  const pattern = new RegExp(`^ +${label} {2,}(.*)$`, 'gm');
  return [...text.matchAll(pattern)].map((match) => match[1]!);
}

/** The first such value. */
const row = (text: string, label: string): string | undefined =>
  rowsOf(text, label)[0];

/** Each labelled row's value equals the string or matches the pattern. */
function assertRows(
  text: string,
  expected: Record<string, string | RegExp>,
): void {
  for (const [label, value] of Object.entries(expected)) {
    const shown = row(text, label);
    if (typeof value === 'string') assert.equal(shown, value, label);
    else assert.match(shown ?? '', value, label);
  }
}

let temp = '';
before(() => {
  temp = mkdtempSync(join(tmpdir(), 'qoltanba-cli-'));
});
after(() => {
  rmSync(temp, { recursive: true, force: true });
});

describe('qoltanba inspect', { skip: noPki, concurrency: true }, () => {
  const GOST = pki('gost2015_individual_valid.p12');
  const RSA = pki('rsa_individual_auth_revoked_2022.p12');

  it('shows the GOST key, the password from the environment', async () => {
    const run = await qoltanba(['inspect', GOST], {
      env: { QOLTANBA_PASSWORD: 'Qwerty12' },
    });
    assertExit(run, 0);
    assert.match(run.stdout, /^gost2015_individual_valid\.p12: 1 key$/m);
    assertRows(run.stdout, {
      Owner: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ',
      IIN: /^123456789011\b/,
      Validity: '08.05.2026 (11:45) - 08.05.2027 (11:45)',
      Serial: '6c425659bd2fc6dc587b871aede1857727cf8451',
      Issuer: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022',
      Algorithm: 'ГОСТ 34.10-2015 512',
      Purpose: /^both\b/,
      Holder: 'individual',
    });
    assert.doesNotMatch(run.stdout + run.stderr, /Qwerty12/);
  });

  it('reads the password from stdin and prints JSON', async () => {
    const args = ['inspect', GOST, '--password-stdin', '--json'];
    const run = await qoltanba(args, { input: 'Qwerty12\n' });
    assertExit(run, 0);
    const out = JSON.parse(run.stdout);
    assert.equal(out.keys.length, 1);
    const cert = out.keys[0].certificate;
    assert.equal(cert.fullName, 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ');
    assert.equal(cert.iin, '123456789011');
    assert.equal(cert.algorithmName, 'ГОСТ 34.10-2015 512');
    assert.equal(cert.purpose, 'both');
    assert.equal(cert.holder, 'individual');
    assert.equal(cert.notBefore, '2026-05-08T06:45:13.000Z');
    assert.equal(cert.notAfter, '2027-05-08T06:45:13.000Z');
    assert.equal(out.keys[0].keyAlgorithmOid, '1.2.398.3.10.1.1.2.2');
  });

  it('shows the RSA AUTH key, the password from stdin', async () => {
    const run = await qoltanba(['inspect', RSA, '--password-stdin'], {
      input: 'Qwerty12',
    });
    assertExit(run, 0);
    assertRows(run.stdout, {
      Owner: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ',
      Validity: '18.01.2022 (10:39) - 18.01.2023 (10:39)',
      Serial: '1ab11253653b2537f2edd55f0f66281ca4fa3f98',
      Issuer: 'ҰКО 3.0 (RSA TEST)',
      Algorithm: 'RSA 2048',
      Purpose: /^auth\b/,
      Holder: 'individual',
      Status: /^expired on 18\.01\.2023/,
    });
  });

  it('a wrong password exits 4 and says so', async () => {
    const run = await qoltanba(['inspect', GOST], {
      env: { QOLTANBA_PASSWORD: 'Qwerty13' },
    });
    assertExit(run, 4);
    assert.match(run.stderr, /password .* is wrong/);
    assert.equal(run.stdout, '');
    const json = await qoltanba(['inspect', GOST, '--json'], {
      env: { QOLTANBA_PASSWORD: 'Qwerty13' },
    });
    assertExit(json, 4);
    assert.equal(JSON.parse(json.stdout).error.code, 'WRONG_PASSWORD');
  });

  it('a certificate is not a key file: exit 5', async () => {
    const cer = pki('rsa_individual_auth_2022.cer');
    const run = await qoltanba(['inspect', cer], {
      env: { QOLTANBA_PASSWORD: 'Qwerty12' },
    });
    assertExit(run, 5);
    assert.match(run.stderr, /is not a key file/);
  });

  it('an unknown MAC algorithm is unsupported: exit 7', async () => {
    const bytes = new Uint8Array(readFileSync(GOST));
    // The MAC's digest, SHA-1 (06 05 2b 0e 03 02 1a), made 1.3.14.3.2.27.
    const at = Buffer.from(bytes).indexOf(Buffer.from('06052b0e03021a', 'hex'));
    assert.ok(at > 0, 'the MAC digest OID is where NCA puts it');
    bytes[at + 6] = 0x1b;
    const file = join(temp, 'unknown-mac.p12');
    writeFileSync(file, bytes);
    const run = await qoltanba(['inspect', file, '--json'], {
      env: { QOLTANBA_PASSWORD: 'Qwerty12' },
    });
    assertExit(run, 7);
    assert.equal(JSON.parse(run.stdout).error.code, 'UNSUPPORTED_ALGORITHM');
  });

  it('a key file cut short is damaged: exit 8', async () => {
    const file = join(temp, 'cut.p12');
    writeFileSync(file, readFileSync(GOST).subarray(0, 900));
    const run = await qoltanba(['inspect', file], {
      env: { QOLTANBA_PASSWORD: 'Qwerty12' },
    });
    assertExit(run, 8);
    assert.match(run.stderr, /damaged or incomplete/);
  });

  it('prompts on a terminal without echoing the password', {
    skip: noScript,
  }, async () => {
    const command = [process.execPath, BIN, 'inspect', GOST]
      .map((arg) => JSON.stringify(arg))
      .join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'Asia/Almaty' };
    delete env.QOLTANBA_PASSWORD;
    const child = spawn('script', ['-qec', command, '/dev/null'], { env });
    let output = '';
    let typed = false;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      if (!typed && output.includes('Password for')) {
        typed = true;
        // A typo put right with Backspace, then Enter.
        child.stdin.write('Qwerty1x\u007f2\r');
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    assert.equal(code, 0, output);
    assert.match(output, /Password for gost2015_individual_valid\.p12: /);
    assert.match(output, /Algorithm +ГОСТ 34\.10-2015 512/);
    assert.doesNotMatch(output, /Qwerty/);
  });

  for (const args of [
    ['--password', 'Qwerty12'],
    ['--password=Qwerty12'],
  ]) {
    it(`refuses ${args[0]!.split('=')[0]} as ${args.join(' ')}`, async () => {
      const run = await qoltanba(['inspect', GOST, ...args]);
      assertExit(run, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /never taken as an argument/);
      assert.match(run.stderr, /shell history/);
    });
  }

  it('with no terminal and no password source: exit 2', async () => {
    const run = await qoltanba(['inspect', GOST]);
    assertExit(run, 2);
    assert.match(run.stderr, /QOLTANBA_PASSWORD/);
  });

  it('a missing file: exit 3', async () => {
    const run = await qoltanba(['inspect', join(temp, 'none.p12')], {
      env: { QOLTANBA_PASSWORD: 'x' },
    });
    assertExit(run, 3);
    assert.match(run.stderr, /no such file/);
  });
});

describe('qoltanba verify', { skip: noPki, concurrency: true }, () => {
  const ATTACHED_RSA = pki('cms_attached_rsa.der');
  const ATTACHED_TWO = pki('cms_attached_gost2015_and_rsa.der');
  const DETACHED = pki('cms_detached_two_signers.der');
  // Both certificates of the two-signer CMS are within their CAs'
  // validity then; the RSA CA expired in 2024.
  const SIGNING_DAY = '2022-09-28T12:00:00Z';
  let content = '';
  let anchors = '';
  let gostOnly = '';

  before(() => {
    content = join(temp, 'content.txt');
    writeFileSync(content, 'test123');
    anchors = join(temp, 'anchors');
    gostOnly = join(temp, 'gost-anchors');
    mkdirSync(anchors);
    mkdirSync(gostOnly);
    for (const name of [
      'nca_gost_2022_test.cer',
      'root_gost_2022_test.cer',
      'nca_rsa_test.crt',
    ]) {
      copyFileSync(pki(name), join(anchors, name));
    }
    copyFileSync(
      pki('root_gost_2022_test.cer'),
      join(gostOnly, 'root_gost_2022_test.cer'),
    );
  });

  it('an attached RSA signature is valid', async () => {
    const run = await qoltanba(['verify', ATTACHED_RSA]);
    assertExit(run, 0);
    assert.match(run.stdout, /attached content of 7 bytes, 1 signer/);
    assertRows(run.stdout, {
      Name: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ',
      IIN: '123456789011',
      Algorithm: 'RSA 2048, SHA-256',
      'Signing time': '28.09.2022 (20:40)',
      Signature: 'valid',
      Chain: /^not checked/,
    });
    assert.match(run.stdout, /^VALID: every signature is valid\./m);
  });

  it('prints JSON with each verdict', async () => {
    const run = await qoltanba(['verify', ATTACHED_TWO, '--json']);
    assertExit(run, 0);
    const out = JSON.parse(run.stdout);
    assert.equal(out.valid, true);
    assert.equal(out.detached, false);
    assert.equal(out.contentLength, 7);
    assert.deepEqual(
      out.signers.map((s: { name: string; iin: string }) => [s.name, s.iin]),
      [
        ['ТЕСТТОВ ТЕСТТ ТЕСТТОВИЧ', '123456789012'],
        ['ТЕСТОВ ТЕСТ ТЕСТОВИЧ', '123456789011'],
      ],
    );
    const [gost, rsa] = out.signers;
    assert.equal(gost.certificate.algorithmName, 'ГОСТ 34.10-2015 512');
    assert.equal(gost.digestAlgorithm.name, 'Streebog-512');
    assert.equal(rsa.signatureAlgorithm.name, 'RSA with SHA-256');
    for (const signer of out.signers) {
      assert.equal(signer.signatureValid, true);
      assert.equal(signer.chainValid, null);
      assert.equal(signer.valid, true);
    }
  });

  it('reads base64 and PEM as well as DER', async () => {
    const der = readFileSync(ATTACHED_RSA);
    const base64 = join(temp, 'rsa.b64');
    const pem = join(temp, 'rsa.pem');
    writeFileSync(base64, der.toString('base64'));
    const lines = der.toString('base64').match(/.{1,64}/g)!.join('\n');
    writeFileSync(pem, `-----BEGIN CMS-----\n${lines}\n-----END CMS-----\n`);
    for (const file of [base64, pem]) {
      const run = await qoltanba(['verify', file, '--json']);
      assertExit(run, 0);
      assert.equal(JSON.parse(run.stdout).signers[0].signatureValid, true);
    }
  });

  it('a detached signature verifies with --content', async () => {
    const run = await qoltanba(['verify', DETACHED, '--content', content]);
    assertExit(run, 0);
    assert.match(run.stdout, /detached content of 7 bytes, 2 signers/);
    assert.deepEqual(rowsOf(run.stdout, 'Signature'), ['valid', 'valid']);
  });

  it('a detached signature without --content: exit 9', async () => {
    const run = await qoltanba(['verify', DETACHED]);
    assertExit(run, 9);
    assert.match(run.stderr, /detached.*--content FILE/s);
  });

  it('a detached signature over other content: exit 1', async () => {
    const other = join(temp, 'other.txt');
    writeFileSync(other, 'test124');
    const run = await qoltanba(['verify', DETACHED, '--content', other]);
    assertExit(run, 1);
    const signatures = rowsOf(run.stdout, 'Signature');
    assert.equal(signatures.length, 2);
    for (const verdict of signatures) assert.match(verdict, /^NOT VALID/);
    assert.match(run.stdout, /^NOT VALID: 2 of 2 signer\(s\) failed\.$/m);
  });

  it('chains to the trust anchors at the signing time', async () => {
    const checks = [[ATTACHED_TWO], [DETACHED, '--content', content]];
    for (const [file, ...more] of checks) {
      const run = await qoltanba([
        'verify',
        file!,
        ...more,
        '--trust-anchors',
        anchors,
        '--at',
        SIGNING_DAY,
        '--json',
      ]);
      assertExit(run, 0);
      const out = JSON.parse(run.stdout);
      assert.equal(out.valid, true);
      assert.equal(out.trustAnchors, 3);
      assert.deepEqual(
        out.signers.map((s: { chainValid: boolean }) => s.chainValid),
        [true, true],
      );
    }
  });

  it('once the RSA CA has expired, its signer does not chain', async () => {
    const run = await qoltanba([
      'verify',
      ATTACHED_TWO,
      '--trust-anchors',
      anchors,
      '--at',
      '2025-06-01T00:00:00Z',
    ]);
    assertExit(run, 1);
    const chains = rowsOf(run.stdout, 'Chain');
    assert.match(chains[0]!, /^valid/);
    assert.match(chains[1]!, /^NOT VALID/);
  });

  it('a signer whose CA is not trusted does not chain', async () => {
    const run = await qoltanba([
      'verify',
      ATTACHED_RSA,
      '--trust-anchors',
      gostOnly,
      '--at',
      SIGNING_DAY,
      '--json',
    ]);
    assertExit(run, 1);
    const out = JSON.parse(run.stdout);
    assert.equal(out.valid, false);
    assert.equal(out.signers[0].signatureValid, true);
    assert.equal(out.signers[0].chainValid, false);
  });

  it('a tampered copy is not valid', async () => {
    const bytes = readFileSync(ATTACHED_RSA);
    const at = bytes.indexOf('test123');
    assert.ok(at > 0, 'the content is attached');
    const changed = Buffer.from(bytes);
    changed[at + 6] = '4'.charCodeAt(0);
    const file = join(temp, 'tampered.der');
    writeFileSync(file, changed);
    const run = await qoltanba(['verify', file]);
    assertExit(run, 1);
    assert.match(row(run.stdout, 'Signature') ?? '', /^NOT VALID/);

    // Any bit, anywhere in the signer's part, fails too (exit 1 or 5).
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 40]! ^= 0x01;
    writeFileSync(file, flipped);
    const again = await qoltanba(['verify', file]);
    assert.notEqual(again.code, 0, again.stdout);
  });

  it('a certificate is not a CMS: exit 5, and it says so', async () => {
    const run = await qoltanba(['verify', pki('root_gost_2022_test.cer')]);
    assertExit(run, 5);
    assert.match(run.stderr, /This is a certificate, not a signature/);
  });

  it('a key file is not a CMS: exit 5, pointing to inspect', async () => {
    const run = await qoltanba(['verify', pki('gost2015_individual_valid.p12')]);
    assertExit(run, 5);
    assert.match(run.stderr, /key file \(PKCS#12\), not a signature/);
    assert.match(run.stderr, /qoltanba inspect/);
  });

  it('a file of another kind is not a CMS: exit 5, no parser talk', async () => {
    const run = await qoltanba(['verify', pki('README.md')]);
    assertExit(run, 5);
    assert.match(run.stderr, /This file is not a CMS signature\./);
    assert.doesNotMatch(run.stderr, /tag|ASN|DER \(/);
  });

  it('an empty trust anchor folder is refused: exit 3', async () => {
    const empty = join(temp, 'empty-anchors');
    mkdirSync(empty);
    const run = await qoltanba([
      'verify',
      ATTACHED_RSA,
      '--trust-anchors',
      empty,
    ]);
    assertExit(run, 3);
    assert.match(run.stderr, /holds no certificate files/);
  });

  it('a time that is not ISO 8601: exit 2', async () => {
    const run = await qoltanba(['verify', ATTACHED_RSA, '--at', 'yesterday']);
    assertExit(run, 2);
    assert.match(run.stderr, /not an ISO 8601 time/);
  });
});

describe('qoltanba iin', { concurrency: true }, () => {
  it('decodes a valid IIN', async () => {
    const run = await qoltanba(['iin', '850115300011']);
    assertExit(run, 0);
    assert.match(run.stdout, /^850115300011: valid$/m);
    assert.equal(row(run.stdout, 'Birth date'), '15.01.1985');
    assert.equal(row(run.stdout, 'Sex'), 'male');
    const json = await qoltanba(['iin', '900625400121', '--json']);
    assertExit(json, 0);
    assert.deepEqual(JSON.parse(json.stdout), {
      iin: '900625400121',
      valid: true,
      birthDate: '1990-06-25',
      sex: 'female',
    });
  });

  it('gives the reason a check digit is wrong: exit 1', async () => {
    const run = await qoltanba(['iin', '850115300012']);
    assertExit(run, 1);
    assert.match(run.stdout, /not valid: the last \(check\) digit/);
    const json = await qoltanba(['iin', '850115300012', '--json']);
    assertExit(json, 1);
    assert.equal(JSON.parse(json.stdout).problem, 'checksum');
  });

  it('names the NCA test IINs', async () => {
    const run = await qoltanba(['iin', '123456789011', '--json']);
    assertExit(run, 1);
    assert.equal(JSON.parse(run.stdout).ncaTestIin, true);
  });
});

describe('qoltanba usage', { concurrency: true }, () => {
  for (const command of ['inspect', 'verify', 'iin']) {
    it(`${command} --help documents its exit codes`, async () => {
      const run = await qoltanba([command, '--help']);
      assertExit(run, 0);
      assert.match(run.stdout, new RegExp(`^Usage: qoltanba ${command} `));
      assert.match(run.stdout, /Exit codes:/);
      assert.match(run.stdout, /--json/);
    });
  }

  it('an unknown command or option: exit 2', async () => {
    assertExit(await qoltanba(['sign', 'x']), 2);
    const run = await qoltanba(['iin', '850115300011', '--bogus']);
    assertExit(run, 2);
    assert.match(run.stderr, /qoltanba iin --help/);
  });

  it('--json reports a usage error as JSON', async () => {
    const run = await qoltanba(['iin', '--json']);
    assertExit(run, 2);
    assert.equal(JSON.parse(run.stdout).error.code, 'USAGE');
  });
});
