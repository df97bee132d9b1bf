// What of a run the page already has: a live tick posts only the fields that changed since the
// last snapshot or patch (issue 14, deltas), each field whole. Fields are compared by their JSON.

import type { RunView } from '../../common/runPageProtocol';

export class SentRunView {
  private sent = new Map<string, string>();

  /** The page was sent the whole `view` (a snapshot). */
  reset(view: RunView): void {
    this.sent = new Map(Object.entries(view).map(([field, value]) => [field, JSON.stringify(value)]));
  }

  /** The fields of `view` the page does not have yet (undefined: none), remembered as sent. */
  patch(view: RunView): Partial<RunView> | undefined {
    const fields: Record<string, unknown> = {};
    let changed = false;
    for (const [field, value] of Object.entries(view)) {
      const json = JSON.stringify(value);
      if (this.sent.get(field) === json) continue;
      this.sent.set(field, json);
      fields[field] = value;
      changed = true;
    }
    return changed ? (fields as Partial<RunView>) : undefined;
  }
}
