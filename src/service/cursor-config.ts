/** How long a paging cursor stays valid (RFC 9865 cursorTimeout), in seconds. */
export const CURSOR_TIMEOUT_SECONDS = 3600;
