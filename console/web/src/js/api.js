// The gateway's HTTPS API (docs/console-protocol.md): JSON in and out, the session cookie
// sent by the browser, the CSRF token in `X-CSRF-Token` for every change. Every failure
// becomes an ApiError whose message is the gateway's own one-line reason.

export class ApiError extends Error {
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

async function call(method, path, { body, csrf } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csrf) headers["X-CSRF-Token"] = csrf;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiError(0, `the gateway cannot be reached (${e.message})`);
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const why = data && typeof data.error === "string" ? data.error : `HTTP ${res.status}`;
    const retry = Number(res.headers.get("Retry-After") || 0);
    throw new ApiError(res.status, why, retry);
  }
  return data;
}

/** {user, groups, csrf, expires}, or null when not logged in (or the session expired). */
export async function currentSession() {
  try {
    return await call("GET", "/api/session");
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export const login = (user, password) => call("POST", "/login", { body: { user, password } });
export const logout = (csrf) => call("POST", "/logout", { csrf });
export const listTargets = () => call("GET", "/api/targets");

/**
 * Why the WebSocket to `target` was refused before it opened: a browser is not told the
 * HTTP status of a failed handshake, so the page asks the same endpoint without the upgrade
 * (the gateway runs the same checks). Returns {status, message}.
 */
export async function whyRefused(target, csrf) {
  try {
    await call("GET", `/api/targets/${encodeURIComponent(target)}/ws`, { csrf });
    return { status: 0, message: "" };
  } catch (e) {
    if (e.status === 426) return { status: 426, message: "" };
    return { status: e.status, message: e.message };
  }
}

/** A one-time note carried to the next page (never in the URL). */
export function setPageNote(text) {
  sessionStorage.setItem("comredir.note", text);
}
export function takePageNote() {
  const t = sessionStorage.getItem("comredir.note");
  sessionStorage.removeItem("comredir.note");
  return t;
}
