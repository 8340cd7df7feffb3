import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [react()],
  test: {
    // Servers (sshd, dockerd, a Secret Service, Chromium) start in tests; give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/renderer/**/*.test.tsx', 'test/fleet/**/*.test.ts', 'test/host/**/*.test.ts', 'test/providers/**/*.test.ts', 'test/ssh/**/*.test.ts', 'test/docker/**/*.test.ts', 'test/systemd/**/*.test.ts', 'test/facts/**/*.test.ts', 'test/logs/**/*.test.ts', 'test/terminals/**/*.test.ts', 'test/checks/**/*.test.ts', 'test/deploys/**/*.test.ts', 'test/files/**/*.test.ts'] }
      },
      {
        extends: true,
        // One browser at a time: each file starts its own host and Chromium.
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false }
      }
    ]
  }
})
