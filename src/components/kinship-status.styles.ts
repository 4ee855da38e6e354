import { css } from 'lit';

export const kinshipStatusStyles = css`
  .count {
    margin-top: -0.5rem;
    color: var(--_muted);
    font-weight: 600;
  }
  .children {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .child {
    padding: calc(var(--_space) * 0.75);
    border: 1px solid var(--_border);
    border-left: 4px solid var(--_accent);
    border-radius: var(--_radius);
  }
  .child h3 {
    margin-bottom: 0.25rem;
  }
  .meta {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .applications {
    display: grid;
    gap: calc(var(--_space) / 2);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .application dl {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.15rem 0.75rem;
    margin: 0;
    padding: calc(var(--_space) / 2);
    background: color-mix(in srgb, var(--_primary) 5%, transparent);
    border-radius: calc(var(--_radius) / 2);
  }
  .application dt {
    color: var(--_muted);
  }
  .application dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .application ol {
    margin: 0;
    padding-left: 1.25rem;
  }
  .badge {
    display: inline-block;
    padding: 0 0.5rem;
    color: #fff;
    font-size: 0.875rem;
    font-weight: 600;
    background: var(--_primary);
    border-radius: 999px;
  }
  .badge--offered {
    background: var(--_accent);
  }
  .badge--enrolled {
    background: var(--_success);
  }
  .badge--cancelled {
    background: var(--_muted);
  }
  @media (max-width: 24rem) {
    .application dl {
      grid-template-columns: minmax(0, 1fr);
    }
    .application dd {
      margin-bottom: 0.3rem;
    }
  }
`;
