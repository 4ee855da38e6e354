/**
 * Styles every Qoltanba element shares: the theme's custom properties, form
 * controls, buttons, GOV.UK-style field errors and the visually hidden text.
 * Colours follow Almaty's city portals: a deep blue with a teal accent.
 */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    --_primary: var(--qoltanba-color-primary, #0b5cab);
    --_accent: var(--qoltanba-color-accent, #00727a);
    --_error: var(--qoltanba-color-error, #c0262d);
    --_success: var(--qoltanba-color-success, #0a7a3e);
    --_text: var(--qoltanba-color-text, #1b2330);
    --_warning: var(--qoltanba-color-warning, #8a4b00);
    --_muted: var(--qoltanba-color-muted, #5a6473);
    --_surface: var(--qoltanba-color-surface, #ffffff);
    /* 3:1 against the surface at least, as WCAG 1.4.11 asks of fields. */
    --_border: var(--qoltanba-color-border, #7a8696);
    --_radius: var(--qoltanba-radius, 8px);
    --_space: var(--qoltanba-space, 1rem);
    --_focus: var(--qoltanba-color-focus, #ffbf47);

    display: block;
    box-sizing: border-box;
    max-width: 40rem;
    min-width: 0;
    color: var(--_text);
    font-family: var(
      --qoltanba-font,
      'Montserrat',
      'Segoe UI',
      Roboto,
      'Helvetica Neue',
      Arial,
      sans-serif
    );
    font-size: var(--qoltanba-font-size, 1rem);
    line-height: 1.45;
    overflow-wrap: break-word;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .panel {
    padding: var(--_space);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-top: 4px solid var(--_primary);
    border-radius: var(--_radius);
  }
  h2,
  h3 {
    margin: 0 0 calc(var(--_space) * 0.75);
    color: var(--_primary);
    line-height: 1.25;
  }
  h2 {
    font-size: 1.35rem;
  }
  h3 {
    font-size: 1.1rem;
  }
  p {
    margin: 0 0 calc(var(--_space) * 0.75);
  }

  .field {
    margin: 0 0 var(--_space);
  }
  .field--error {
    padding-left: calc(var(--_space) * 0.75);
    border-left: 4px solid var(--_error);
  }
  label,
  legend {
    display: block;
    margin-bottom: 0.25rem;
    font-weight: 600;
  }
  fieldset {
    min-width: 0;
    margin: 0 0 var(--_space);
    padding: 0;
    border: 0;
  }
  .hint {
    display: block;
    margin-bottom: 0.35rem;
    color: var(--_muted);
    font-size: 0.925rem;
  }
  .field-error {
    display: block;
    margin-bottom: 0.35rem;
    color: var(--_error);
    font-weight: 600;
  }
  input[type='text'],
  input[type='password'],
  input[type='email'],
  input[type='file'],
  select {
    display: block;
    width: 100%;
    max-width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.65rem;
    color: inherit;
    font: inherit;
    background: var(--_surface);
    border: 2px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
  }
  input[aria-invalid='true'] {
    border-color: var(--_error);
  }
  .input--iin {
    max-width: 12em;
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.05em;
  }

  button {
    display: inline-flex;
    max-width: 100%;
    text-align: center;
    align-items: center;
    justify-content: center;
    min-height: 2.75rem;
    padding: 0.5rem 1.1rem;
    color: #fff;
    font: inherit;
    font-weight: 600;
    background: var(--_primary);
    border: 2px solid var(--_primary);
    border-radius: var(--_radius);
    cursor: pointer;
  }
  button:hover {
    filter: brightness(1.1);
  }
  button.secondary {
    color: var(--_primary);
    background: transparent;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) / 2);
  }

  /* A light ring inside a dark one: visible on any background. */
  :focus-visible,
  [tabindex='-1']:focus {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
    box-shadow: 0 0 0 7px var(--_text);
  }
  input:focus-visible,
  select:focus-visible {
    border-color: var(--_text);
  }

  .alert {
    margin: 0 0 var(--_space);
    padding: calc(var(--_space) * 0.75);
    border: 3px solid var(--_error);
    border-radius: var(--_radius);
  }
  .alert p {
    font-weight: 600;
  }
  .success {
    margin: 0 0 var(--_space);
    padding: calc(var(--_space) * 0.75);
    color: #fff;
    font-weight: 600;
    background: var(--_success);
    border-radius: var(--_radius);
  }

  .status {
    color: var(--_muted);
  }
  .status:empty {
    margin: 0;
  }

  .warning {
    margin: 0 0 var(--_space);
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 0.75);
    color: var(--_text);
    background: color-mix(in srgb, var(--_warning) 8%, var(--_surface));
    border-left: 4px solid var(--_warning);
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px !important;
    height: 1px !important;
    margin: 0 !important;
    padding: 0 !important;
    overflow: hidden !important;
    clip: rect(0 0 0 0) !important;
    clip-path: inset(50%) !important;
    border: 0 !important;
    white-space: nowrap !important;
  }
`;
