#!/usr/bin/env node
/**
 * The `puretls` command: `demo`, `verify`, `connect` and `serve`, in the
 * spirit of `openssl s_client` / `s_server` / `verify`, written only against
 * the public `puretls/ssl`, `puretls/socket` and `puretls/x509` modules.
 * Runs unbuilt on Node 24 (type stripping), Deno and Bun.
 * @module
 */
import process from 'node:process';
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
