// The values on a chart's axis: round steps from zero, never two alike.

const TARGET_TICKS = 4;

/**
 * Evenly spaced axis values from 0 to just above `max`, on round steps
 * (1, 2 or 5 times a power of ten); whole numbers only when `whole`.
 */
export function axisTicks(max: number, whole: boolean): number[] {
  if (!(max > 0)) return [0];
  const rough = max / TARGET_TICKS;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  let step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  if (whole) step = Math.max(1, Math.round(step));
  const count = Math.ceil(max / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}
