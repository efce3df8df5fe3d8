/** Set by server.ts from the socket (never trusted from the client) for Next's handlers. */
export const CLIENT_IP_HEADER = "x-governor-client-ip";
