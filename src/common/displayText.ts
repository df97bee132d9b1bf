// User text (run names, project names, tags) shown by the editor and by the webviews. Names can
// hold Unicode bidirectional controls: a right-to-left override makes `‮gnp.exe` read as
// `exe.png` (CVE-2021-42574, "Trojan Source"). Outside webviews (tree, tab titles,
// notifications, quick picks) they are removed, so text reads in the order it is stored;
// inside webviews they are shown as visible marks, e.g. ⟨U+202E⟩, so the name is still seen whole.
// Pure: imported by the extension host and the webviews alike.

/** ALM, LRM, RLM, the embeddings and overrides LRE…RLO, and the isolates LRI…PDI. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function hasBidiControls(text: string): boolean {
  BIDI_CONTROLS.lastIndex = 0;
  return BIDI_CONTROLS.test(text);
}

/** The text without bidirectional controls: for the editor's own surfaces. */
export function neutralizeBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** The text with each bidirectional control shown as ⟨U+XXXX⟩: for webviews. */
export function revealBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** Longest editor tab title, in characters, before it is cut with an ellipsis. */
export const TAB_TITLE_MAX = 40;

/**
 * A name fit for an editor tab: no bidirectional controls, at most `max` characters (cut
 * with "…", never inside a surrogate pair). The full name belongs in the tooltip.
 */
export function tabTitle(name: string, max = TAB_TITLE_MAX): string {
  const chars = Array.from(neutralizeBidi(name).replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
