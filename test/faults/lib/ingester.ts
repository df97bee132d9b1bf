// A second reader of a store in its own process (another VS Code window, the CLI): opens the
// store and ingests in a loop until `<stopFile>` exists, then prints what went wrong, as JSON.
//   node --import tsx test/faults/lib/ingester.ts <storeDir> <stopFile>
import { existsSync } from 'node:fs';
import { Store } from '../../../src/core/store/Store';

const [dir, stopFile] = process.argv.slice(2) as [string, string];
async function main(): Promise<void> {
  const problems: string[] = [];
  let passes = 0;
  let store: Store | undefined;
  try {
    store = Store.open(dir);
    store.onDidFail((failures) => problems.push(...failures.map((f) => `${f.run} ${f.file}: ${f.message}`)));
    process.stdout.write('READY\n');
    while (!existsSync(stopFile)) {
      try {
        store.sync();
        for (const run of store.listRuns(undefined)) store.getHistory(run.key, 'loss', { buckets: 100 });
        passes++;
      } catch (error) {
        problems.push(`thrown: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    store.sync();
  } catch (error) {
    problems.push(`thrown: ${(error as Error).message}`);
  } finally {
    store?.close();
  }
  process.stdout.write(JSON.stringify({ passes, problems }) + '\n');
}

void main();
