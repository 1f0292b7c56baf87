import type { ResultProps } from 'antd';
import { Component, lazy, type ReactNode, Suspense } from 'react';

// antd's Result carries large status illustrations (403, 404, 500). The shell shows a result only when
// something went wrong, so it is loaded then, not with the first page.
const AntResult = lazy(() => import('antd/es/result'));

/** Title, explanation and actions without the illustration: shown while it loads, or if it cannot. */
function PlainResult({ title, subTitle, extra }: ResultProps) {
  return (
    <div style={{ padding: '48px 32px', textAlign: 'center' }} data-testid="plain-result">
      {title != null && <div style={{ fontSize: 24, lineHeight: 1.35, marginBlockEnd: 8 }}>{title}</div>}
      {subTitle != null && <div style={{ color: 'rgba(0, 0, 0, 0.45)', fontSize: 14 }}>{subTitle}</div>}
      {extra != null && <div style={{ marginBlockStart: 24 }}>{extra}</div>}
    </div>
  );
}

/** A chunk that fails to load (the network is down, or a deploy replaced it) leaves the plain result. */
class ChunkBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** antd's Result, loaded on first use; until then (or if it cannot load) the same text without the picture. */
export function Result(props: ResultProps) {
  const plain = <PlainResult {...props} />;
  return (
    <ChunkBoundary fallback={plain}>
      <Suspense fallback={plain}>
        <AntResult {...props} />
      </Suspense>
    </ChunkBoundary>
  );
}
