import { type Html, html, jsonScript, trusted } from './html';
import { LANGUAGES, type Language, localePath, type Strings } from './i18n';

/** What the `<head>` of a page says about it to browsers, search engines and link previews. */
export interface PageHead {
  title: string;
  /** Plain text, a sentence or two. */
  description: string;
  /** The page's French path (`/datasets/<slug>/`), with its query if it has one that matters. */
  path: string;
  type?: 'website' | 'article';
  image?: string | null;
  jsonLd?: unknown;
  /** Search result pages and error pages are not for indexes. */
  noindex?: boolean;
}

export interface SiteContext {
  siteUrl: string;
  apiUrl: string;
  language: Language;
  t: Strings;
}

const OG_LOCALES: Record<Language, string> = { fr: 'fr_FR', en: 'en_GB' };

/**
 * One small stylesheet, inline: a page needs no other request to be read. Written as is (not escaped)
 * and allowed by its hash in the pages' Content-Security-Policy (delivery.ts).
 */
export const PAGE_STYLE = `
:root{color-scheme:light;--ink:#161616;--muted:#555;--line:#ddd;--accent:#000091}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink)}
a{color:var(--accent)}header,main,footer{max-width:72rem;margin:0 auto;padding:1rem}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;border-bottom:1px solid var(--line)}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none}
form.search{display:flex;gap:.5rem}form.search input{padding:.4rem;min-width:16rem;font:inherit}
button{font:inherit;padding:.4rem .8rem;background:var(--accent);color:#fff;border:0;border-radius:.25rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
.meta{color:var(--muted)}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
ul.cards{list-style:none;padding:0;display:grid;gap:1rem}ul.cards li{border:1px solid var(--line);border-radius:.25rem;padding:1rem}
ul.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}ul.tags a{background:#eee;border-radius:1rem;padding:.1rem .6rem;text-decoration:none}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid var(--line)}
nav.pages{display:flex;gap:1rem;margin-top:1rem}footer{border-top:1px solid var(--line);color:var(--muted)}
.search-layout{display:grid;gap:1.5rem}@media(min-width:48rem){.search-layout{grid-template-columns:14rem 1fr}}nav.facets ul{list-style:none;padding:0}nav.facets h2{font-size:1.1rem}nav.facets h3{font-size:1rem;margin-bottom:.25rem}
article.discussion{border-top:1px solid var(--line)}article.discussion ol{list-style:none;padding:0}
`;

export function absolute(context: SiteContext, path: string): string {
  return `${context.siteUrl}${path}`;
}

/** The page's URL in a language. */
export function pageUrl(context: SiteContext, language: Language, path: string): string {
  return absolute(context, localePath(language, path));
}

export function layout(context: SiteContext, head: PageHead, body: Html): string {
  const { t, language } = context;
  const canonical = pageUrl(context, language, head.path);
  const other: Language = language === 'fr' ? 'en' : 'fr';
  const title = `${head.title} · ${t.siteName}`;
  return `<!doctype html>${html`<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${head.description}">
${head.noindex ? html`<meta name="robots" content="noindex, follow">` : ''}
<link rel="canonical" href="${canonical}">
${LANGUAGES.map((each) => html`<link rel="alternate" hreflang="${each}" href="${pageUrl(context, each, head.path)}">\n`)}<link rel="alternate" hreflang="x-default" href="${pageUrl(context, 'fr', head.path)}">
<meta property="og:site_name" content="${t.siteName}">
<meta property="og:type" content="${head.type ?? 'website'}">
<meta property="og:title" content="${head.title}">
<meta property="og:description" content="${head.description}">
<meta property="og:url" content="${canonical}">
<meta property="og:locale" content="${OG_LOCALES[language]}">
<meta property="og:locale:alternate" content="${OG_LOCALES[other]}">
${head.image ? html`<meta property="og:image" content="${head.image}">` : ''}
<meta name="twitter:card" content="summary">
<style>${trusted(PAGE_STYLE)}</style>
${head.jsonLd ? html`<script type="application/ld+json">${jsonScript(head.jsonLd)}</script>` : ''}
</head>
<body>
<a class="skip" href="#main">${language === 'fr' ? 'Aller au contenu' : 'Skip to content'}</a>
<header>
<a class="brand" href="${localePath(language, '/')}">${t.siteName}</a>
<form class="search" role="search" action="${localePath(language, '/datasets/')}" method="get">
<label class="skip" for="q">${t.searchPlaceholder}</label>
<input id="q" type="search" name="q" placeholder="${t.searchPlaceholder}">
<button type="submit">${t.search}</button>
</form>
<a href="${localePath(other, head.path)}" hreflang="${other}" lang="${other}">${t.otherLanguage}</a>
</header>
<main id="main">
${body}
</main>
<footer><p>${t.siteName} · ${t.tagline} · <a href="${context.apiUrl}/api/1/">${t.api}</a></p></footer>
</body>
</html>
`}`;
}

/** A short plain-text description from Markdown: what `description` and `og:description` carry. */
export function plainExcerpt(markdown: string, length = 200): string {
  const text = markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`~|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;
}
