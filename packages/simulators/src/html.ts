const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values (the server-rendered simulator pages). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * The page shell every simulator serves: its own style, a banner saying it is not the real service,
 * a header, and the page's content in `<main>` (with class `narrow` when asked).
 */
export function simulatorPage(page: {
  title: string;
  style: string;
  banner: string;
  header: string;
  main: string;
  narrow?: boolean;
}): string {
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(page.title)}</title>
<style>${page.style}</style>
</head>
<body>
${page.banner}
${page.header}
<main${page.narrow ? ' class="narrow"' : ''}>
${page.main}
</main>
</body>
</html>`;
}
