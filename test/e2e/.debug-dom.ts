import { copyExamples, launchBrowser, startCodeServer, stopCodeServer } from './codeServer';
(async () => {
  const ws = copyExamples();
  const server = startCodeServer('/tmp/ff.vsix', ws);
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label="container"]').waitFor({ timeout: 120000 });
    await page.locator('.activitybar a.action-label[aria-label^="Fourfold"]').click({ force: true });
    const view = page.locator('[id="workbench.view.extension.fourfold"]');
    await view.waitFor({ timeout: 60000 });
    await view.locator('.monaco-list-row').nth(3).waitFor({ timeout: 60000 });
    const rows = await view.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => e.outerHTML.slice(0, 1500)));
    console.log(rows.slice(0, 4).join('\n\n'));
    const sb = await page.locator('#workbench\\.parts\\.statusbar').evaluate((e) => [...e.querySelectorAll('[id]')].map((x) => x.id + ' | ' + (x.getAttribute('aria-label') ?? '') + ' | ' + (x as HTMLElement).innerText).join('\n'));
    console.log(sb);
    await page.screenshot({ path: '/tmp/dbg/view.png' });
  } finally {
    await browser.close();
    await stopCodeServer(server);
  }
})();
