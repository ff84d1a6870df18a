import * as fs from 'fs';
import { FileContext } from './server/engine/context';
import { rootUser } from './server/container/root-user';
import { latestTag } from './server/container/latest-tag';
import { addInsteadOfCopy } from './server/container/add-instead-of-copy';
import { curlPipeShell } from './server/container/curl-pipe-shell';
import { secretInEnv } from './server/container/secret-in-env';
import { sudo } from './server/container/sudo';
import { aptUnpinned } from './server/container/apt-unpinned';
import { exposeSsh } from './server/container/expose-ssh';
import { missingHealthcheck } from './server/container/missing-healthcheck';
const file = process.argv[2];
const ctx = new FileContext(file, fs.readFileSync(file, 'utf8'), 'dockerfile');
for (const r of [rootUser, latestTag, addInsteadOfCopy, curlPipeShell, secretInEnv, sudo, aptUnpinned, exposeSsh, missingHealthcheck])
  for (const f of r.check(ctx)) console.log(f.range.start.line + 1, r.meta.id, f.message, JSON.stringify(f.fixes?.map(x => x.edits)));
