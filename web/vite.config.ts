import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// The API server (`slb serve`, port 8000) answers /api; the dev server proxies to it.
const API = process.env.SLB_API_URL ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': API, '/health': API },
    // The demo portfolio is imported from ../examples.
    fs: { allow: ['..'] },
  },
  build: {
    chunkSizeWarningLimit: 400,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
})
