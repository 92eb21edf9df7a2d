import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The look every chart shares: the page's font stack and no border, so charts sit in the page like its text. */
const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
  legend: { labelFontSize: 11, titleFontSize: 11 },
} as const;

/**
 * A Vega-Lite chart as static SVG, rendered in Node by Vega's headless view (no browser, no canvas): the page
 * shows it without JavaScript, and its data never leaves this process.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: compiled } = compile({ ...spec, config: { ...CONFIG, ...spec.config } } as TopLevelSpec);
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
