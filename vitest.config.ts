import { defineConfig } from 'vitest/config'

// CI sets CHORUS_TEST_REPORT to also write vitest's JSON report, from which .ci/run prints the
// plain "N passed, N failed" line.
const report = process.env.CHORUS_TEST_REPORT

export default defineConfig({
  test: {
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{contract,protocol,schedules,audio,broker,controller,speaker-agent,scripts,testing}/**/*.test.ts',
            // The new web UI's pure logic (page table, access, client, i18n): Node, no browser.
            'controller/web/ui/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', 'controller/web/dist/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The spine, access and enrollment tests again, on Debian's Mosquitto with dynamic
        // security instead of the embedded aedes broker (docs/scaling.md).
        test: {
          name: 'mosquitto',
          include: [
            'test/integration/spine.test.ts',
            'test/integration/access.test.ts',
            'test/integration/enrollment.test.ts',
          ],
          env: { CHORUS_TEST_BROKER: 'mosquitto' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
