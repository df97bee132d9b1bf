// Notification messages turn `[label](command:…)`, `[label](https://…)` and `[label](file:…)`
// into links, and a click on a command link runs that command with the arguments in it. Text
// that comes from a run (names, alert text, recorded paths, a store written by someone else)
// must stay text: a zero-width space between `]` and `(` keeps it from being read as a link,
// and bidirectional controls are removed so a name cannot reorder the sentence around it.

import { neutralizeBidi } from '../../common/displayText';

export function plainText(text: string): string {
  return neutralizeBidi(text).replace(/\]\(/g, ']\u200b(');
}
