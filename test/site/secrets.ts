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
