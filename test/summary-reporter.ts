// Ends the run with one plain line, "N passed, N failed, N skipped", that any
// CI can read regardless of vitest's own output format.
import type { Reporter } from "vitest/reporters";

type Task = { type: string; result?: { state?: string }; mode?: string; tasks?: Task[] };

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = []) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    // In a file whose set-up failed, tests that never ran failed too.
    const walk = (task: Task, fileFailed: boolean) => {
      if (task.type === "test") {
        if (task.result?.state === "pass") counts.passed++;
        else if (task.result?.state === "fail" || (fileFailed && task.mode !== "skip" && task.mode !== "todo")) counts.failed++;
        else counts.skipped++;
      }
      task.tasks?.forEach((t) => walk(t, fileFailed));
    };
    files.forEach((f) => walk(f, f.result?.state === "fail"));
    // A file that failed to load has no tests but did fail.
    counts.failed += files.filter((f) => f.result?.state === "fail" && !f.tasks?.length).length;
    console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
