/**
 * The eGov Mobile source of `<eds-login>`: a QR code for the phone, a
 * countdown to its expiry, and polling until the phone has signed. A
 * reactive controller with its template, loaded only when a user chooses
 * eGov, because the QR encoder alone weighs a third of the element (#7).
 */
import { msg, str } from '@lit/localize';
import { html, type ReactiveController, type TemplateResult } from 'lit';
import type { EgovStartResponse } from '../api/egov-protocol.js';
import { qrSvg } from './egov-qr.js';
import type { LoginStatus, SourceContext } from './eds-login-parts.js';

export class EgovSource implements ReactiveController {
  #session: EgovStartResponse | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #poll: ReturnType<typeof setTimeout> | undefined;
  #secondsLeft = 0;

  constructor(private readonly ctx: SourceContext) {
    ctx.host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Asks the backend for a signing session and shows its QR code. */
  start = async (): Promise<void> => {
    this.stop();
    this.ctx.start('egov-starting');
    try {
      this.#session = await this.ctx.api().egovStart();
      this.ctx.showQr();
      this.ctx.settle('egov-waiting');
      this.#tick();
      this.#timer = setInterval(() => this.#tick(), 1000);
      this.#schedulePoll();
      await this.ctx.focus('#qr-heading');
    } catch (error) {
      await this.ctx.fail(error);
    }
  };

  /** Stops the countdown and polling, and forgets the session. */
  reset(): void {
    this.stop();
    this.#session = null;
  }

  /** Stops the countdown and polling. */
  stop(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#poll);
    this.#timer = undefined;
    this.#poll = undefined;
  }

  #tick(): void {
    const left = Date.parse(this.#session?.expiresAt ?? '') - Date.now();
    this.#secondsLeft = Math.max(0, Math.ceil(left / 1000));
    this.ctx.host.requestUpdate();
    if (this.#secondsLeft === 0) this.#toExpired();
  }

  #toExpired(): void {
    this.stop();
    this.#secondsLeft = 0;
    this.ctx.settle('egov-expired');
    void this.ctx.focus('#egov-restart');
  }

  #schedulePoll(): void {
    const ms = this.ctx.host.egovPollMs;
    this.#poll = setTimeout(() => void this.#check(), ms);
  }

  async #check(): Promise<void> {
    const shown = this.#session;
    try {
      const answer = await this.ctx.api().egovStatus();
      if (this.#session !== shown || this.#secondsLeft === 0) return;
      if (answer.status === 'pending') {
        this.#schedulePoll();
        return;
      }
      this.reset();
      const { user, needsEmail } = answer;
      await this.ctx.signedByPhone({ user, needsEmail });
    } catch (error) {
      if (this.#session !== shown || this.#secondsLeft === 0) return;
      const code = this.ctx.codeOf(error);
      // A lost connection may come back before the code expires.
      if (code === 'NETWORK') this.#schedulePoll();
      else if (code === 'CHALLENGE_EXPIRED') this.#toExpired();
      else {
        this.ctx.toKeyForm();
        await this.ctx.fail(error);
      }
    }
  }

  #onCancel = async (): Promise<void> => {
    this.ctx.toKeyForm();
    await this.ctx.focus('#storage');
  };

  /** What the live region says for this part's steps. */
  statusText(status: LoginStatus): string | null {
    switch (status) {
      case 'egov-starting':
        return msg('Preparing the QR code…');
      case 'egov-waiting':
        return msg(
          'Scan the QR code with the eGov Mobile app and sign on the phone.',
        );
      case 'egov-expired':
        return msg('The QR code has expired. Show a new one to try again.');
      default:
        return null;
    }
  }

  render(): TemplateResult {
    const session = this.#session;
    return html`
      <section class="egov" part="egov" aria-labelledby="qr-heading">
        <h3 id="qr-heading" tabindex="-1">${msg('Sign with eGov Mobile')}</h3>
        ${session && this.#secondsLeft > 0
          ? this.#renderCode(session)
          : this.#renderExpired()}
        <div class="actions">
          <button
            type="button"
            class="secondary"
            part="egov-cancel"
            @click=${this.#onCancel}
          >
            ${msg('Choose another way')}
          </button>
        </div>
      </section>
    `;
  }

  #renderCode(session: EgovStartResponse): TemplateResult {
    const minutes = Math.floor(this.#secondsLeft / 60);
    const seconds = String(this.#secondsLeft % 60).padStart(2, '0');
    const left = `${minutes}:${seconds}`;
    return html`<p>
        ${msg(
          'Open the eGov Mobile app on your phone, choose signing by QR code and point the camera at this code.',
        )}
      </p>
      <div class="qr" part="qr" data-payload=${session.qr}>
        ${qrSvg(session.qr, msg('QR code for eGov Mobile'))}
      </div>
      <p class="countdown" part="countdown">
        ${msg(str`The code is valid for ${left} more.`)}
      </p>
      <a class="egov-link" part="egov-link" href=${session.deepLink}>
        ${msg('Open eGov Mobile on this phone')}
      </a>`;
  }

  #renderExpired(): TemplateResult {
    return html`<p>${msg('The QR code has expired.')}</p>
      <div class="actions">
        <button
          id="egov-restart"
          type="button"
          part="egov-restart"
          @click=${this.start}
        >
          ${msg('Show a new QR code')}
        </button>
      </div>`;
  }
}
