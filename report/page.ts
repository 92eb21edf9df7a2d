import type { Cell, DataTable, Section } from './figure';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1rem; margin: 1.4rem 0 0.2rem; } .meta { color: #666; } nav a { margin-right: 0.8rem; }
.reading { margin: 0.2rem 0 0.6rem; } figure { margin: 0; display: flex; flex-wrap: wrap; gap: 1.2rem; align-items: flex-start; }
svg { max-width: 100%; height: auto; } table { border-collapse: collapse; font-size: 12px; }
th, td { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
`;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function cell(value: Cell): string {
  if (value === null) return '<td class="n">-</td>';
  if (typeof value === 'number') return `<td class="n">${value.toLocaleString('en-US', { maximumFractionDigits: 3 })}</td>`;
  return `<td>${escape(value)}</td>`;
}

function dataTable({ header, rows }: DataTable): string {
  const head = `<tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr>`;
  return `<table>${head}${rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('')}</table>`;
}

function section({ id, title, figures }: Section): string {
  const body = figures.map((f) =>
    `<h3>${escape(f.title)}</h3><p class="reading">${escape(f.reading)}</p><figure>${f.svg}${dataTable(f.table)}</figure>`);
  return `<section id="${id}"><h2>${escape(title)}</h2>${body.join('\n')}</section>`;
}

/**
 * The whole report as one HTML file: styles inline, charts as inline SVG, no script, font, image or link to
 * anything else, so it opens from disk, offline, and can be mailed or attached as it is.
 */
export function renderPage(runDate: string, subtitle: string, sections: Section[]): string {
  const nav = sections.map((s) => `<a href="#${s.id}">${escape(s.title)}</a>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>segflow report ${escape(runDate)}</title><style>${STYLE}</style></head>
<body><h1>segflow report for ${escape(runDate)}</h1><p class="meta">${escape(subtitle)}</p><nav>${nav}</nav>
${sections.map(section).join('\n')}
</body></html>
`;
}
