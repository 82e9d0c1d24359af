// Chart.js, loaded on demand (only the dashboard draws charts): only the parts
// the dashboard uses are registered, to keep this chunk small. Calm defaults:
// no animation, the app's font and ink colour, a pattern per series so colour
// is never the only cue, and the numbers written at the end of each bar.
import {
  Chart,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
  LineController,
  LineElement,
  PointElement,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip, LineController, LineElement, PointElement);

export type ChartKind = 'bar' | 'hbar' | 'stacked';

export interface Series {
  label: string;
  values: number[];
}

export interface ChartSpec {
  kind: ChartKind;
  labels: string[];
  series: Series[];
  // Axis titles (the value axis and the category axis).
  valueTitle?: string;
  categoryTitle?: string;
}

// Okabe–Ito colours (distinguishable with colour-blindness), each bar edged in
// dark ink so its shape has enough contrast on white whatever the fill.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'];
const INK = '#1b1f24';
const GRID = '#c9d1da';

type Drawer = (c: CanvasRenderingContext2D, size: number) => void;
const PATTERNS: Drawer[] = [
  () => {}, // solid
  (c, s) => {
    // diagonal stripes
    c.beginPath();
    c.moveTo(0, s);
    c.lineTo(s, 0);
    c.moveTo(-s / 2, s / 2);
    c.lineTo(s / 2, -s / 2);
    c.moveTo(s / 2, s * 1.5);
    c.lineTo(s * 1.5, s / 2);
    c.stroke();
  },
  (c, s) => {
    // dots
    c.beginPath();
    c.arc(s / 4, s / 4, s / 8, 0, Math.PI * 2);
    c.arc((3 * s) / 4, (3 * s) / 4, s / 8, 0, Math.PI * 2);
    c.fill();
  },
  (c, s) => {
    // horizontal lines
    c.beginPath();
    c.moveTo(0, s / 4);
    c.lineTo(s, s / 4);
    c.moveTo(0, (3 * s) / 4);
    c.lineTo(s, (3 * s) / 4);
    c.stroke();
  },
  (c, s) => {
    // cross-hatch
    c.beginPath();
    c.moveTo(0, 0);
    c.lineTo(s, s);
    c.moveTo(s, 0);
    c.lineTo(0, s);
    c.stroke();
  },
  (c, s) => {
    // vertical lines
    c.beginPath();
    c.moveTo(s / 4, 0);
    c.lineTo(s / 4, s);
    c.moveTo((3 * s) / 4, 0);
    c.lineTo((3 * s) / 4, s);
    c.stroke();
  },
  (c, s) => {
    // checks
    c.fillRect(0, 0, s / 2, s / 2);
    c.fillRect(s / 2, s / 2, s / 2, s / 2);
  },
  (c, s) => {
    // grid
    c.beginPath();
    c.moveTo(s / 2, 0);
    c.lineTo(s / 2, s);
    c.moveTo(0, s / 2);
    c.lineTo(s, s / 2);
    c.stroke();
  },
];

function pattern(index: number): CanvasPattern | string {
  const colour = COLOURS[index % COLOURS.length];
  const size = 12;
  const tile = document.createElement('canvas');
  tile.width = size;
  tile.height = size;
  const c = tile.getContext('2d');
  if (!c) return colour;
  c.fillStyle = colour;
  c.fillRect(0, 0, size, size);
  c.strokeStyle = 'rgba(255,255,255,0.85)';
  c.fillStyle = 'rgba(255,255,255,0.85)';
  c.lineWidth = 2;
  PATTERNS[index % PATTERNS.length](c, size);
  return c.createPattern(tile, 'repeat') ?? colour;
}

// Writes each bar's value (or, stacked, each stack's total) at its end.
const valueLabels: Plugin = {
  id: 'caredeskValueLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    ctx.save();
    ctx.fillStyle = INK;
    const font = Chart.defaults.font;
    ctx.font = `600 ${font.size}px ${font.family}`;
    const count = chart.data.labels?.length ?? 0;
    for (let i = 0; i < count; i++) {
      let total = 0;
      let end: { x: number; y: number } | null = null;
      chart.data.datasets.forEach((ds, d) => {
        const meta = chart.getDatasetMeta(d);
        if (meta.hidden) return;
        const v = Number(ds.data[i] ?? 0);
        total += v;
        const el = meta.data[i] as unknown as { x: number; y: number } | undefined;
        if (!el) return;
        if (!end || (horizontal ? el.x > end.x : el.y < end.y)) end = { x: el.x, y: el.y };
      });
      if (!end) continue;
      const at = end as { x: number; y: number };
      const text = String(total);
      if (horizontal) {
        ctx.textAlign = 'left';
        ctx.textBaseline = 'middle';
        ctx.fillText(text, at.x + 6, at.y);
      } else {
        ctx.textAlign = 'center';
        ctx.textBaseline = 'bottom';
        ctx.fillText(text, at.x, at.y - 4);
      }
    }
    ctx.restore();
  },
};

function appFont() {
  const style = getComputedStyle(document.documentElement);
  const base = parseFloat(style.fontSize) || 16;
  return { family: style.fontFamily || 'system-ui, sans-serif', size: Math.round(base * 0.875) };
}

// Draws a chart on the canvas; returns a function that removes it.
export function draw(canvas: HTMLCanvasElement, spec: ChartSpec): () => void {
  const font = appFont();
  Chart.defaults.font.family = font.family;
  Chart.defaults.font.size = font.size;
  Chart.defaults.color = INK;
  const horizontal = spec.kind === 'hbar';
  const stacked = spec.kind === 'stacked';
  const max = Math.max(
    1,
    ...spec.labels.map((_, i) => (stacked ? spec.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0) : Math.max(...spec.series.map((s) => s.values[i] ?? 0)))),
  );
  // Room for the written values beyond the longest bar.
  const suggestedMax = Math.ceil(max * 1.15) + 1;
  const valueAxis = {
    beginAtZero: true,
    suggestedMax,
    stacked,
    ticks: { precision: 0, color: INK },
    grid: { color: GRID },
    border: { color: INK },
    title: spec.valueTitle ? { display: true, text: spec.valueTitle, color: INK } : undefined,
  };
  const categoryAxis = {
    stacked,
    ticks: { color: INK, autoSkip: false },
    grid: { display: false },
    border: { color: INK },
    title: spec.categoryTitle ? { display: true, text: spec.categoryTitle, color: INK } : undefined,
  };
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: spec.series.length > 1 ? pattern(i) : COLOURS[0],
        borderColor: INK,
        borderWidth: 1,
        maxBarThickness: 48,
      })),
    },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      // The canvas is a picture (role="img" with a summary); its table is the text.
      events: ['mousemove', 'mouseout', 'click'],
      layout: { padding: { top: horizontal ? 0 : 8, right: horizontal ? 24 : 8 } },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: {
          display: spec.series.length > 1,
          position: 'bottom',
          labels: { color: INK, boxWidth: 28, boxHeight: 16, padding: 14 },
        },
        tooltip: { enabled: true },
      },
    },
    plugins: [valueLabels],
  };
  const chart = new Chart(canvas, config);
  return () => chart.destroy();
}
