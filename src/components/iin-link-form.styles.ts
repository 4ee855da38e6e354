import { css } from 'lit';

export const iinLinkFormStyles = css`
  .facts {
    margin: -0.5rem 0 var(--_space);
    color: var(--_accent);
    font-weight: 600;
  }
  .alert .actions {
    margin-top: 0.5rem;
  }
`;
