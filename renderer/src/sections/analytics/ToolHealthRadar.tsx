import type { ToolAnalytics } from '../../../../preload/contract/analytics.ts';
import { ChartCard } from './ChartCard.tsx';
import { PALETTE } from './charts.ts';

/**
 * Tool health on four axes, each 0–100 and higher is healthier: success rate,
 * speed (fastest p95 / this p95), volume (runs / busiest), and breaker calm
 * (100 with no trips, falling with each trip relative to the most tripped).
 */
export function ToolHealthRadar({ t }: { t: ToolAnalytics }) {
  const health = t.health.slice(0, 8);
  const fastest = Math.min(...health.map((h) => h.p95Ms ?? Infinity));
  const busiest = Math.max(1, ...health.map((h) => h.runs));
  const tripsMax = Math.max(1, ...health.map((h) => h.breakerTrips));
  const rows = health.map((h) => ({ tool: h.tool, success_rate: h.successRate, p95_ms: h.p95Ms, runs: h.runs, breaker_trips: h.breakerTrips }));
  return (
    <ChartCard
      title="Tool health"
      name={`tool-health-${t.window}`}
      rows={rows}
      empty={health.length === 0}
      height={300}
      type="radar"
      data={{
        labels: ['Success rate', 'Speed (p95)', 'Volume', 'No breaker trips'],
        datasets: health.map((h, i) => ({
          label: h.tool,
          data: [
            (h.successRate ?? 0) * 100,
            h.p95Ms ? Math.round((fastest / Math.max(h.p95Ms, 0.01)) * 100) : 0,
            Math.round((h.runs / busiest) * 100),
            Math.round(100 - (h.breakerTrips / tripsMax) * 100),
          ],
          borderColor: PALETTE[i % PALETTE.length],
          backgroundColor: `${PALETTE[i % PALETTE.length]}22`,
          fill: true,
        })),
      }}
      options={{
        scales: { r: { min: 0, max: 100, ticks: { stepSize: 25 } } },
        plugins: {
          legend: { position: 'right' },
          tooltip: {
            callbacks: {
              label: (c) => {
                const h = health[c.datasetIndex]!;
                const raw = [
                  `${((h.successRate ?? 0) * 100).toFixed(1)} % succeeded`,
                  `p95 ${h.p95Ms ?? '—'} ms`,
                  `${h.runs} runs`,
                  `${h.breakerTrips} breaker trips`,
                ][c.dataIndex];
                return `${h.tool}: ${raw}`;
              },
            },
          },
        },
      }}
    />
  );
}
