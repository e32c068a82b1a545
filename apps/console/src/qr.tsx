import type { ReactNode } from 'react';
import { encodeQr } from './qr.ts';

/** The QR code as an SVG (with the four-module quiet zone), or nothing when the text is too long. */
export function QrCode(props: { text: string; label: string }): ReactNode {
  const modules = encodeQr(props.text);
  if (!modules) return null;
  const size = modules.length + 8;
  let path = '';
  modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x + 4} ${y + 4}h1v1h-1z`;
    });
  });
  return (
    <svg
      className="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={props.label}
      shapeRendering="crispEdges"
      data-testid="totp-qr"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#0b1220" />
    </svg>
  );
}
