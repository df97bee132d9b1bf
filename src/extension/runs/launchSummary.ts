// What the launch sheet says about the project and name a run will get. A script's
// `init(project=…, name=…)` wins over the sheet's (the SDK reads RUNLOG_PROJECT and
// RUNLOG_RUN_NAME only when the call leaves them out), so the sheet reads the call and says so.
// Pure: the caller reads the script.
import type { InitArgument, InitCallArguments } from '../codelens/initCall';

export interface LaunchField {
  /** The row's description. */
  readonly text: string;
  /** The script decides: editing the field in the sheet would change nothing. */
  readonly fromScript: boolean;
}

export interface LaunchSummary {
  readonly project: LaunchField;
  readonly name: LaunchField;
  /** The Start Run row's description after the script's path: "in project mnist". */
  readonly where: string;
}

function scriptArgument(call: InitCallArguments | undefined, keyword: string): InitArgument | 'spread' | undefined {
  const arg = call?.keywords.get(keyword);
  if (arg) return arg;
  return call?.spread ? 'spread' : undefined;
}

export function launchSummary(
  current: { readonly project?: string; readonly name?: string },
  defaultProject: string,
  call: InitCallArguments | undefined,
): LaunchSummary {
  const line = call ? `line ${call.line + 1}` : '';
  const field = (keyword: 'project' | 'name', own: string): LaunchField => {
    const arg = scriptArgument(call, keyword);
    if (arg === undefined) return { text: own, fromScript: false };
    if (arg === 'spread') return { text: `${own} (unless the script's init(**…) on ${line} sets ${keyword}=)`, fromScript: false };
    if ('literal' in arg) return { text: `${arg.literal}, set by the script's init(${keyword}=…) on ${line}`, fromScript: true };
    return { text: `computed by the script's init(${keyword}=…) on ${line}`, fromScript: true };
  };
  const project = field('project', current.project || defaultProject);
  const name = field('name', current.name || 'generated (adjective-noun-N)');
  const projectArg = scriptArgument(call, 'project');
  const where =
    projectArg && projectArg !== 'spread'
      ? 'literal' in projectArg
        ? `in project ${projectArg.literal}`
        : 'in the project the script computes'
      : `in project ${current.project || defaultProject}`;
  return { project, name, where };
}
