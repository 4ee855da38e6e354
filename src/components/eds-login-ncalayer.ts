/**
 * The NCALayer source of `<eds-login>`: which of NCALayer's storages to
 * offer (the key file, and the tokens and ID cards it sees plugged in),
 * signing through it, and help when it cannot. Loaded only when a user
 * chooses NCALayer (#7).
 */
import { msg } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import {
  NCALAYER_STORAGES,
  NcaLayerError,
  type NcaLayerErrorCode,
} from '../ncalayer/ncalayer-types.js';
import type { LoginStatus, SourceContext } from './eds-login-parts.js';
import { importPart } from './eds-login-parts.js';

/** Offered when NCALayer cannot say what it sees and no list is set. */
const DEFAULT_STORAGES = NCALAYER_STORAGES.filter((s) => s !== 'JKS');

/** Not a reactive controller: it changes the element only through ctx. */
export class NcaLayerSource {
  /** The storages offered; null until NCALayer (or the fallback) answers. */
  #storages: string[] | null = null;
  #chosen: string | null = null;
  #asking = false;

  constructor(private readonly ctx: SourceContext) {}

  /** The storage that "Sign with NCALayer" uses. */
  get chosen(): string | null {
    const storages = this.#storages ?? [];
    return this.#chosen !== null && storages.includes(this.#chosen)
      ? this.#chosen
      : (storages[0] ?? null);
  }

  /**
   * Asks NCALayer which hardware storages are plugged in, and offers the
   * key file plus those, within the `ncalayer-storages` list when set.
   */
  refresh = async (): Promise<void> => {
    if (this.#asking) return;
    this.#asking = true;
    const { host } = this.ctx;
    const allowed = host.ncalayerStorages.split(/\s+/).filter(Boolean);
    const offered = (s: string) => allowed.length === 0 || allowed.includes(s);
    this.ctx.start('ncalayer-asking');
    try {
      const present = await host.ncalayerTokens({
        url: host.ncalayerUrl,
        connectTimeoutMs: host.ncalayerTimeoutMs,
      });
      const storages = ['PKCS12', ...present.filter((s) => s !== 'PKCS12')];
      this.#storages = storages.filter(offered);
    } catch (error) {
      this.#asking = false;
      if (isUnreachable(error)) {
        // Not running, not trusted or silent: signing would fail the same
        // way, so say why now, with help, rather than offer a list.
        this.#storages = null;
        // Not awaited: focusing the error waits for updateComplete, which
        // waits for this listing.
        void this.ctx.fail(error);
        return;
      }
      // NCALayer runs but cannot list its tokens (an old one): offer what
      // the page allows, and say that the list is not NCALayer's.
      this.#storages = allowed.length > 0 ? allowed : DEFAULT_STORAGES;
      this.ctx.settle('ncalayer-unlisted');
      return;
    }
    this.#asking = false;
    this.ctx.settle('ncalayer-listed');
  };

  /** "Try again" under an error: list the storages, or sign again. */
  #retry = (): Promise<void> =>
    this.#storages === null ? this.refresh() : this.sign();

  /** Signs the login challenge with the chosen storage. */
  sign = async (): Promise<void> => {
    const storage = this.chosen;
    if (storage === null) return;
    const { host } = this.ctx;
    this.ctx.start('ncalayer-signing');
    try {
      const { challenge } = await this.ctx.api().challenge();
      const signature = await host.ncalayerSigner({
        content: new TextEncoder().encode(challenge),
        storages: [storage],
        url: host.ncalayerUrl,
        connectTimeoutMs: host.ncalayerTimeoutMs,
        locale: host.locale,
      });
      if (signature === null) {
        // Cancel in NCALayer's window: back to the start, nothing to say.
        this.ctx.settle(null);
        await this.ctx.focus('#ncalayer-storage');
        return;
      }
      const { signerOfCms } = await importPart(
        () => import('../ncalayer/cms-signer.js'),
      );
      const signer = signerOfCms(signature);
      if (!signer) {
        throw new NcaLayerError('NCALAYER_FAILED', 'No signer certificate.');
      }
      this.ctx.settle(null);
      await this.ctx.toSigned(signature, signer);
    } catch (error) {
      await this.ctx.fail(error);
    }
  };

  #onChange = (event: Event): void => {
    this.#chosen = (event.target as HTMLSelectElement).value;
  };

  /** What the live region says for this part's steps. */
  statusText(status: LoginStatus): string | null {
    switch (status) {
      case 'ncalayer-asking':
        return msg('Asking NCALayer which storages are connected…');
      case 'ncalayer-listed':
        return msg('The storage list is updated. Choose where your key is.');
      case 'ncalayer-unlisted':
        return msg(
          'NCALayer did not say which storages are connected. Choose where your key is.',
        );
      case 'ncalayer-signing':
        return msg(
          'Waiting for NCALayer: choose your key in its window and enter the PIN or password.',
        );
      default:
        return null;
    }
  }

  /** The storage list, "Sign with NCALayer" and "Refresh the list". */
  renderForm(): TemplateResult {
    const storages = this.#storages;
    const chosen = this.chosen;
    return html`
      ${storages && storages.length > 0
        ? html`<div class="field">
            <label for="ncalayer-storage">${msg('Storage in NCALayer')}</label>
            <select id="ncalayer-storage" @change=${this.#onChange}>
              ${storages.map(
                (s) =>
                  html`<option value=${s} ?selected=${s === chosen}>
                    ${storageName(s)}
                  </option>`,
              )}
            </select>
          </div>`
        : nothing}
      ${storages?.length === 0
        ? html`<p id="ncalayer-none" class="hint">
            ${msg(
              'NCALayer sees no token or ID card. Connect yours, then refresh the list.',
            )}
          </p>`
        : nothing}
      <p id="ncalayer-hint" class="hint">
        ${msg(
          'NCALayer, the program of the National Certification Authority, must be running on this computer. It will ask for the PIN or password of your key in its own window.',
        )}
      </p>
      <div class="actions">
        <button
          type="submit"
          part="ncalayer-button"
          aria-describedby="ncalayer-hint"
          ?disabled=${chosen === null}
        >
          ${msg('Sign with NCALayer')}
        </button>
        <button
          type="button"
          class="secondary"
          part="ncalayer-refresh"
          @click=${this.refresh}
        >
          ${msg('Refresh the storage list')}
        </button>
      </div>
    `;
  }

  /** Steps for the user under an NCALayer error, for their system. */
  renderHelp(code: NcaLayerErrorCode): TemplateResult {
    const os = operatingSystem();
    const steps: Array<string | TemplateResult> = [];
    if (code === 'NCALAYER_UNREACHABLE' || code === 'NCALAYER_TIMEOUT') {
      steps.push(startStep(os));
    }
    if (code === 'NCALAYER_UNREACHABLE') {
      steps.push(trustStep(os), this.#checkStep());
    }
    if (code === 'NCALAYER_TIMEOUT') {
      steps.push(
        msg(
          'If NCALayer is running but does not answer, quit it and start it again.',
        ),
      );
    }
    if (code === 'NCALAYER_OUTDATED' || code === 'NCALAYER_UNREACHABLE') {
      steps.push(
        msg(
          'Download the latest NCALayer from the website of the National Certification Authority: ncl.pki.gov.kz.',
        ),
      );
    }
    if (code === 'NCALAYER_FAILED') {
      steps.push(
        msg('Check that the token or ID card is connected, then try again.'),
      );
    }
    return html`<ol class="help" part="help">
        ${steps.map((step) => html`<li>${step}</li>`)}
      </ol>
      <div class="actions">
        <button type="button" part="retry-button" @click=${this.#retry}>
          ${msg('Try again')}
        </button>
      </div>`;
  }

  /**
   * The page cannot tell "not running" from "certificate not trusted"
   * (see NCALAYER_UNREACHABLE), but the user can: NCALayer's own address
   * in a tab shows a certificate warning in the one case and "cannot
   * connect" in the other.
   */
  #checkStep(): TemplateResult {
    const at = /^wss?:\/\/([^/?#]+)/.exec(this.ctx.host.ncalayerUrl);
    const address = `https://${at?.[1] ?? '127.0.0.1:13579'}/`;
    return html`${msg(
        'To see which it is, open the address of NCALayer in a new tab. A certificate warning means the browser does not trust NCALayer: accept the certificate there, then come back and try again. If the page cannot be reached, NCALayer is not running.',
      )}
      <a
        part="ncalayer-check-link"
        href=${address}
        target="_blank"
        rel="noopener noreferrer"
        >${msg('Open the address of NCALayer in a new tab')}</a
      >`;
  }
}

/** Whether NCALayer could not be reached at all, or did not answer. */
function isUnreachable(error: unknown): boolean {
  return (
    error instanceof NcaLayerError &&
    (error.code === 'NCALAYER_UNREACHABLE' || error.code === 'NCALAYER_TIMEOUT')
  );
}

function storageName(storage: string): string {
  switch (storage) {
    case 'PKCS12':
      return msg('Key file (.p12)');
    case 'JKS':
      return msg('Key file (.jks)');
    case 'AKKZIDCardStore':
      return msg('ID card');
    case 'AKKaztokenStore':
      return 'Kaztoken';
    case 'AKEToken72KStore':
      return 'eToken 72K';
    case 'AKEToken5110Store':
      return 'eToken 5110';
    case 'AKJaCartaStore':
      return 'JaCarta';
    case 'AKAKEYStore':
      return 'aKey';
    default:
      return storage;
  }
}

type OperatingSystem = 'windows' | 'mac' | 'linux';

/** How to start NCALayer on this system. */
function startStep(os: OperatingSystem): string {
  switch (os) {
    case 'windows':
      return msg(
        'Start NCALayer from the Start menu or the desktop shortcut, and wait for its icon near the clock.',
      );
    case 'mac':
      return msg(
        'Open NCALayer from the Applications folder, and wait for its icon in the menu bar.',
      );
    case 'linux':
      return msg(
        'Start NCALayer with the ncalayer.sh script in the folder where it was installed.',
      );
  }
}

/** What to do when it runs but the browser cannot reach it. */
function trustStep(os: OperatingSystem): string {
  switch (os) {
    case 'windows':
      return msg(
        'If it is running, install its certificates again: NCALayer menu, "Settings", then restart the browser. An antivirus may also block the connection to 127.0.0.1:13579.',
      );
    case 'mac':
      return msg(
        'If it is running, its certificate may not be trusted: install NCALayer again so that it adds its certificate to the Keychain, then restart the browser.',
      );
    case 'linux':
      return msg(
        'If it is running, its certificate may not be trusted: install NCALayer again so that it adds its certificate to the browser, then restart the browser.',
      );
  }
}

/** The user's operating system, for help that names its menus. */
function operatingSystem(): OperatingSystem {
  const nav = navigator as Navigator & {
    userAgentData?: { platform?: string };
  };
  const platform = (
    nav.userAgentData?.platform ??
    nav.platform ??
    ''
  ).toLowerCase();
  if (platform.startsWith('win')) return 'windows';
  if (platform.startsWith('mac')) return 'mac';
  return 'linux';
}
