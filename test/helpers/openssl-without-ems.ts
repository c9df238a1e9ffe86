/**
 * An `openssl` peer without the extended master secret (RFC 7627). OpenSSL
 * 3.0's s_server and s_client have no command-line switch for it (`-no_ems`
 * is unknown), but its SSL_CONF command `Options = -ExtendedMasterSecret`
 * sets SSL_OP_NO_EXTENDED_MASTER_SECRET, and the apps apply the
 * `system_default` section of the file `OPENSSL_CONF` names to every SSL_CTX
 * they make. So the peer is OpenSSL itself, not a rewritten hello.
 * @module
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NO_EMS_CONF = `openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
Options = -ExtendedMasterSecret
`;

let confFile: string | undefined;

function noEmsConfFile(): string {
  if (confFile === undefined) {
    confFile = join(mkdtempSync(join(tmpdir(), 'puretls-no-ems-')), 'openssl.cnf');
    writeFileSync(confFile, NO_EMS_CONF);
  }
  return confFile;
}

/**
 * Runs `start` with OPENSSL_CONF naming that file, and restores the
 * environment when it returns: the openssl process must be spawned
 * synchronously inside `start` (startServer and startClient spawn before
 * their first await), since a child takes the environment at spawn time.
 */
export function withoutEms<T>(start: () => T): T {
  const saved = process.env.OPENSSL_CONF;
  process.env.OPENSSL_CONF = noEmsConfFile();
  try {
    return start();
  } finally {
    if (saved === undefined) delete process.env.OPENSSL_CONF;
    else process.env.OPENSSL_CONF = saved;
  }
}
