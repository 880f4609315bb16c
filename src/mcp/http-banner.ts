/**
 * The start-up lines printed to stderr in HTTP mode: where the endpoint is, the token (only when bidiscope generated it;
 * a token the user chose is not echoed) and a client config line ready to paste.
 */
export function httpBanner(url: string, token: string, generated: boolean): string[] {
  const shownToken = generated ? token : '<your --http-token / BIDISCOPE_HTTP_TOKEN>';
  const config = JSON.stringify({
    mcpServers: { bidiscope: { type: 'http', url, headers: { Authorization: `Bearer ${shownToken}` } } },
  });
  return [
    `serving MCP Streamable HTTP on ${url} (loopback only; every request needs "Authorization: Bearer <token>")`,
    ...(generated ? [`generated bearer token (set --http-token or BIDISCOPE_HTTP_TOKEN to choose one): ${token}`] : []),
    `client config: ${config}`,
  ];
}
