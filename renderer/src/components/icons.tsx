// Runs in: renderer. Small line icons drawn in the text colour (no icon font, no emoji font needed).
// Each is decorative (aria-hidden, written on the element so the linter sees it): the button around it has the name.
import type { SVGProps } from 'react';

const base: SVGProps<SVGSVGElement> = {
  width: 14,
  height: 14,
  viewBox: '0 0 16 16',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.5,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
  focusable: false,
};

export const PinIcon = () => (
  <svg aria-hidden="true" {...base}>
    <path d="M6 2h4l-.5 4 2.5 2.5H4L6.5 6z" />
    <path d="M8 8.5V14" />
  </svg>
);
export const PencilIcon = () => (
  <svg aria-hidden="true" {...base}>
    <path d="M11 2.5l2.5 2.5L6 12.5 3 13l.5-3z" />
  </svg>
);
export const ColumnsIcon = () => (
  <svg aria-hidden="true" {...base}>
    <rect x="2" y="3" width="12" height="10" rx="1.5" />
    <path d="M6 3v10M10 3v10" />
  </svg>
);
export const MoreIcon = () => (
  <svg aria-hidden="true" {...base} fill="currentColor" stroke="none">
    <circle cx="8" cy="3.5" r="1.3" />
    <circle cx="8" cy="8" r="1.3" />
    <circle cx="8" cy="12.5" r="1.3" />
  </svg>
);
export const StarIcon = ({ filled }: { filled: boolean }) => (
  <svg aria-hidden="true" {...base} fill={filled ? 'currentColor' : 'none'}>
    <path d="M8 1.8l1.9 3.9 4.3.6-3.1 3 .7 4.3L8 11.6l-3.8 2 .7-4.3-3.1-3 4.3-.6z" />
  </svg>
);
export const ChevronIcon = ({ open }: { open: boolean }) => (
  <svg
    aria-hidden="true"
    {...base}
    style={{ transform: open ? 'rotate(90deg)' : undefined, transition: 'transform 120ms' }}
  >
    <path d="M6 3.5L10.5 8 6 12.5" />
  </svg>
);
