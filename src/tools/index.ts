import type { AnyTool } from '../mcp/tool.js';
import type { AppContext } from './context.js';
import { analysisTools } from './analysis-tools.js';
import { captureTools } from './capture-tools.js';
import { inspectTools } from './inspect-tools.js';
import { pageTools } from './page-tools.js';
import { reportTools } from './report-tools.js';
import { ruleTools } from './rule-tools.js';
import { sessionTools } from './session-tools.js';

/** Every tool bidiscope serves, in the order clients list them. */
export const allTools: AnyTool<AppContext>[] = [
  ...sessionTools,
  ...pageTools,
  ...captureTools,
  ...inspectTools,
  ...ruleTools,
  ...analysisTools,
  ...reportTools,
];
