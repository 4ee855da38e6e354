/**
 * Dates are shown in Almaty's time zone, whatever the browser's: the test
 * browser runs in the machine's zone (UTC in CI), so an instant just
 * before midnight UTC is already the next day in Almaty (UTC+5).
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { EdsLogin } from '../../src/components/eds-login.js';
import '../../src/define/index.js';
import {
  DEFAULT_TIME_ZONE,
  getTimeZone,
  setTimeZone,
} from '../../src/index.js';
import {
  formatDate,
  formatDateTime,
  formatPeriod,
} from '../../src/messages/format.js';
import {
  chooseFile,
  clickButton,
  text,
  typeInto,
  waitFor,
} from './support/dom.js';
import { FakeBackend } from './support/fake-backend.js';
import { certificate, FakeKeyFile, PASSWORD } from './support/fake-signer.js';

// 20:30 UTC on 10 March 2026: 01:30 on 11 March in Almaty.
const LATE_EVENING_UTC = new Date('2026-03-10T20:30:00Z');

describe('time zone of shown dates', () => {
  afterEach(() => setTimeZone(null));

  it('is Almaty by default, not the browser zone', () => {
    expect(DEFAULT_TIME_ZONE).to.equal('Asia/Almaty');
    expect(getTimeZone()).to.equal('Asia/Almaty');
    expect(formatDate(LATE_EVENING_UTC)).to.equal('11.03.2026');
    expect(formatDateTime(LATE_EVENING_UTC)).to.equal('11.03.2026 (01:30)');
    // Midnight is 00:00, never 24:00.
    const midnight = new Date('2026-03-10T19:00:00Z');
    expect(formatDateTime(midnight)).to.equal('11.03.2026 (00:00)');
  });

  it('can be set for the page, or per call', () => {
    setTimeZone('UTC');
    expect(formatDateTime(LATE_EVENING_UTC)).to.equal('10.03.2026 (20:30)');
    expect(
      formatPeriod(LATE_EVENING_UTC, LATE_EVENING_UTC, 'Asia/Almaty'),
    ).to.equal('11.03.2026 (01:30) - 11.03.2026 (01:30)');
    setTimeZone(null);
    expect(getTimeZone()).to.equal('Asia/Almaty');
  });

  it('refuses a zone the browser does not know and keeps the old one', () => {
    expect(() => setTimeZone('Asia/Nowhere')).to.throw(RangeError);
    expect(getTimeZone()).to.equal('Asia/Almaty');
  });

  describe('in <eds-login>', () => {
    let backend: FakeBackend;
    beforeEach(() => {
      backend = new FakeBackend().install();
    });
    afterEach(() => backend.uninstall());

    it("shows a key's validity in Almaty's dates", async () => {
      const keys = new FakeKeyFile();
      keys.choices = [
        {
          id: 'auth',
          info: certificate({
            notBefore: LATE_EVENING_UTC,
            notAfter: new Date('2031-03-10T20:30:00Z'),
          }),
        },
      ];
      const el = await fixture<EdsLogin>(
        html`<eds-login lang="en" .keyRingLoader=${keys.loader}></eds-login>`,
      );
      await waitFor(el, 'form[part="key-form"]');
      await chooseFile(el, '#key-file', new Uint8Array([0x30]));
      await typeInto(el, '#password', PASSWORD);
      await clickButton(el, 'Refresh key list');
      const list = await waitFor(el, '[part="key-list"]');
      expect(text(list)).to.contain(
        'Validity 11.03.2026 (01:30) - 11.03.2031 (01:30)',
      );

      // A portal elsewhere sets its own zone; the element follows.
      setTimeZone('UTC');
      await el.updateComplete;
      expect(text(list)).to.contain(
        'Validity 10.03.2026 (20:30) - 10.03.2031 (20:30)',
      );
    });
  });
});
