// The opt-in staple history as a small inline SVG (no library, no remote image): how old the staple
// was at each check, so a staple that stopped being refreshed shows as a line climbing steadily
// instead of a saw-tooth. Checks that got no staple are marks on the baseline. Pure.
import type { HistoryPoint } from '../shared/staple-history.js';

export const CHART_WIDTH = 480;
export const CHART_HEIGHT = 64;
/** Room on the left for the age scale. */
const LEFT = 36;
const PAD = 4;

export interface ChartGeometry {
  /** `x,y` pairs of the staple ages, in drawing order. */
  line: string;
  /** x of each check that got no staple. */
  gaps: number[];
  /** The age at the top of the chart, in hours (a quarter above the oldest staple seen, at least 1 h). */
  topHours: number;
}

/** Where each point goes; times left to right, ages bottom (fresh) to top (old). */
export function chartGeometry(points: readonly HistoryPoint[]): ChartGeometry {
  const first = points[0]?.at ?? 0;
  const last = points[points.length - 1]?.at ?? 0;
  const span = Math.max(1, last - first);
  const ages = points.map((p) => p.ageSeconds).filter((a): a is number => a !== null);
  // Whole hours, headroom above the oldest, so a steady line does not sit on the top edge.
  const topHours = Math.max(1, Math.ceil((Math.max(0, ...ages) * 1.25) / 3600));
  const top = topHours * 3600;
  // A single check sits in the middle; several spread over the width.
  const x = (at: number) =>
    points.length === 1 ? (LEFT + CHART_WIDTH - PAD) / 2 : LEFT + ((at - first) / span) * (CHART_WIDTH - LEFT - PAD);
  const y = (age: number) => CHART_HEIGHT - PAD - (Math.max(0, age) / top) * (CHART_HEIGHT - 2 * PAD);
  const line = points
    .filter((p) => p.ageSeconds !== null)
    .map((p) => `${x(p.at).toFixed(1)},${y(p.ageSeconds ?? 0).toFixed(1)}`)
    .join(' ');
  const gaps = points.filter((p) => p.ageSeconds === null).map((p) => Number(x(p.at).toFixed(1)));
  return { line, gaps, topHours };
}

export function HistoryChart(props: { points: readonly HistoryPoint[]; label: string; axis: string }) {
  const geometry = chartGeometry(props.points);
  return (
    <figure class="history">
      <svg role="img" aria-label={props.label} viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`} width="100%">
        <text class="scale" x={LEFT - 6} y={PAD + 8} text-anchor="end">
          {`${geometry.topHours} h`}
        </text>
        <text class="scale" x={LEFT - 6} y={CHART_HEIGHT - PAD} text-anchor="end">
          0
        </text>
        <line class="axis" x1={LEFT} y1={PAD} x2={LEFT} y2={CHART_HEIGHT - PAD} />
        <line class="axis" x1={LEFT} y1={CHART_HEIGHT - PAD} x2={CHART_WIDTH - PAD} y2={CHART_HEIGHT - PAD} />
        {geometry.line && <polyline class="age" points={geometry.line} />}
        {props.points
          .filter((p) => p.ageSeconds !== null)
          .map((_, i) => {
            const [cx, cy] = geometry.line.split(' ')[i]?.split(',') ?? [];
            return cx && cy ? <circle key={i} class="age-dot" cx={cx} cy={cy} r="2.2" /> : null;
          })}
        {geometry.gaps.map((gx, i) => (
          <rect key={i} class="gap" x={gx - 1.5} y={CHART_HEIGHT - PAD - 8} width="3" height="8" />
        ))}
      </svg>
      <figcaption>{props.axis}</figcaption>
    </figure>
  );
}
