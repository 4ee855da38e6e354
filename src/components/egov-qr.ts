/**
 * A QR code as an SVG path, for the eGov mobile login: no inline style and
 * no markup from a string, so it renders under a strict CSP.
 */
import { svg, type SVGTemplateResult } from 'lit';
import { encode } from 'uqr';

/** The QR code of `text`, with its quiet zone, as a Lit SVG template. */
export function qrSvg(text: string, label: string): SVGTemplateResult {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  let path = '';
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    }),
  );
  return svg`<svg
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 ${size} ${size}"
    shape-rendering="crispEdges"
    role="img"
    aria-label=${label}
  >
    <rect width=${size} height=${size} fill="#fff" />
    <path d=${path} fill="#000" />
  </svg>`;
}
