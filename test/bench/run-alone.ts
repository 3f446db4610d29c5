/** What a bench section reports: its lines, and the goals it did not meet. */
export interface SectionResult {
  lines: string[];
  unmet: string[];
}

/** A section run on its own (`node dist/test/bench/<section>.js [--check]`): its lines, non-zero under --check when a goal is not met. */
export function runAlone(section: () => Promise<SectionResult>): void {
  section().then(
    ({ lines, unmet }) => {
      console.log(lines.map((l) => `- ${l}`).join('\n'));
      if (process.argv.includes('--check') && unmet.length > 0) {
        console.error(`\ngoals not met: ${unmet.join('; ')}`);
        process.exitCode = 1;
      }
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
