// "Runlog: Show SDK Usage": the README that ships inside the extension, as a Markdown preview.
// The guide ships with the extension, so it opens without the network. vsce stores the file as
// `readme.md` whatever its name in the repository, and extension folders can sit on
// case-sensitive file systems, so the file is looked up by name without regard to case.

import * as vscode from 'vscode';

/** The extension's README, whatever the case of its name; undefined when the folder has none. */
export async function findReadme(extensionUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const entries = await vscode.workspace.fs.readDirectory(extensionUri);
  const names = entries.filter(([name, type]) => type === vscode.FileType.File && /^readme\.md$/i.test(name)).map(([name]) => name);
  // Prefer the repository's spelling when both exist (a case-insensitive disk lists one).
  const name = names.includes('README.md') ? 'README.md' : names.sort()[0];
  return name === undefined ? undefined : vscode.Uri.joinPath(extensionUri, name);
}

export function registerSdkGuideCommand(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand('runlog.showSdkHelp', async () => {
    const readme = await findReadme(extensionUri);
    if (!readme) {
      void vscode.window.showErrorMessage(`Runlog's SDK guide (README.md) is missing from ${extensionUri.fsPath}; reinstall the extension.`);
      return;
    }
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  });
}
