// A plain SVG bar chart: no library, scales with its container, and each bar
// carries a tooltip; the figures are also given as a table next to it.
export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Tooltip and accessible text for the bar. */
  description: string;
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 56 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= value) ?? 10;
  return step * magnitude;
}

export function ColumnChart({ bars, title, format }: { bars: Bar[]; title: string; format(value: number): string }) {
  const max = niceMax(Math.max(0, ...bars.map((bar) => bar.value)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, bars.length);
  const barWidth = Math.max(2, slot * 0.7);
  const labelEvery = Math.ceil(bars.length / 10);
  const ticks = [0, max / 2, max];
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
      {ticks.map((tick) => {
        const y = PAD.top + plotHeight - (tick / max) * plotHeight;
        return (
          <g key={tick} class="chart-grid">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} />
            <text x={PAD.left - 6} y={y + 4} text-anchor="end">
              {format(tick)}
            </text>
          </g>
        );
      })}
      {bars.map((bar, index) => {
        const height = (bar.value / max) * plotHeight;
        const x = PAD.left + index * slot + (slot - barWidth) / 2;
        return (
          <g key={bar.key}>
            <rect class="chart-bar" x={x} y={PAD.top + plotHeight - height} width={barWidth} height={Math.max(0, height)}>
              <title>{bar.description}</title>
            </rect>
            {index % labelEvery === 0 && (
              <text class="chart-label" x={x + barWidth / 2} y={HEIGHT - 8} text-anchor="middle">
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
          <span class="row-chart-label">{bar.label}</span>
          <span class="row-chart-track" aria-hidden="true">
            <span class="row-chart-bar" style={{ width: `${(bar.value / max) * 100}%` }} />
          </span>
          <span class="row-chart-value">{bar.description}</span>
        </li>
      ))}
    </ul>
  );
}
