// A small SVG line chart of the score over time (NPS −100…100 or CSAT 0…100 %),
// drawn without a charting library. Points carry their value and the number
// of answers in a <title>, so hovering shows them and screen readers read them.

export interface ScorePoint {
  date: string;
  score: number;
  responses: number;
}

const W = 640;
const H = 200;
const PAD = { top: 12, right: 12, bottom: 24, left: 40 };

export function ScoreChart({ points, scale, label }: { points: ScorePoint[]; scale: "csat" | "nps"; label: string }) {
  const [lo, hi] = scale === "nps" ? [-100, 100] : [0, 100];
  const x = (i: number) => PAD.left + (points.length <= 1 ? (W - PAD.left - PAD.right) / 2 : (i / (points.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + ((hi - v) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const ticks = scale === "nps" ? [-100, -50, 0, 50, 100] : [0, 25, 50, 75, 100];
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.score).toFixed(1)}`).join(" ");
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} style={{ width: "100%", height: "auto", display: "block" }}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e3e3e3" strokeDasharray={t === 0 && scale === "nps" ? undefined : "4 4"} />
          <text x={PAD.left - 6} y={y(t) + 4} fontSize="11" textAnchor="end" fill="#616161">
            {scale === "csat" ? `${t}%` : t}
          </text>
        </g>
      ))}
      <path d={path} fill="none" stroke="#2c6ecb" strokeWidth="2" strokeLinejoin="round" />
      {points.map((p, i) => (
        <g key={p.date}>
          <circle cx={x(i)} cy={y(p.score)} r="4" fill="#2c6ecb">
            <title>{`${p.date}: ${scale === "csat" ? `${p.score}%` : p.score} (${p.responses} ${p.responses === 1 ? "answer" : "answers"})`}</title>
          </circle>
          {i % labelEvery === 0 && (
            <text x={x(i)} y={H - 6} fontSize="11" textAnchor="middle" fill="#616161">
              {new Date(`${p.date}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" })}
            </text>
          )}
        </g>
      ))}
    </svg>
  );
}

/** Horizontal bars (score distribution, "how did you hear about us"). */
export function Bars({ rows, label }: { rows: { label: string; count: number }[]; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const total = rows.reduce((s, r) => s + r.count, 0);
  return (
    <div role="list" aria-label={label} style={{ display: "grid", gap: 8 }}>
      {rows.map((r) => (
        <div role="listitem" key={r.label} style={{ display: "grid", gridTemplateColumns: "minmax(80px, 30%) 1fr 72px", alignItems: "center", gap: 8 }}>
          <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>{r.label}</span>
          <span style={{ background: "#f1f1f1", borderRadius: 4, height: 12, overflow: "hidden" }}>
            <span style={{ display: "block", height: "100%", width: `${(r.count / max) * 100}%`, background: "#2c6ecb" }} />
          </span>
          <span style={{ textAlign: "right", color: "#616161" }}>
            {r.count} {total ? `(${Math.round((r.count / total) * 100)}%)` : ""}
          </span>
        </div>
      ))}
    </div>
  );
}
