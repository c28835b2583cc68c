// Runs in: renderer. A monitor's timeline: drift share per batch against its threshold, drift per
// column and batch as a heatmap with one chosen column's score as a line, the model's metrics when
// the batches carry them, and for a monitor of a prediction log the endpoint's latency percentiles
// and error rate per window.
import { HeatmapChart, LineChart } from 'echarts/charts';
import { LegendComponent, VisualMapPiecewiseComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useId, useMemo, useState } from 'react';
import { mostDrifted, driftCells } from '../../../../shared/charts/drift-cells';
import type { MonitorBatch } from '../../../../shared/contract';
import { Chart } from '../../components/Chart';
import { InfoCard } from '../../components/InfoCard';
import { columnLineOption, timelineOptions } from './timeline-options';

echarts.use([LineChart, HeatmapChart, LegendComponent, VisualMapPiecewiseComponent]);

export function TimelineCharts({ batches }: { batches: MonitorBatch[] }) {
  const { share, heatmap, performance, columnNames, driftedCells, metricNames, latency, errors, hasServing } = useMemo(
    () => timelineOptions(batches),
    [batches],
  );
  // The line starts on the column that drifted most, the one a reader wants first.
  const initial = useMemo(() => mostDrifted(driftCells(batches)), [batches]);
  const [chosen, setChosen] = useState<string | null>(null);
  const column = chosen !== null && columnNames.includes(chosen) ? chosen : initial;
  const line = useMemo(() => (column ? columnLineOption(batches, column) : null), [batches, column]);
  const selectId = useId();
  const shareText = batches
    .map((b) => `${b.label} ${(b.share * 100).toFixed(0)}%${b.datasetDrift ? ' drift' : ''}`)
    .join(', ');
  return (
    <div className="run-cards">
      <InfoCard title="Drift share per batch" wide>
        <Chart option={share} height={220} label={`Drift share per batch against the threshold: ${shareText}`} />
      </InfoCard>
      {columnNames.length > 0 ? (
        <InfoCard title="Drift per column and batch" wide>
          <p className="muted field-help">
            Each cell is one column in one batch, coloured by how far its score lies from its test's threshold (p-values
            and distances alike); × marks a drift. Hover a cell for its score and test.
          </p>
          <Chart
            option={heatmap}
            height={Math.max(160, 90 + columnNames.length * 26)}
            label={`Drift heatmap: ${columnNames.length} columns by ${batches.length} batches, ${driftedCells} drifted cells`}
          />
          <div className="toolbar">
            <label htmlFor={selectId}>Column</label>
            <select
              className="field-input"
              id={selectId}
              value={column ?? ''}
              onChange={(e) => setChosen(e.target.value)}
            >
              {columnNames.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          {line && column ? (
            <Chart
              option={line}
              height={220}
              label={`Score of ${column} per batch against its threshold: ${batches
                .map((b) => {
                  const c = b.columns.find((x) => x.name === column);
                  return `${b.label} ${c?.score === null || c?.score === undefined ? 'none' : c.score.toPrecision(3)}${c?.drifted ? ' drift' : ''}`;
                })
                .join(', ')}`}
            />
          ) : null}
        </InfoCard>
      ) : null}
      {metricNames.length > 0 ? (
        <InfoCard title="Model performance" wide>
          <Chart option={performance} height={220} label={`Model metrics per batch: ${metricNames.join(', ')}`} />
        </InfoCard>
      ) : null}
      {hasServing ? (
        <>
          <InfoCard title="Latency per window (ms)" wide>
            <Chart
              option={latency}
              height={220}
              label="The endpoint's p50, p95 and p99 latency per window, in milliseconds"
            />
          </InfoCard>
          <InfoCard title="Error rate per window" wide>
            <p className="muted field-help">
              Requests answered with status 500 or more, as a share of the window's requests.
            </p>
            <Chart option={errors} height={200} label="The endpoint's error rate per window" />
          </InfoCard>
        </>
      ) : null}
    </div>
  );
}
