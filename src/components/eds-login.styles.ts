import { css } from 'lit';

export const edsLoginStyles = css`
  .subtitle {
    color: var(--_accent);
    font-weight: 600;
  }
  fieldset[part='key-list'] {
    margin-top: calc(var(--_space) * 1.25);
  }
  .keys {
    display: grid;
    gap: calc(var(--_space) / 2);
  }
  .key {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0 0.6rem;
    padding: calc(var(--_space) * 0.75);
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
  }
  .key:has(input:checked) {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 6%, transparent);
  }
  .key input {
    width: 1.35rem;
    height: 1.35rem;
    margin: 0.1rem 0 0;
    accent-color: var(--_accent);
  }
  .key label {
    margin: 0;
  }
  .key dl,
  .key .key__reason {
    grid-column: 2;
    margin: 0.35rem 0 0;
  }
  .key dl {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.1rem 0.6rem;
    font-size: 0.925rem;
  }
  .key dt {
    color: var(--_muted);
  }
  .key dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .key--unusable {
    color: var(--_muted);
    background: #f1f3f6;
    border-style: dashed;
  }
  .key__reason {
    color: var(--_error);
    font-weight: 600;
  }
  .key__warnings {
    grid-column: 1 / -1;
    display: grid;
    gap: 0.35rem;
    margin-top: 0.5rem;
  }
  .key__warning {
    margin: 0;
    padding: 0.4rem 0.6rem;
    color: var(--_warning);
    font-weight: 600;
    background: color-mix(in srgb, var(--_warning) 7%, var(--_surface));
    border-left: 4px solid var(--_warning);
  }
  .user-menu {
    position: relative;
    display: inline-block;
    max-width: 100%;
  }
  .user {
    gap: 0.5rem;
    color: var(--_primary);
    font-size: 1.1rem;
    font-weight: 700;
    background: transparent;
    text-align: start;
  }
  .user::after {
    content: '';
    flex: none;
    width: 0.5rem;
    height: 0.5rem;
    margin-top: -0.25rem;
    border-right: 2px solid currentColor;
    border-bottom: 2px solid currentColor;
    transform: rotate(45deg);
  }
  .user[aria-expanded='true']::after {
    margin-top: 0.25rem;
    transform: rotate(225deg);
  }
  .user-menu__list {
    margin-top: 0.5rem;
    padding: 0.5rem;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .user-menu__list[hidden] {
    display: none;
  }
  .person {
    margin-bottom: var(--_space);
    font-size: 1.15rem;
    font-weight: 700;
  }
  .qr {
    width: min(100%, 16rem);
    margin-bottom: var(--_space);
  }
  .qr svg {
    display: block;
    width: 100%;
    height: auto;
  }
  /* The same-phone link only where the QR code cannot be scanned: on a
     phone's screen. */
  .egov-link {
    display: none;
  }
  @media (max-width: 40rem) {
    .egov-link {
      display: inline-block;
      margin-bottom: var(--_space);
    }
  }
  @media (max-width: 24rem) {
    .key dl {
      grid-template-columns: minmax(0, 1fr);
    }
    .key dd {
      margin-bottom: 0.25rem;
    }
  }
`;
