// Helpers shared by the suites that run inside the extension host.
export { eventually } from '../harness/eventually';
