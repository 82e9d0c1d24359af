import { defineConfig } from 'vite';

// The app is served by `caredesk serve` from web/dist (same origin as the API),
// so no CDN and no cross-origin requests. `npm run dev` proxies the API to a
// local server (CAREDESK_URL, default http://127.0.0.1:8080).
export default defineConfig({
  base: '/',
  build: {
    outDir: process.env.CAREDESK_WEB_OUT ?? 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    // No inline scripts or data: modules: the page's CSP is script-src 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // Two pages: the staff app and the resident portal (/ask), which carries none of the
    // staff code so that it opens fast on an old phone.
    rollupOptions: {
      input: { main: 'index.html', ask: 'ask.html' },
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: {
    proxy: { '/api': process.env.CAREDESK_URL ?? 'http://127.0.0.1:8080' },
  },
});
