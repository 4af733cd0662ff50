// Trailing comments: at least two spaces after the code, and comments that were aligned in the
// original (a run of trailing comments at one column) stay aligned, at that column unless the
// code has grown past it or the column lies past maxWidth (the comment ended a line that was
// reflowed). Running it on its own output changes nothing.
import type { CommentItem } from "./items.js";
import { maxWidth } from "./statements.js";

export interface Line {
  /** indentation and code; for a comment on its own line, the comment */
  code: string;
  /** a comment after the code */
  comment?: CommentItem;
  /** 0-based column the trailing comment starts at, set by alignTrailingComments */
  commentColumn?: number;
}

const minGap = 2;

export function alignTrailingComments(lines: readonly Line[]): void {
  const commented = lines.filter((line) => line.comment !== undefined);
  let start = 0;
  for (let i = 1; i <= commented.length; i++) {
    if (i < commented.length && commented[i]!.comment!.column === commented[start]!.comment!.column) continue;
    const run = commented.slice(start, i);
    const written = run[0]!.comment!.column;
    const column = Math.max(written <= maxWidth ? written : 0, ...run.map((line) => line.code.trimEnd().length + minGap));
    for (const line of run) {
      line.code = line.code.trimEnd();
      line.commentColumn = column;
    }
    start = i;
  }
}
