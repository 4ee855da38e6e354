import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ApiErrorCode } from '../../src/api/protocol.js';
import type { IinLinkForm } from '../../src/components/iin-link-form.js';
import {
  QoltanbaLoginEvent,
  type QoltanbaErrorEvent,
} from '../../src/events.js';
import '../../src/define/index.js';
import {
  $,
  clickButton,
  deepActiveElement,
  leave,
  maybe,
  pasteInto,
  text,
  typeInto,
  waitFor,
  waitForStatus,
} from './support/dom.js';
import {
  CHILD_AIGERIM,
  CHILD_ALIKHAN,
  FakeBackend,
  PARENT,
} from './support/fake-backend.js';

let backend: FakeBackend;

async function mount(lang = 'en'): Promise<IinLinkForm> {
  const el = await fixture<IinLinkForm>(
    html`<iin-link-form lang=${lang}></iin-link-form>`,
  );
  // fixture() awaited updateComplete, which waits for GET /me.
  expect(backend.calls('GET /me')).to.have.length(1);
  return el;
}

async function errorFor(el: IinLinkForm, typed: string): Promise<string> {
  const input = $<HTMLInputElement>(el, '#iin');
  input.value = '';
  input.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await typeInto(el, '#iin', typed);
  await leave(el);
  return text(maybe(el, '#iin-error'));
}

describe('<iin-link-form>', () => {
  beforeEach(() => {
    backend = new FakeBackend().install();
    backend.loggedIn = true;
  });
  afterEach(() => backend.uninstall());

  it('has a labelled numeric IIN field with a hint', async () => {
    const el = await mount();
    const input = $<HTMLInputElement>(el, '#iin');
    expect(text($(el, 'label[for="iin"]'))).to.equal("Child's IIN");
    expect(input.inputMode).to.equal('numeric');
    expect(input.getAttribute('aria-describedby')).to.equal('iin-hint');
    expect(input.hasAttribute('aria-invalid')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('shows errors on leaving the field, not while typing', async () => {
    const el = await mount();
    await typeInto(el, '#iin', '2012');
    expect(maybe(el, '#iin-error')).to.equal(null);
    await leave(el);
    const input = $(el, '#iin');
    expect(text($(el, '#iin-error'))).to.equal(
      'Error: The IIN must be 12 digits long',
    );
    expect($(el, '#iin-error .visually-hidden').textContent).to.equal(
      'Error:',
    );
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.equal(
      'iin-hint iin-error',
    );
    await expect(el).to.be.accessible();

    // Fixing it removes the error at once.
    await typeInto(el, '#iin', '05500031');
    expect(maybe(el, '#iin-error')).to.equal(null);
    expect(input.hasAttribute('aria-invalid')).to.equal(false);
  });

  it('re-checks as the user types once an error has shown', async () => {
    const el = await mount();
    const input = $<HTMLInputElement>(el, '#iin');
    const retype = async (value: string) => {
      input.select();
      await sendKeys({ type: value });
      await el.updateComplete;
    };
    await typeInto(el, '#iin', '20120550003a');
    await clickButton(el, 'Add');
    expect(text($(el, '#iin-error'))).to.equal(
      'Error: The IIN must contain only digits',
    );

    // Still in the field: the error follows the value at once.
    await retype('201205500032');
    expect(deepActiveElement()).to.equal(input);
    expect(text($(el, '#iin-error'))).to.equal(
      'Error: This IIN does not exist: the last digit does not match. ' +
        'Check every digit',
    );
    expect(maybe(el, '[part="birth-date"]')).to.equal(null);

    // A valid IIN of a child too old: no date beside the error.
    await retype('191111600032');
    expect(text($(el, '#iin-error'))).to.equal(
      'Error: The child must be under 7: the kindergarten queue is for ' +
        'younger children',
    );
    expect(maybe(el, '[part="birth-date"]')).to.equal(null);
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();

    await retype(CHILD_AIGERIM.iin);
    expect(maybe(el, '#iin-error')).to.equal(null);
    expect(input.hasAttribute('aria-invalid')).to.equal(false);
    expect(input.getAttribute('aria-describedby')).to.equal('iin-hint');
    expect(maybe(el, '[part="birth-date"]')).to.not.equal(null);
    expect(deepActiveElement()).to.equal(input);
  });

  it('reports each IIN problem separately', async () => {
    const el = await mount();
    const cases: Array<[string, string]> = [
      ['2012o5500031', 'The IIN must contain only digits'],
      ['20120550003', 'The IIN must be 12 digits long'],
      ['201205000031', 'The 7th digit of the IIN must be from 1 to 6'],
      [
        '201305500031',
        'The first 6 digits of the IIN must be a real date of birth ' +
          '(year, month, day)',
      ],
      [
        '201205500032',
        'This IIN does not exist: the last digit does not match. Check ' +
          'every digit',
      ],
      [
        '191111600032',
        'The child must be under 7: the kindergarten queue is for younger ' +
          'children',
      ],
      [PARENT.iin, 'This is your own IIN. Enter the IIN of your child'],
    ];
    for (const [typed, message] of cases) {
      expect(await errorFor(el, typed), typed).to.equal(`Error: ${message}`);
    }
    expect(backend.calls('POST /children')).to.have.length(0);
  });

  it('asks for an IIN on an empty submit and focuses the field', async () => {
    const el = await mount();
    await clickButton(el, 'Add');
    expect(text($(el, '#iin-error'))).to.equal(
      'Error: Enter the IIN of your child',
    );
    expect(deepActiveElement()).to.equal($(el, '#iin'));
    expect(backend.calls('POST /children')).to.have.length(0);
  });

  it('refuses a child of 7 or older before sending', async () => {
    const el = await mount();
    await typeInto(el, '#iin', '191111600032');
    await clickButton(el, 'Add');
    expect(text($(el, '#iin-error'))).to.contain('under 7');
    expect(backend.calls('POST /children')).to.have.length(0);
  });

  it('cleans pasted spaces and dashes, and reports extra digits', async () => {
    const el = await mount();
    await pasteInto(el, '#iin', '2012 0550-0031');
    expect($<HTMLInputElement>(el, '#iin').value).to.equal('201205500031');
    // A 13th digit may be the typo, so it is shown and refused, not cut.
    await pasteInto(el, '#iin', '201205500031 9');
    expect($<HTMLInputElement>(el, '#iin').value).to.equal('2012055000319');
    await leave(el);
    expect(text(maybe(el, '#iin-error'))).to.match(/12 digits/);
  });

  it("drops the backend's refusal once the IIN is changed", async () => {
    const el = await mount();
    backend.linked = [CHILD_AIGERIM];
    await typeInto(el, '#iin', CHILD_AIGERIM.iin);
    await clickButton(el, 'Add');
    await waitFor(el, '[role="alert"]');
    await typeInto(el, '#iin', '1');
    await el.updateComplete;
    expect(maybe(el, '[role="alert"]')).to.equal(null);
  });

  it('shows the birth date a valid IIN encodes', async () => {
    const el = await mount();
    await typeInto(el, '#iin', '230901601012');
    expect(text($(el, '[part="birth-date"]'))).to.equal(
      'Date of birth: 1 September 2023',
    );
    el.lang = 'ru';
    await el.updateComplete;
    expect(text($(el, '[part="birth-date"]'))).to.equal(
      'Дата рождения: 1 сентября 2023 г.',
    );
    el.lang = 'kk';
    await el.updateComplete;
    expect(text($(el, '[part="birth-date"]'))).to.equal(
      'Туған күні: 2023 ж. 1 қыркүйек',
    );
  });

  it('links a child and says so in Kazakh', async () => {
    const el = await mount('kk');
    expect(text($(el, 'h2'))).to.equal('Байластыру');
    await typeInto(el, '#iin', CHILD_AIGERIM.iin);
    const linked = oneEvent(document, 'qoltanba-child-linked');
    await clickButton(el, 'Қосу');
    const event = await linked;
    expect(event.detail.child).to.deep.equal(CHILD_AIGERIM);
    expect(event.bubbles && event.composed).to.equal(true);
    await waitForStatus(el, 'Туыстық расталды, деректер сәтті жаңартылды');
    const [request] = backend.calls('POST /children');
    expect(request!.body).to.deep.equal({ iin: CHILD_AIGERIM.iin });
    expect(request!.headers.get('X-Qoltanba')).to.equal('1');
    expect(request!.credentials).to.equal('include');
    expect($<HTMLInputElement>(el, '#iin').value).to.equal('');
    // The flow ends on the control that started it.
    await el.updateComplete;
    expect(deepActiveElement()).to.equal($(el, '[part="submit-button"]'));
    await expect(el).to.be.accessible();
  });

  it('says the success in Russian and English too', async () => {
    const ru = await mount('ru');
    await typeInto(ru, '#iin', CHILD_AIGERIM.iin);
    await clickButton(ru, 'Добавить');
    await waitForStatus(ru, 'Родство подтверждено, данные успешно обновлены');

    backend.linked = [];
    ru.lang = 'en';
    await ru.updateComplete;
    expect(text($(ru, '[role="status"]'))).to.equal(
      'Kinship confirmed, data updated successfully',
    );
  });

  it('renders each refusal of the backend with its own message', async () => {
    const expected: Partial<Record<ApiErrorCode, string>> = {
      CHILD_NOT_FOUND:
        'No kindergarten queue application was found for this IIN. Check ' +
        'the IIN, or file an application first.',
      ALREADY_LINKED: 'This child is already linked to your account.',
      LINKED_TO_OTHER:
        'This child is already linked to another account. Contact the ' +
        'education department if this is a mistake.',
      KINSHIP_NOT_CONFIRMED:
        'Kinship was not confirmed: the civil registry does not list you ' +
        'as a parent of this child.',
      EMAIL_REQUIRED:
        'Give your email address first: the portal asks for it before you ' +
        'link a child.',
    };
    const setups: Record<string, () => string> = {
      CHILD_NOT_FOUND: () => {
        backend.registry.delete(CHILD_AIGERIM.iin);
        return CHILD_AIGERIM.iin;
      },
      ALREADY_LINKED: () => {
        backend.linked = [CHILD_AIGERIM];
        return CHILD_AIGERIM.iin;
      },
      LINKED_TO_OTHER: () => {
        backend.registry.get(CHILD_AIGERIM.iin)!.linkedToOther = true;
        return CHILD_AIGERIM.iin;
      },
      KINSHIP_NOT_CONFIRMED: () => {
        backend.registry.get(CHILD_AIGERIM.iin)!.parentIin = '900625400121';
        return CHILD_AIGERIM.iin;
      },
      // GET /me said nothing was missing, yet the backend asks for it.
      EMAIL_REQUIRED: () => {
        backend.failNext('POST /children', 'EMAIL_REQUIRED');
        return CHILD_AIGERIM.iin;
      },
    };
    for (const [code, message] of Object.entries(expected)) {
      backend.uninstall();
      backend = new FakeBackend().install();
      backend.loggedIn = true;
      const iin = setups[code]!();
      const el = await mount();
      await typeInto(el, '#iin', iin);
      const reported = oneEvent(el, 'qoltanba-error');
      await clickButton(el, 'Add');
      expect((await reported).detail).to.deep.equal({
        code,
        source: 'iin-link-form',
      });
      const alert = await waitFor(el, '[role="alert"]');
      expect(text(alert), code).to.equal(`Error: ${message}`);
      expect(alert.dataset.code).to.equal(code);
      expect(deepActiveElement()).to.equal(alert);
      // The IIN stays for a correction or a retry.
      expect($<HTMLInputElement>(el, '#iin').value).to.equal(iin);
      await expect(el).to.be.accessible();
    }
  });

  it('offers to log in again when the session has expired', async () => {
    const el = await mount();
    await typeInto(el, '#iin', CHILD_AIGERIM.iin);
    backend.failNext('POST /children', 'SESSION_EXPIRED');
    await clickButton(el, 'Add');
    const alert = await waitFor(el, '[role="alert"]');
    expect(text(alert)).to.contain('Your session has expired. Log in again.');
    const request = oneEvent(el, 'qoltanba-login-request');
    await clickButton(el, 'Log in again');
    await request;

    // A new login clears the stale error; the IIN is still there.
    document.dispatchEvent(
      new QoltanbaLoginEvent({ user: PARENT, needsEmail: false }),
    );
    await el.updateComplete;
    expect(maybe(el, '[role="alert"]')).to.equal(null);
    await clickButton(el, 'Add');
    await waitForStatus(el, 'Kinship confirmed, data updated successfully');
  });

  it('keeps the IIN when the network drops and retries', async () => {
    const el = await mount();
    await typeInto(el, '#iin', CHILD_AIGERIM.iin);
    backend.offline = true;
    await clickButton(el, 'Add');
    const alert = await waitFor(el, '[role="alert"]');
    expect(alert.dataset.code).to.equal('NETWORK');
    expect($<HTMLInputElement>(el, '#iin').value).to.equal(CHILD_AIGERIM.iin);
    backend.offline = false;
    await clickButton(el, 'Try again');
    await waitForStatus(el, 'Kinship confirmed, data updated successfully');
    expect(backend.linked).to.deep.equal([CHILD_AIGERIM]);
  });

  it('says so when the backend cannot be reached on load, and retries', async () => {
    backend.offline = true;
    const reported: unknown[] = [];
    const note = (event: QoltanbaErrorEvent) => reported.push(event.detail);
    document.addEventListener('qoltanba-error', note);
    const el = await mount();
    document.removeEventListener('qoltanba-error', note);
    const alert = $(el, '[role="alert"]');
    expect(alert.dataset.code).to.equal('NETWORK');
    expect(text(alert)).to.contain('No connection to the portal.');
    expect(reported).to.deep.equal([
      { code: 'NETWORK', source: 'iin-link-form' },
    ]);
    expect(maybe(el, 'form') === null, 'no form').to.equal(true);
    await expect(el).to.be.accessible();

    backend.offline = false;
    await clickButton(el, 'Try again');
    await waitFor(el, 'form');
    expect(backend.calls('GET /me')).to.have.length(2);
    expect(maybe(el, '[role="alert"]') === null, 'no alert').to.equal(true);
    expect(deepActiveElement()).to.equal($(el, '#iin'));
  });

  it('announces progress in one polite live region', async () => {
    const el = await mount();
    let release!: () => void;
    backend.gate = new Promise((resolve) => (release = resolve));
    await typeInto(el, '#iin', CHILD_AIGERIM.iin);
    await clickButton(el, 'Add');
    await waitForStatus(el, 'Checking kinship…');
    expect(el.shadowRoot!.querySelectorAll('[role="status"]')).to.have.length(
      1,
    );
    release();
    await waitForStatus(el, 'Kinship confirmed, data updated successfully');
  });

  it('asks a logged-out user to log in, then learns who logged in', async () => {
    backend.loggedIn = false;
    const el = await mount();
    expect(maybe(el, 'form')).to.equal(null);
    expect(text($(el, 'section'))).to.contain(
      'Log in with your electronic signature to link a child.',
    );
    await expect(el).to.be.accessible();

    document.dispatchEvent(
      new QoltanbaLoginEvent({ user: PARENT, needsEmail: false }),
    );
    await waitFor(el, 'form');
    expect(await errorFor(el, PARENT.iin)).to.equal(
      'Error: This is your own IIN. Enter the IIN of your child',
    );
  });

  it('asks a first-time user for an email address before the form', async () => {
    backend.needsEmail = true;
    const page = await fixture<HTMLElement>(html`
      <div lang="en">
        <eds-login></eds-login>
        <iin-link-form></iin-link-form>
      </div>
    `);
    const login = page.querySelector('eds-login')!;
    const el = page.querySelector('iin-link-form')!;
    await login.updateComplete;
    await el.updateComplete;
    expect(text($(el, '[part="email-notice"]'))).to.equal(
      'Give your email address first: the portal asks for it before you ' +
        'link a child.',
    );
    expect(maybe(el, 'form')).to.equal(null);
    await expect(el).to.be.accessible();

    await waitFor(login, '[part="email-form"]');
    await typeInto(login, '#email', 'parent@mail.kz');
    await clickButton(login, 'Save');
    await waitFor(el, 'form');
    expect(maybe(el, '[part="email-notice"]')).to.equal(null);
    await typeInto(el, '#iin', CHILD_AIGERIM.iin);
    await clickButton(el, 'Add');
    await waitForStatus(el, 'Kinship confirmed, data updated successfully');
  });

  it('asks for the email address in Kazakh with the first messages', async () => {
    backend.needsEmail = true;
    const el = await mount('kk');
    expect(text($(el, '[part="email-notice"]'))).to.equal(
      'Алдымен электрондық пошта мекенжайыңызды көрсетіңіз: портал оны ' +
        'баланы байластыру алдында сұрайды.',
    );
  });

  it('lets the page veto sending the IIN', async () => {
    const el = await mount();
    await typeInto(el, '#iin', CHILD_AIGERIM.iin);
    const veto = (event: Event) => event.preventDefault();
    document.addEventListener('qoltanba-before-link', veto);
    try {
      const before = oneEvent(document, 'qoltanba-before-link');
      await clickButton(el, 'Add');
      const event = await before;
      expect(event.detail).to.deep.equal({
        iin: CHILD_AIGERIM.iin,
        birthDate: CHILD_AIGERIM.birthDate,
      });
      expect(event.cancelable && event.bubbles && event.composed).to.equal(
        true,
      );
    } finally {
      document.removeEventListener('qoltanba-before-link', veto);
    }
    expect(backend.calls('POST /children')).to.have.length(0);
    expect($<HTMLInputElement>(el, '#iin').value).to.equal(CHILD_AIGERIM.iin);
    expect(text($(el, '[role="status"]'))).to.equal('');
  });
});

describe('<iin-link-form> in a host page form', () => {
  beforeEach(() => {
    backend = new FakeBackend().install();
    backend.loggedIn = true;
  });
  afterEach(() => backend.uninstall());

  async function mountInForm(required = true) {
    const form = await fixture<HTMLFormElement>(html`<form lang="en">
      <fieldset>
        <iin-link-form name="child-iin" ?required=${required}></iin-link-form>
      </fieldset>
      <button type="submit">Send</button>
    </form>`);
    const el = form.querySelector<IinLinkForm>('iin-link-form')!;
    await el.updateComplete;
    return { form, el };
  }

  it('shows only the field and submits the cleaned IIN by name', async () => {
    const { form, el } = await mountInForm();
    expect(el.form === form, 'el.form').to.equal(true);
    expect(maybe(el, '[part="submit-button"]')).to.equal(null);
    expect(maybe(el, 'h2')).to.equal(null);
    await pasteInto(el, '#iin', '2012 0550-0031');
    expect(el.value).to.equal(CHILD_AIGERIM.iin);
    expect(el.validity.valid).to.equal(true);
    expect(new FormData(form).get('child-iin')).to.equal(CHILD_AIGERIM.iin);

    // Stop the real navigation at once; oneEvent resolves too late for it.
    form.addEventListener('submit', (e) => e.preventDefault());
    const submitted = oneEvent(form, 'submit');
    $<HTMLInputElement>(el, '#iin').focus();
    await sendKeys({ press: 'Enter' });
    await submitted;
    // The host page decides what the form does: nothing went to /children.
    expect(backend.calls('POST /children')).to.have.length(0);
    await expect(form).to.be.accessible();
  });

  it('takes part in validation with the IIN reasons', async () => {
    const { form, el } = await mountInForm();
    expect(el.validity.valueMissing).to.equal(true);
    expect(el.validationReason).to.equal('empty');
    expect(el.validationMessage).to.equal('Enter the IIN of your child');

    await typeInto(el, '#iin', '201205500032');
    expect(el.validity.patternMismatch).to.equal(true);
    expect(el.validationReason).to.equal('checksum');
    expect(form.checkValidity()).to.equal(false);

    el.value = '191111600032';
    await el.updateComplete;
    expect(el.validity.customError).to.equal(true);
    expect(el.validationReason).to.equal('too-old');

    // A refused submit shows the reason under the field and focuses it.
    let submitted = false;
    form.addEventListener('submit', (e) => {
      submitted = true;
      e.preventDefault();
    });
    form.requestSubmit();
    await el.updateComplete;
    expect(submitted).to.equal(false);
    expect(text($(el, '#iin-error'))).to.contain('under 7');
    expect(deepActiveElement() === $(el, '#iin'), 'focus').to.equal(true);
    await expect(form).to.be.accessible();

    el.value = CHILD_ALIKHAN.iin;
    await el.updateComplete;
    expect(el.checkValidity()).to.equal(true);
    form.requestSubmit();
    expect(submitted).to.equal(true);
  });

  it('is optional unless required', async () => {
    const { form, el } = await mountInForm(false);
    expect(el.validity.valid).to.equal(true);
    expect(new FormData(form).has('child-iin')).to.equal(false);
  });

  it('empties on reset and follows a disabled fieldset', async () => {
    const { form, el } = await mountInForm();
    await typeInto(el, '#iin', '2012');
    await leave(el);
    expect(maybe(el, '#iin-error')).not.to.equal(null);
    form.reset();
    await el.updateComplete;
    expect(el.value).to.equal('');
    expect($<HTMLInputElement>(el, '#iin').value).to.equal('');
    expect(maybe(el, '#iin-error')).to.equal(null);

    el.value = CHILD_AIGERIM.iin;
    form.querySelector('fieldset')!.disabled = true;
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#iin').disabled).to.equal(true);
    expect(new FormData(form).has('child-iin')).to.equal(false);
  });
});
