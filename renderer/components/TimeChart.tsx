import { memo, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A time series on uPlot (canvas, small, fast): fills its container's width, with a time axis and
 * a value axis. The chart is built once per mount; new points only call setData, and a
 * ResizeObserver keeps it as wide as its card.
 */
export const TimeChart = memo(function TimeChart({
  times,
  values,
  label,
  format = (v) => String(v),
  height = 140,
  testId,
}: {
  /** ms since epoch, ascending */
  times: readonly number[];
  values: readonly number[];
  label: string;
  format?: (v: number) => string;
  height?: number;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const formatRef = useRef(format);
  formatRef.current = format;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(document.documentElement);
    const accent = css.getPropertyValue('--accent').trim() || '#2563eb';
    const axisColor = css.getPropertyValue('--muted').trim() || '#667085';
    const grid = css.getPropertyValue('--border').trim() || '#d9dde3';
    const axis = { stroke: axisColor, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
        axes: [axis, { ...axis, size: 60, values: (_u, ticks) => ticks.map((v) => formatRef.current(v)) }],
        series: [{}, { label, stroke: accent, width: 1.5, fill: `${accent}22`, points: { show: false } }],
      },
      [[], []],
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [height, label]);

  useEffect(() => {
    // uPlot's time scale is in seconds.
    plot.current?.setData([times.map((t) => t / 1000), [...values]]);
  }, [times, values]);

  return <div ref={box} className="time-chart" role="img" aria-label={label} data-testid={testId} data-points={values.length} />;
});
