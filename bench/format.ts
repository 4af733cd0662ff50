// Number and table formatting for RESULTS.md and the console: pure functions, no locale lookups,
// so the same numbers always print the same way.

/** Samples/s or GFLOP/s: three significant figures, thousands separated, never exponent notation. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return groupThousands(Math.round(value).toString());
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  if (magnitude === 0) return "0";
  // Small values keep two significant digits: 0.045, 0.0012.
  return value.toFixed(Math.min(12, 1 - Math.floor(Math.log10(magnitude))));
}

/** Counts: all digits, thousands separated. */
export function formatInteger(value: number): string {
  return groupThousands(Math.round(value).toString());
}

function groupThousands(digits: string): string {
  const sign = digits.startsWith("-") ? "-" : "";
  const body = sign ? digits.slice(1) : digits;
  return sign + body.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function formatRange(min: number, max: number): string {
  return `[${formatNumber(min)}–${formatNumber(max)}]`;
}

export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return "—";
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio >= 0.1 ? ratio.toFixed(2) : formatNumber(ratio)}×`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction >= 0.1 ? 0 : 1)}%`;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  return seconds >= 1 ? `${seconds.toFixed(2)} s` : `${(seconds * 1000).toFixed(0)} ms`;
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
}

/** Max-abs differences: exponent notation reads best for values around 1e-8. */
export function formatDiff(diff: number | null): string {
  if (diff === null) return "—";
  if (!Number.isFinite(diff)) return "∞";
  return diff === 0 ? "0" : diff.toExponential(1);
}

/** A GitHub-flavoured Markdown table; cells are escaped so error messages cannot break it. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  const rule = `|${header.map(() => "---").join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
