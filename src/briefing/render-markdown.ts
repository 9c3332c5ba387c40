// A briefing as GitHub-flavoured Markdown (tables; cell text escaped so a pipe or newline in the
// data cannot break a table).
import { NO_DATA, type Block, type BriefingDocument } from './document.js';

function inline(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/([*_`[\]<>#|])/g, '\\$1')
    .replace(/\s*\n\s*/g, ' ');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return inline(b.text);
    case 'subheading':
      return `### ${inline(b.text)}`;
    case 'no-data':
      return `_${NO_DATA}_`;
    case 'table':
      return [
        `| ${b.columns.map(inline).join(' | ')} |`,
        `| ${b.columns.map(() => '---').join(' | ')} |`,
        ...b.rows.map((row) => `| ${row.map(inline).join(' | ')} |`),
      ].join('\n');
  }
}

export function renderMarkdown(document: BriefingDocument): string {
  const parts = [`# ${inline(document.title)}`, `_${inline(document.subtitle)}_`];
  for (const section of document.sections) {
    parts.push(`## ${inline(section.title)}`, ...section.blocks.map(block));
  }
  return `${parts.join('\n\n')}\n`;
}
