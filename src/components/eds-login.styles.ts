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
  .person {
    margin-bottom: var(--_space);
    font-size: 1.15rem;
    font-weight: 700;
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
