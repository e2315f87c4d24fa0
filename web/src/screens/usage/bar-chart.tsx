// A plain SVG bar chart: no library, scales with its container, and each bar
// carries a tooltip; the figures are also given as a table next to it. On a
// narrow screen it is drawn narrower, so that its text keeps a readable size,
// with fewer, slanted day labels.
import { useMediaQuery } from '../../components/hooks';
import { axisTicks } from './axis-ticks';

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Tooltip and accessible text for the bar. */
  description: string;
}

const WIDE = { width: 720, height: 220, labels: 10, pad: { top: 12, right: 8, bottom: 28, left: 64 } };
const NARROW = { width: 320, height: 240, labels: 6, pad: { top: 12, right: 12, bottom: 52, left: 52 } };
export function ColumnChart({ bars, title, format, whole }: { bars: Bar[]; title: string; format(value: number): string; whole: boolean }) {
  const narrow = useMediaQuery('(max-width: 600px)');
  const { width, height, labels, pad } = narrow ? NARROW : WIDE;
  const ticks = axisTicks(Math.max(0, ...bars.map((bar) => bar.value)), whole);
  const max = ticks.at(-1) || 1;
  const plotWidth = width - pad.left - pad.right;
  const plotHeight = height - pad.top - pad.bottom;
  const slot = plotWidth / Math.max(1, bars.length);
  const barWidth = Math.max(2, slot * 0.7);
  const labelEvery = Math.ceil(bars.length / labels);
  return (
    <svg class={narrow ? 'chart chart-narrow' : 'chart'} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      {ticks.map((tick) => {
        const y = pad.top + plotHeight - (tick / max) * plotHeight;
        return (
          <g key={tick} class="chart-grid">
            <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} />
            <text x={pad.left - 6} y={y + 4} text-anchor="end">
              {format(tick)}
            </text>
          </g>
        );
      })}
      {bars.map((bar, index) => {
        const barHeight = (bar.value / max) * plotHeight;
        const x = pad.left + index * slot + (slot - barWidth) / 2;
        const labelX = x + barWidth / 2;
        const labelY = height - pad.bottom + 16;
        return (
          <g key={bar.key}>
            <rect class="chart-bar" x={x} y={pad.top + plotHeight - barHeight} width={barWidth} height={Math.max(0, barHeight)}>
              <title>{bar.description}</title>
            </rect>
            {(bars.length - 1 - index) % labelEvery === 0 && (
              <text
                class="chart-label"
                x={labelX}
                y={labelY}
                text-anchor={narrow ? 'end' : 'middle'}
                transform={narrow ? `rotate(-35 ${labelX} ${labelY})` : undefined}
              >
                {bar.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** Horizontal bars with their labels: for a few named groups (assistants). */
export function RowChart({ bars, title }: { bars: Bar[]; title: string }) {
  const max = Math.max(0, ...bars.map((bar) => bar.value)) || 1;
  return (
    <ul class="row-chart" aria-label={title}>
      {bars.map((bar) => (
        <li key={bar.key}>
          <span class="row-chart-label" title={bar.label}>
            {bar.label}
          </span>
          <span class="row-chart-track" aria-hidden="true">
            <span class="row-chart-bar" style={{ width: `${(bar.value / max) * 100}%` }} />
          </span>
          <span class="row-chart-value">{bar.description}</span>
        </li>
      ))}
    </ul>
  );
}
