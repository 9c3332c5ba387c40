// The frame every page shares: head, navigation, one inline stylesheet (screen and print), footer.
// The stylesheet is the only thing the page does not carry as markup, and the Content-Security-
// Policy allows exactly it (by its hash): no script, no font, no image, nothing from elsewhere.
import { createHash } from 'node:crypto';
import { BRIEFING_STYLE, escapeHtml } from '../briefing/render-html.js';

const PAGE_STYLE = `${BRIEFING_STYLE}
a{color:#1d4f91}header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:1.25rem;padding:0;margin:0 0 1rem;border-bottom:1px solid #ccc;padding-bottom:.5rem}
caption{text-align:left;font-weight:600;margin-bottom:.25rem}
form.query{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;margin:1rem 0}
form.query label{display:block;font-weight:600;margin-bottom:.2rem}
input{font:inherit;padding:.35rem .5rem;border:1px solid #767676;border-radius:3px}input[type=search]{min-width:22rem;max-width:100%}
button{font:inherit;padding:.4rem 1rem;border:1px solid #1d4f91;background:#1d4f91;color:#fff;border-radius:3px;cursor:pointer}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{color:#4b4b4b;margin-top:.25rem}
.problem{border-left:4px solid #a4000f;background:#fdf3f4;padding:.5rem 1rem}
footer{margin-top:2rem;border-top:1px solid #ccc;padding-top:.5rem;color:#4b4b4b;font-size:.9rem}
@media print{
header nav,form.query,footer{display:none}
body{max-width:none;margin:0;padding:0;font-size:10pt;color:#000}
a{color:inherit;text-decoration:none}main a[href^="http"]::after{content:" (" attr(href) ")";font-size:8pt;word-break:break-all}
table{font-size:9pt}th{background:#eee}tr,figure{break-inside:avoid}h2,h3{break-after:avoid}
}
@page{margin:1.5cm}`;

/** The Content-Security-Policy of every page: its own stylesheet (by hash), forms to itself, nothing else. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Changes whenever the frame's look does, so a cached page (ETag) is not kept across a restyle. */
export const LAYOUT_REVISION = createHash('sha256').update(PAGE_STYLE).digest('hex').slice(0, 8);

/** What the navigation offers the caller: /metrics only where the caller may read it. */
export interface Navigation {
  metrics: boolean;
}

export interface PageContent {
  title: string;
  /** The inside of <main>, already escaped. */
  main: string;
  /** A line for the footer (e.g. the data version). */
  footer?: string;
}

function navigation({ metrics }: Navigation): string {
  const links = [
    '<li><a href="/">Search codes</a></li>',
    '<li><a href="/graphql">GraphiQL (GraphQL API)</a></li>',
    ...(metrics ? ['<li><a href="/metrics">Metrics</a></li>'] : []),
  ];
  return `<header><nav aria-label="refgraph"><ul>${links.join('')}</ul></nav></header>`;
}

export function layout(page: PageContent, nav: Navigation): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)} · refgraph</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    navigation(nav),
    '<main>',
    page.main,
    '</main>',
    `<footer><p>refgraph: US healthcare billing reference data, from the files it has loaded and nothing else.${page.footer ? ` ${escapeHtml(page.footer)}` : ''}</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A page as a page module answers it: its content and HTTP status (headers for refusals). */
export interface PageResult extends PageContent {
  status: number;
  headers?: Record<string, string>;
}
