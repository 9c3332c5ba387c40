// `refgraph brief <code>`: a code's national briefing on stdout, as Markdown (default) or HTML.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { collectBriefing } from '../briefing/collect.js';
import { briefingDocument } from '../briefing/document.js';
import { renderHtml } from '../briefing/render-html.js';
import { renderMarkdown } from '../briefing/render-markdown.js';
import { loadConfig } from '../config.js';
import type { Db } from '../db/client.js';
import { parseCalendarDate } from '../graphql/scalars.js';
import { HCPCS_CODE, HCPCS_CODE_EXAMPLE } from '../rules/code-patterns.js';
import { withDatabase } from './ingest.js';

export type BriefFormat = 'md' | 'html';

/** The briefing as text; throws (exit 1 in main.ts) when the code is malformed or unknown. */
export async function briefText(
  db: Db,
  rawCode: string,
  options: { format: BriefFormat; asOf?: Date },
): Promise<string> {
  const code = rawCode.trim().toUpperCase();
  if (!HCPCS_CODE.test(code)) throw new Error(`"${rawCode}" is not a HCPCS Level II code (${HCPCS_CODE_EXAMPLE})`);
  const briefing = await collectBriefing(db, code, { asOf: options.asOf });
  if (!briefing) {
    throw new Error(
      `unknown code ${code}${options.asOf ? ` on ${options.asOf.toISOString().slice(0, 10)}` : ''}: it is not in the HCPCS release in force`,
    );
  }
  const document = briefingDocument(briefing);
  return options.format === 'html' ? renderHtml(document) : renderMarkdown(document);
}

function parseAsOf(value: string): Date {
  const date = parseCalendarDate(value);
  if (!date) throw new InvalidArgumentError(`"${value}" is not a date in the form YYYY-MM-DD`);
  return date;
}

export function registerBriefCommand(program: Command): void {
  program
    .command('brief')
    .description("print a code's national briefing from refgraph's data (every fact with its source and release)")
    .argument('<code>', 'a HCPCS Level II code, e.g. A9597')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'html']).default('md'))
    .addOption(new Option('--as-of <YYYY-MM-DD>', 'answer as of this date (default: today)').argParser(parseAsOf))
    .action(async (code: string, options: { format: BriefFormat; asOf?: Date }) => {
      const config = loadConfig();
      const text = await withDatabase(config, (db) => briefText(db, code, options));
      process.stdout.write(text);
    });
}
