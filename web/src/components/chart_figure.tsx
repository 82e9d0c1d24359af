// One chart with its text alternatives: the canvas is a picture (role="img")
// whose label summarises it in a sentence, and a "표로 보기" table beside it
// holds every number. Chart.js is loaded only when a chart is first drawn.
// The chart is redrawn when the data, the language or the text size changes;
// Chart.js itself follows the size of its box (window resize, zoom).
import { useEffect, useRef, useState } from 'preact/hooks';
import { locale, strings } from '../i18n';
import { largeText } from '../session';
import type { ChartSpec } from './chart_setup';
import './chart_figure.css';

const S = () =>
  strings({
    table: { ko: '표로 보기', en: 'Show as a table' },
    total: { ko: '합계', en: 'Total' },
    failed: { ko: '그래프를 그리지 못했습니다. 아래 표에서 같은 숫자를 볼 수 있습니다.', en: 'The chart could not be drawn. The table below has the same numbers.' },
  });

export interface FigureTable {
  caption: string;
  rowHeader: string;
  columns: string[];
  rows: { label: string; values: number[] }[];
  // A total row; 'both' adds a total column too (stacked data).
  totals?: 'row' | 'both';
}

let loader: Promise<typeof import('./chart_setup')> | null = null;
const loadCharts = () => (loader ??= import('./chart_setup'));

export function ChartFigure(props: {
  id: string;
  title: string;
  summary: string;
  spec: ChartSpec;
  table: FigureTable;
  empty?: string;
  // CSS height of the drawing area, e.g. '18rem'.
  height?: string;
}) {
  const s = S();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const isEmpty = props.spec.labels.length === 0;
  const key = JSON.stringify(props.spec);
  const lang = locale.value;
  const large = largeText.value;
  useEffect(() => {
    if (isEmpty || !canvas.current) return;
    let destroy: (() => void) | null = null;
    let cancelled = false;
    loadCharts().then(
      (m) => {
        if (cancelled || !canvas.current) return;
        try {
          destroy = m.draw(canvas.current, props.spec);
          setFailed(false);
        } catch {
          setFailed(true);
        }
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      destroy?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, lang, large, isEmpty]);

  const t = props.table;
  const columnTotals = t.columns.map((_, c) => t.rows.reduce((sum, r) => sum + (r.values[c] ?? 0), 0));
  const grand = columnTotals.reduce((a, b) => a + b, 0);
  return (
    <section class="card chart-card" id={props.id} aria-labelledby={props.id + '-h'}>
      <h2 id={props.id + '-h'}>{props.title}</h2>
      {isEmpty ? (
        <p class="empty">{props.empty}</p>
      ) : (
        <>
          <div class="chart-box" style={{ height: props.height ?? '18rem' }}>
            <canvas ref={canvas} id={props.id + '-chart'} role="img" aria-label={props.summary} />
          </div>
          {failed && (
            <p class="notice notice-warn" role="status">
              {s.failed}
            </p>
          )}
          <details class="chart-table" open={failed || undefined}>
            <summary>{s.table}</summary>
            <div class="table-wrap">
              <table id={props.id + '-table'}>
                <caption>{t.caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.rowHeader}</th>
                    {t.columns.map((c) => (
                      <th scope="col" class="num">
                        {c}
                      </th>
                    ))}
                    {t.totals === 'both' && (
                      <th scope="col" class="num">
                        {s.total}
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {t.rows.map((r) => (
                    <tr>
                      <th scope="row">{r.label}</th>
                      {r.values.map((v) => (
                        <td class="num">{v}</td>
                      ))}
                      {t.totals === 'both' && <td class="num">{r.values.reduce((a, b) => a + b, 0)}</td>}
                    </tr>
                  ))}
                </tbody>
                {t.totals && (
                  <tfoot>
                    <tr>
                      <th scope="row">{s.total}</th>
                      {columnTotals.map((v) => (
                        <td class="num">{v}</td>
                      ))}
                      {t.totals === 'both' && <td class="num">{grand}</td>}
                    </tr>
                  </tfoot>
                )}
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
