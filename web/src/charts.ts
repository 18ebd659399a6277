// The pages' uPlot charts take the width of their holder: drawn once the
// holder is laid out, and resized with it (a phone turned, a window made
// narrower), so a chart never overflows or leaves half its box empty.
import uPlot from "uplot";

const MIN_WIDTH = 300;

function widthOf(holder: HTMLElement): number {
  return Math.max(MIN_WIDTH, Math.floor(holder.clientWidth) || 640);
}

// `make(width)` builds the chart inside `holder`; it is called once.
export function fitChart(holder: HTMLElement, make: (width: number) => uPlot): void {
  requestAnimationFrame(() => {
    holder.replaceChildren();
    const plot = make(widthOf(holder));
    new ResizeObserver(() => {
      const width = widthOf(holder);
      if (width !== plot.width) plot.setSize({ width, height: plot.height });
    }).observe(holder);
  });
}
