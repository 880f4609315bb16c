/** Explaining a new-session request that got no answer: a Selenium Grid queues requests while every slot is busy. */

/** The endpoint as shown in messages: without user name and password. */
export function displayEndpoint(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href.replace(/\/$/, '');
}

interface GridStatus {
  value?: { ready?: unknown; message?: unknown; nodes?: Array<{ sessionTimeout?: unknown; slots?: Array<{ session?: unknown }> }> };
}

/** The shortest node `sessionTimeout` (ms) a Selenium Grid 4 `/status` answer tells; undefined when none. */
export function gridSessionTimeoutMs(status: unknown): number | undefined {
  const nodes = (status as GridStatus | undefined)?.value?.nodes;
  if (!Array.isArray(nodes)) return undefined;
  const timeouts = nodes.map((node) => node.sessionTimeout).filter((value): value is number => typeof value === 'number' && value > 0);
  return timeouts.length > 0 ? Math.min(...timeouts) : undefined;
}

/** The endpoint's `/status` answer (JSON), bounded; undefined when there is none. */
export async function endpointStatus(url: URL, timeoutMs = 2000): Promise<unknown> {
  const statusUrl = new URL('status', url.href.endsWith('/') ? url.href : `${url.href}/`);
  statusUrl.username = '';
  statusUrl.password = '';
  try {
    const response = await fetch(statusUrl, { signal: AbortSignal.timeout(timeoutMs) });
    return await response.json();
  } catch {
    return undefined;
  }
}

/** Busy and total slots from a Selenium Grid 4 `/status` answer; undefined when it is not a grid's. */
export function gridSlots(status: unknown): { busy: number; total: number } | undefined {
  const nodes = (status as GridStatus | undefined)?.value?.nodes;
  if (!Array.isArray(nodes)) return undefined;
  let busy = 0;
  let total = 0;
  for (const node of nodes) {
    for (const slot of node.slots ?? []) {
      total += 1;
      if (slot.session !== null && slot.session !== undefined) busy += 1;
    }
  }
  return { busy, total };
}

/** The text for a new-session request that ended at the start timeout; asks the endpoint's `/status` (bounded). */
export async function newSessionTimeoutMessage(url: URL, shown: string, timeoutMs: number): Promise<string> {
  const seconds = Math.round(timeoutMs / 100) / 10;
  const slots = gridSlots(await endpointStatus(url));
  const hint = 'Close a session there, add slots or nodes, or give initialize_session a longer timeoutMs.';
  if (slots === undefined) {
    return `The WebDriver endpoint ${shown} queued the new session: no free slot within ${seconds} s (no answer to the new-session request). ${hint}`;
  }
  return `The WebDriver endpoint ${shown} queued the new session: no free slot within ${seconds} s (the grid has ${slots.busy} of ${slots.total} slots busy). ${hint}`;
}
