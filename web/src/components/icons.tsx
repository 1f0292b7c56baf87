import type { CSSProperties } from 'react';

/**
 * A handful of line icons drawn inline (24×24, currentColor), so the app needs no icon package.
 * Each is one or more SVG paths; they sit in antd menus and buttons like antd's own icons.
 */
const PATHS = {
  menu: ['M3 6h18', 'M3 12h18', 'M3 18h18'],
  home: ['M3 11l9-7 9 7', 'M5 10v10h5v-6h4v6h5V10'],
  tree: [
    'M12 3v5',
    'M5 8h14',
    'M5 8v4',
    'M19 8v4',
    'M12 8v4',
    'M3 12h4v4H3z',
    'M10 12h4v4h-4z',
    'M17 12h4v4h-4z',
  ],
  school: ['M2 9l10-5 10 5-10 5z', 'M6 11v5c0 1.5 3 3 6 3s6-1.5 6-3v-5', 'M22 9v6'],
  map: [
    'M12 21s-7-6.5-7-12a7 7 0 0 1 14 0c0 5.5-7 12-7 12z',
    'M12 11.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z',
  ],
  upload: ['M12 16V4', 'M7 9l5-5 5 5', 'M4 16v4h16v-4'],
  download: ['M12 4v12', 'M7 11l5 5 5-5', 'M4 16v4h16v-4'],
  users: [
    'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
    'M2 21c0-4 3-7 7-7s7 3 7 7',
    'M16 3.5a4 4 0 0 1 0 7.5',
    'M18 14c2.5.8 4 3.5 4 7',
  ],
  audit: ['M6 3h9l4 4v14H6z', 'M15 3v4h4', 'M9 11h7', 'M9 15h7', 'M9 19h4'],
  user: ['M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9z', 'M4 21c0-4.5 3.5-7.5 8-7.5s8 3 8 7.5'],
  logout: ['M10 4H5v16h5', 'M15 8l4 4-4 4', 'M19 12H9'],
  globe: [
    'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z',
    'M3 12h18',
    'M12 3c2.5 2.5 3.5 5.5 3.5 9s-1 6.5-3.5 9c-2.5-2.5-3.5-5.5-3.5-9s1-6.5 3.5-9z',
  ],
  key: ['M8 15a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M11 11h10', 'M18 11v3', 'M21 11v3'],
  dashboard: ['M4 20V10', 'M10 20V4', 'M16 20v-7', 'M22 20H2'],
  plus: ['M12 5v14', 'M5 12h14'],
  target: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M12 12h.01'],
  gauge: ['M4 18a8 8 0 1 1 16 0', 'M12 18l4-6', 'M4 18h16'],
  ranking: ['M4 6h16', 'M4 12h11', 'M4 18h6'],
  drill: ['M4 4h6v6H4z', 'M14 14h6v6h-6z', 'M7 10v7h7'],
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, style, title }: { name: IconName; style?: CSSProperties; title?: string }) {
  return (
    <span
      role="img"
      aria-hidden={title ? undefined : true}
      aria-label={title}
      className="anticon"
      style={style}
    >
      <svg
        width="1em"
        height="1em"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={2}
        strokeLinecap="round"
        strokeLinejoin="round"
        focusable="false"
        aria-hidden="true"
      >
        {PATHS[name].map((d) => (
          <path key={d} d={d} />
        ))}
      </svg>
    </span>
  );
}
