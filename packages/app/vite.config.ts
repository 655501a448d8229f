import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The built app is served by the desktop bridge server under a strict CSP (no inline scripts,
// images only from 'self'), so nothing is inlined as a data: URL.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
    // One local bundle served from 127.0.0.1: no network cost to split it. The passphrase
    // estimator's dictionaries (~1.7 MB) are their own chunk, loaded lazily by the meter.
    chunkSizeWarningLimit: 1800,
  },
});
