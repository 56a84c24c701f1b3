/**
 * The MCP protocol stack (the SDK, and the zod and ajv it brings): most of the CLI's code. The
 * bundle keeps it apart, in dist/mcp.js (see esbuild.js), so it is read and compiled only when
 * `sessionlog mcp` starts a server, and every other command starts without it.
 */
export { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
export { z } from 'zod';
