import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFile } from '../helpers/engine';

/*
 * root-user and the official-image pattern (gosu / su-exec / setpriv ...):
 * the fixtures give the exact findings; these check what the labels cannot,
 * the severity of what is still reported and the text of a file built inline.
 */

const dir = path.join(__dirname, '..', 'fixtures', 'container', 'root-user');
const rootFindings = async (file: string, text?: string) =>
  (await analyzeFile(path.join(dir, file), {}, text)).findings.filter((f) => f.ruleId === 'container/root-user');

describe('root-user: privileges dropped at run time', () => {
  it('an explicit USER root is still high severity when gosu is installed', async () => {
    const [f, ...rest] = await rootFindings('explicit-user-root-with-gosu-still-reported.Dockerfile');
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'high');
    assert.match(f.message, /USER root/);
  });

  it('default root without any drop tool stays medium', async () => {
    for (const file of ['gosu-in-unrelated-build-stage.Dockerfile', 'setpriv-without-reuid-is-not-a-drop.Dockerfile', 'official-database-base-entrypoint-replaced.Dockerfile']) {
      const found = await rootFindings(file);
      assert.deepEqual(found.map((f) => f.severity), ['medium'], file);
    }
  });

  it('each signal on its own silences the default-root finding, and its absence brings it back', async () => {
    const base = 'FROM debian:bookworm-slim\n';
    const tail = 'ENTRYPOINT ["/entrypoint.sh"]\n';
    const quiet = [
      'RUN apt-get update && apt-get install -y gosu\n',
      'RUN apk add --no-cache su-exec\n',
      'COPY --from=tianon/gosu /gosu /usr/local/bin/\n',
      'ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 /usr/local/bin/gosu\n',
      'CMD ["gosu", "app", "/srv/run"]\n',
      'CMD ["runuser", "app", "-c", "/srv/run"]\n',
      'CMD ["/usr/bin/dumb-init", "--", "/usr/sbin/chroot", "--userspec", "app", "/", "/srv/run"]\n',
      'CMD ["s6-setuidgid", "app", "/srv/run"]\n',
    ];
    for (const line of quiet) {
      assert.deepEqual(await rootFindings('inline.Dockerfile', base + line + tail), [], line);
    }
    const loud = [
      'RUN apt-get remove -y gosu\n',
      'RUN echo no drop tool here\n',
      'CMD ["gosu", "0:0", "/srv/run"]\n',
      'CMD ["gosu", "--version"]\n',
      'CMD ["runuser", "-u", "root", "--", "/srv/run"]\n',
      'CMD ["chroot", "/srv/jail", "/run"]\n',
    ];
    for (const line of loud) {
      assert.equal((await rootFindings('inline.Dockerfile', base + line + tail)).length, 1, line);
    }
  });
});
