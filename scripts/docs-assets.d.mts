/** Copies Swagger UI into public/docs (scripts/docs-assets.mjs); returns the folder. */
export function buildDocsAssets(root?: string): string;
