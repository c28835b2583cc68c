// Runs in: renderer. A monitor's timeline as line charts: drift share per batch against its
// threshold, each column's score, the model's metrics when the batches carry them, and for a
// monitor of a prediction log the endpoint's latency percentiles and error rate per window.
import { LineChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import type { MonitorBatch } from '../../../../shared/contract';
import { Chart } from '../../components/Chart';
import { InfoCard } from '../../components/InfoCard';
import { timelineOptions } from './timeline-options';

echarts.use([LineChart, LegendComponent]);

export function TimelineCharts({ batches }: { batches: MonitorBatch[] }) {
  const { share, scores, performance, columnNames, metricNames, latency, errors, hasServing } = useMemo(
    () => timelineOptions(batches),
    [batches],
  );
  const shareText = batches
    .map((b) => `${b.label} ${(b.share * 100).toFixed(0)}%${b.datasetDrift ? ' drift' : ''}`)
    .join(', ');
  return (
    <div className="run-cards">
      <InfoCard title="Drift share per batch" wide>
        <Chart option={share} height={220} label={`Drift share per batch against the threshold: ${shareText}`} />
      </InfoCard>
      <InfoCard title="Column scores" wide>
        <p className="muted field-help">
          p-values (a drift when below the threshold) or distances (a drift when above), per batch.
        </p>
        <Chart option={scores} height={240} label={`Scores per batch of ${columnNames.length} columns`} />
      </InfoCard>
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
