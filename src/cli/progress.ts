import cliProgress from 'cli-progress';

/**
 * A terminal progress bar on stderr for long work (demo build, big imports). It also draws when
 * stderr is not a terminal (CI logs), less often.
 */
export function progressBar(label: string) {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {phase} [{bar}] {percentage}% {value}/{total}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: string | null = null;
  return {
    update(nextPhase: string, done: number, total: number) {
      if (phase === null) bar.start(total, done, { phase: nextPhase });
      else if (nextPhase !== phase) {
        bar.setTotal(total);
        bar.update(done, { phase: nextPhase });
      } else bar.update(done);
      phase = nextPhase;
    },
    stop() {
      if (phase !== null) bar.stop();
    },
  };
}
