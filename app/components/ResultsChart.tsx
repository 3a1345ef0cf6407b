// A line chart of the results dashboard, drawn by Polaris Viz in the browser
// only: the chart measures its container, which the server cannot.
import { useEffect, useState } from "react";
import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { SkeletonBodyText } from "@shopify/polaris";

export interface ChartSeries {
  name: string;
  data: { key: string; value: number }[];
}

const shortDate = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function ResultsChart({ series, valueLabel }: { series: ChartSeries[]; valueLabel?: (value: number) => string }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted) return <SkeletonBodyText lines={8} />;
  return (
    <PolarisVizProvider>
      <div style={{ height: 260 }}>
        <LineChart
          data={series}
          theme="Light"
          xAxisOptions={{ labelFormatter: (value) => shortDate(String(value)) }}
          yAxisOptions={{ labelFormatter: (value) => (valueLabel ? valueLabel(Number(value)) : Number(value).toLocaleString("en-US")) }}
        />
      </div>
    </PolarisVizProvider>
  );
}
