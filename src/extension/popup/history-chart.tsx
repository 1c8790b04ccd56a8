// The opt-in staple history as a small inline SVG (no library, no remote image): how old the staple
// was at each check, so a staple that stopped being refreshed shows as a line climbing steadily
// instead of a saw-tooth. Checks that got no staple are marks on the baseline. Pure.
import type { HistoryPoint } from '../shared/staple-history.js';

export const CHART_WIDTH = 260;
export const CHART_HEIGHT = 56;
const PAD = 4;

export interface ChartGeometry {
  /** `x,y` pairs of the staple ages, in drawing order. */
  line: string;
  /** x of each check that got no staple. */
  gaps: number[];
  /** The largest age drawn, in hours (the top of the chart). */
  maxHours: number;
}

/** Where each point goes; times left to right, ages bottom (fresh) to top (old). */
export function chartGeometry(points: readonly HistoryPoint[]): ChartGeometry {
  const first = points[0]?.at ?? 0;
  const last = points[points.length - 1]?.at ?? 0;
  const span = Math.max(1, last - first);
  const ages = points.map((p) => p.ageSeconds).filter((a): a is number => a !== null);
  const maxSeconds = Math.max(3600, ...ages);
  const x = (at: number) => PAD + ((at - first) / span) * (CHART_WIDTH - 2 * PAD);
  const y = (age: number) => CHART_HEIGHT - PAD - (Math.max(0, age) / maxSeconds) * (CHART_HEIGHT - 2 * PAD);
  const line = points
    .filter((p) => p.ageSeconds !== null)
    .map((p) => `${x(p.at).toFixed(1)},${y(p.ageSeconds ?? 0).toFixed(1)}`)
    .join(' ');
  const gaps = points.filter((p) => p.ageSeconds === null).map((p) => Number(x(p.at).toFixed(1)));
  return { line, gaps, maxHours: Math.round(maxSeconds / 3600) };
}

export function HistoryChart(props: { points: readonly HistoryPoint[]; label: string; axis: string }) {
  const geometry = chartGeometry(props.points);
  return (
    <figure class="history">
      <svg
        role="img"
        aria-label={props.label}
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        width={CHART_WIDTH}
        height={CHART_HEIGHT}
      >
        <line class="axis" x1={PAD} y1={CHART_HEIGHT - PAD} x2={CHART_WIDTH - PAD} y2={CHART_HEIGHT - PAD} />
        {geometry.line && <polyline class="age" points={geometry.line} />}
        {props.points.length === 1 && geometry.line && (
          <circle class="age-dot" cx={geometry.line.split(',')[0]} cy={geometry.line.split(',')[1]} r="2.5" />
        )}
        {geometry.gaps.map((gx, i) => (
          <rect key={i} class="gap" x={gx - 1.5} y={CHART_HEIGHT - PAD - 6} width="3" height="6" />
        ))}
      </svg>
      <figcaption>{props.axis}</figcaption>
    </figure>
  );
}
