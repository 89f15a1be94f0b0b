import { memo } from 'react';
import { sparklinePoints } from './format';

/** A small SVG line chart (no chart library): the series scaled into the box, latest at the right. */
export const Sparkline = memo(function Sparkline({ values, label, width = 320, height = 64, testId }: { values: readonly number[]; label: string; width?: number; height?: number; testId?: string }) {
  const points = sparklinePoints(values, width, height);
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid={testId} data-points={values.length}>
      {points && (
        <>
          <polyline points={`2,${height - 2} ${points} ${width - 2},${height - 2}`} className="sparkline-fill" />
          <polyline points={points} className="sparkline-line" />
        </>
      )}
    </svg>
  );
});
