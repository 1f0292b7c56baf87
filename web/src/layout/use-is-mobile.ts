import { useSyncExternalStore } from 'react';

/** Below antd's `lg` breakpoint (992 px) the menu moves from the side bar into a drawer. */
const QUERY = '(max-width: 991.98px)';

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(QUERY);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

export function useIsMobile(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(QUERY).matches);
}
