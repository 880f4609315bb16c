/** The secret-looking values the test site's index page sends; each is unique and never a substring of another. */
export interface SiteSecrets {
  /** Sent in the JSON body of `POST /api/login` (`password`). */
  password: string;
  /** Sent as `authorization: Bearer …` on `POST /api/login`, and returned in its JSON body as `token`. */
  bearerToken: string;
  /** Set by `POST /api/login` as `Set-Cookie: sid=…`; later same-origin requests carry `Cookie: sid=…`. */
  sessionCookie: string;
  /** Sent in the query string of the XHR: `/api/xhr?q=1&api_key=…`. */
  apiKey: string;
  /** Sent nested in the login JSON body: `nested.refresh_token`. */
  refreshToken: string;
}

/** Known secrets, so redaction can be tested by searching output for these exact strings. */
export const SITE_SECRETS: Readonly<SiteSecrets> = Object.freeze({
  password: 'pw-Hunter2-q8Zt4vK',
  bearerToken: 'bearer-Tk9xW2mLr7Qa',
  sessionCookie: 'sid-Cq3Jf8nYp1Ds',
  apiKey: 'apikey-Vb6Hs0Ew5Gu',
  refreshToken: 'refresh-Mz4Lk7Rt2Xo',
});

/** Secrets an AWS-style JSON API sends and receives (`/api/typed`): tokens in the response, a password in the request. */
export const TYPED_API_SECRETS = Object.freeze({
  accessToken: 'aws-access-Qx7Nd2Rk9Lp',
  refreshToken: 'aws-refresh-Wm3Tc8Yh1Fs',
  idToken: 'aws-id-Zb5Gv0Ue6Jn',
  password: 'aws-pass-Hk4Ps9Oa2Ic',
});

/** Content types `/api/typed?type=` answers with (a JSON document under each). */
export const TYPED_API_TYPES = [
  'application/json',
  'application/x-amz-json-1.1',
  'application/vnd.api+json',
  'application/graphql-response+json',
  'application/x-ndjson',
  'application/octet-stream',
] as const;
