// Browser checks in Debian's Chromium, driven by playwright-core:
//  - axe-core (WCAG 2.1 A and AA rules) finds no violation on the home, debate, sign-up, login
//    and admin debate-edit pages (and on a form shown with its errors);
//  - the open-data page offers its six files, and an XLSX download is a zip;
//  - the contribution round: contribute, comment, edit, search, organisation and collective
//    form, a facilitator's paper entry, a participant's support and report, the moderator's hide
//    (placeholder in public) and restore, the analyses pages;
//  - the survey: a resident answers it page by page on a phone without an account; its results,
//    cross-tabulation and "who spoke"; staff's builder, panel and weighting pages;
//  - sign-up works with JavaScript disabled;
//  - the administrator's second factor: enrolment at the first sign-in (the secret read off the
//    page, a code typed, the recovery codes shown), then the code after the password each time;
//    the list of sessions reached from the profile.
// Usage: node a11y.mjs  (CONCORDE_BIN names the binary; default ../../target/debug/concorde)
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.CONCORDE_BIN || join(here, '../../target/debug/concorde');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const data = mkdtempSync(join(tmpdir(), 'concorde-browser-'));
// A port the system says is free right now (a random one may be taken by another run).
const port = await new Promise((resolve, reject) => {
  const probe = createServer();
  probe.once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const base = `http://127.0.0.1:${port}`;
const ADMIN = 'admin@example.org';
const PASSWORD = 'un mot de passe solide';

// TOTP (RFC 6238) as an authenticator app computes it, from the base32 secret on the page.
function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/\s/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}
let adminSecret = '';
let lastStep = 0;
// A code never used before: the current step's, or the next one's (the server accepts one step
// of drift), or wait for the next step.
async function freshCode() {
  for (;;) {
    const now = Math.floor(Date.now() / 30000);
    for (const s of [now, now + 1]) if (s > lastStep) { lastStep = s; return totp(adminSecret, s); }
    await new Promise(r => setTimeout(r, 1000));
  }
}
// After the password: the enrolment the first time, the code afterwards, typed as a person would.
async function secondFactor(page) {
  if (page.url().includes('/connexion/second-facteur')) {
    adminSecret = (await page.textContent('#totp-secret')).trim();
    check('the enrolment shows an otpauth link', (await page.getAttribute('#totp-uri', 'href')).startsWith('otpauth://totp/'));
    await axe(page, 'second factor enrolment');
    await page.fill('#f-code', await freshCode());
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    check('ten recovery codes shown once', (await page.locator('#recovery-codes li').count()) === 10);
    await axe(page, 'recovery codes');
    await Promise.all([page.waitForNavigation(), page.click('main a.button')]);
  } else if (page.url().includes('/connexion/code')) {
    await page.fill('#f-code', await freshCode());
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  }
  check('signed in after the second factor', !page.url().includes('/connexion'), page.url());
}

let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name}\n${detail}`); }
};

execFileSync(bin, ['--data', data, 'user', 'create', '--email', ADMIN, '--role', 'admin', '--password', PASSWORD], { stdio: 'inherit' });
const PARTICIPANT = 'participante@example.org';
execFileSync(bin, ['--data', data, 'user', 'create', '--email', PARTICIPANT, '--password', PASSWORD], { stdio: 'inherit' });
const ANALYST = 'analyste@example.org';
const GUARANTOR = 'garant@example.org';
execFileSync(bin, ['--data', data, 'user', 'create', '--email', ANALYST, '--role', 'analyst', '--password', PASSWORD], { stdio: 'inherit' });
execFileSync(bin, ['--data', data, 'user', 'create', '--email', GUARANTOR, '--role', 'guarantor', '--password', PASSWORD], { stdio: 'inherit' });
const server = spawn(bin, ['--data', data, 'serve', '--demo', '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'inherit', 'inherit'] });
const stop = () => { try { server.kill('SIGTERM'); } catch { /* already gone */ } };
process.on('exit', stop);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const detail = result.violations
    .map(v => `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 3).map(n => `    ${n.target.join(' ')}`).join('\n')}`)
    .join('\n');
  check(`axe: ${name}`, result.violations.length === 0, detail);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  await waitForServer();
  // bypassCSP only lets the test inject axe; the pages themselves ship no script.
  for (const [label, viewport] of [['mobile', { width: 375, height: 800 }], ['desktop', { width: 1280, height: 900 }]]) {
    const ctx = await browser.newContext({ bypassCSP: true, viewport, locale: 'fr-FR' });
    const page = await ctx.newPage();
    for (const [name, path] of [['home', '/'], ['debate', '/debats/solidarites'], ['sign-up', '/inscription'], ['login', '/connexion'],
                                ['privacy', '/confidentialite'], ['open data', '/debats/solidarites/donnees'], ['accessibility', '/accessibilite'], ['404', '/nexiste-pas'],
                                ['legal notice', '/mentions-legales'], ['forgotten password', '/mot-de-passe-oublie'], ['reset link (invalid)', '/reinitialiser/lien-invalide'],
                                ['confirmation link (invalid)', '/confirmer/lien-invalide'], ['invitation (invalid)', '/invitations/lien-invalide']]) {
      await page.goto(base + path);
      await axe(page, `${name} (${label})`);
    }
    // A form shown again with its errors.
    await page.goto(`${base}/inscription`);
    await page.click('button[type=submit]');
    await page.waitForSelector('.error-summary');
    await axe(page, `sign-up with errors (${label})`);
    // Staff pages, signed in as an administrator.
    await page.goto(`${base}/connexion`);
    await page.fill('#f-email', ADMIN);
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    if (!adminSecret) await axe(page, `second factor at sign-in (${label})`);
    await secondFactor(page);
    // One's sessions, from the profile's link.
    await page.goto(`${base}/profil`);
    await Promise.all([page.waitForNavigation(), page.click('main a[href="/profil/sessions"]')]);
    check(`sessions list marks this device (${label})`, (await page.textContent('main')).includes('cet appareil'));
    await axe(page, `sessions (${label})`);
    for (const [name, path] of [['admin', '/admin'], ['admin debate edit', '/admin/debats/1'], ['admin questions', '/admin/debats/1/questions'],
                                ['admin phases', '/admin/debats/1/phases'], ['admin audience', '/admin/debats/1/public'],
                                ['admin files', '/admin/debats/1/fichiers'], ['admin people', '/admin/utilisateurs'], ['admin lists', '/admin/listes'],
                                ['admin audit', '/admin/journal'], ['profile', '/profil'], ['admin debates', '/admin/debats'],
                                ['new debate', '/admin/debats/nouveau']]) {
      const res = await page.goto(base + path);
      check(`${name} answers 200 (${label})`, res.status() === 200, `got ${res.status()}`);
      await axe(page, `${name} (${label})`);
    }
    // The job queue's page, reached from the staff dashboard's tile.
    await page.goto(`${base}/admin`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/admin/taches"]')]);
    check(`jobs page reached from /admin (${label})`, page.url().endsWith('/admin/taches'), page.url());
    await axe(page, `jobs page (${label})`);
    // An API token made on the profile as a person would: follow the link, type a name, choose
    // the scope, create; the token is shown once and opens the API.
    await page.goto(`${base}/profil`);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/profil/jetons"]')]);
    await axe(page, `API tokens page (${label})`);
    await page.fill('#f-name', `script ${label}`);
    await page.check('#s-write');
    await Promise.all([page.waitForNavigation(), page.click('main form.form button[type=submit]')]);
    const token = ((await page.textContent('#new-token')) || '').trim();
    check(`API token shown once after creation (${label})`, token.startsWith('cc_'), token);
    await axe(page, `API token created (${label})`);
    const api = await fetch(`${base}/api/v1/debates/solidarites`, { headers: { Authorization: `Bearer ${token}` } });
    check(`the token reads the API (${label})`, api.status === 200, `got ${api.status}`);
    await page.goto(`${base}/profil/jetons`);
    check(`the token is not shown again (${label})`, !(await page.content()).includes(token));
    await page.goto(`${base}/api/v1`);
    await axe(page, `API documentation page (${label})`);
    // Contributing: the form, the form with its errors, the published contribution, the list.
    await page.goto(`${base}/debats/solidarites/contribuer`);
    await axe(page, `contribute form (${label})`);
    await Promise.all([page.waitForNavigation(), page.click('main form.form button[type=submit]')]);
    await axe(page, `contribute form with errors (${label})`);
    await page.selectOption('#f-question_id', { index: 1 });
    await page.fill('#f-title', 'Des repas partagés dans les quartiers');
    await page.fill('#f-body', 'Ouvrir les cantines scolaires le soir pour des repas partagés entre voisins.');
    await Promise.all([page.waitForNavigation(), page.click('main form.form button[type=submit]')]);
    check(`contribution published (${label})`, page.url().includes('/contributions/'), page.url());
    await axe(page, `contribution page (${label})`);
    // Comments: an empty one shows its error next to the field, then a real one and a reply.
    const contributionUrl = page.url().split('?')[0];
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/commentaires"] button[type=submit]')]);
    check(`empty comment refused (${label})`, (await page.$('#f-comment-error')) !== null, page.url());
    await axe(page, `comment with error (${label})`);
    await page.fill('#f-comment', 'Je suis d\'accord, et le samedi aussi.');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/commentaires"]:not(details form) button[type=submit]')]);
    check(`comment published (${label})`, (await page.content()).includes('le samedi aussi'), page.url());
    await axe(page, `contribution with comments and moderation forms (${label})`);
    // Open data, now with a contribution and comments: six downloads, and the XLSX is a zip.
    await page.goto(`${base}/debats/solidarites/donnees`);
    await axe(page, `open data with rows (${label})`);
    const files = await page.$$eval('main a[download]', links => links.map(a => a.getAttribute('href')));
    check(`open data offers twelve files (${label})`, files.length === 12, files.join('\n'));
    const sheet = await fetch(`${base}/debats/solidarites/donnees/comments.xlsx`);
    const head = new Uint8Array(await sheet.arrayBuffer()).slice(0, 2);
    check(`comments as XLSX (${label})`, sheet.status === 200 && head[0] === 0x50 && head[1] === 0x4b, `status ${sheet.status}`);
    await page.goto(`${base}/admin/moderation`);
    await axe(page, `moderation queue (${label})`);
    // An organisation, and the collective contribution form with an error.
    await page.goto(`${base}/organisations`);
    await axe(page, `organisations (${label})`);
    await page.fill('#f-name', `Collectif ${label}`);
    await page.selectOption('#f-kind', 'collective');
    await Promise.all([page.waitForNavigation(), page.click('main form.form button[type=submit]')]);
    check(`organisation created (${label})`, page.url().includes('/organisations/'), page.url());
    await axe(page, `organisation page (${label})`);
    await page.goto(`${base}/debats/solidarites/cahier`);
    await axe(page, `collective form (${label})`);
    await Promise.all([page.waitForNavigation(), page.click('main form.form button[type=submit]')]);
    await axe(page, `collective form with errors (${label})`);
    check(`collective form says files must be chosen again (${label})`, (await page.$('#reattach')) !== null, page.url());
    // Filed as a person does, choosing 0, 1 and 3 files (browsers send the empty inputs too).
    const pdf = fileURLToPath(new URL('../../crates/concorde/demo/deliberation-2021-10-15.pdf', import.meta.url));
    for (const n of [0, 1, 3]) {
      await page.goto(`${base}/debats/solidarites/cahier`);
      await page.selectOption('#f-organisation_id', { index: 1 });
      await page.selectOption('#f-question_id', { index: 1 });
      await page.fill('#f-title', `Cahier ${label} avec ${n} pièces`);
      await page.fill('#f-summary', 'Nos propositions pour le quartier.');
      await page.fill('#f-body', 'Un texte de plusieurs idées pour le quartier et ses habitants.');
      for (let i = 1; i <= n; i++) await page.setInputFiles(`#f-attachment${i}`, pdf);
      await Promise.all([page.waitForNavigation(), page.click('main form.form button[type=submit]')]);
      const links = await page.$$('main a[href^="/fichiers/"]');
      check(`collective contribution with ${n} attachments (${label})`, page.url().includes('/contributions/') && links.length === n, `${page.url()} ${links.length}`);
    }
    await axe(page, `collective contribution with attachments (${label})`);
    // The author edits it (form with an error first), then searches for it.
    await page.goto(`${contributionUrl}/modifier`);
    await axe(page, `edit contribution (${label})`);
    await page.fill('#f-title', '');
    await Promise.all([page.waitForNavigation(), page.click('main form.form button[type=submit]')]);
    await axe(page, `edit contribution with errors (${label})`);
    await page.fill('#f-title', 'Des repas partagés dans les quartiers, le soir');
    await Promise.all([page.waitForNavigation(), page.click('main form.form button[type=submit]')]);
    check(`the edit is marked on the contribution (${label})`, (await page.content()).includes('Modifiée par son auteur'), page.url());
    await page.goto(`${contributionUrl}/historique`);
    await axe(page, `contribution history (${label})`);
    await page.goto(`${base}/debats/solidarites/recherche?q=${encodeURIComponent('repas partagés')}`);
    check(`search finds the new contribution (${label})`, (await page.content()).includes('<mark>'), page.url());
    await axe(page, `search results (${label})`);
    await page.goto(contributionUrl);
    await page.goto(`${base}/debats/solidarites/contributions`);
    await axe(page, `contributions list (${label})`);
    // The synthesis engine on the debate, and why a contribution sits in its theme.
    await page.goto(`${base}/admin/analyses`);
    await axe(page, `analyses (${label})`);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    check(`analysis run page (${label})`, page.url().includes('/admin/analyses/'), page.url());
    // The run works in the background; its page shows the result once it is there (a small
    // script checks; without JavaScript, the refresh link).
    for (let i = 0; i < 120 && (await page.$('[data-run-running]')); i++) {
      if (i === 0) await axe(page, `analysis in progress (${label})`);
      await page.waitForTimeout(500);
      await page.goto(page.url());
    }
    check(`analysis finished (${label})`, !(await page.$('[data-run-running]')), page.url());
    await axe(page, `analysis run (${label})`);
    const runUrl = page.url();
    const themeLink = await page.$('a[href*="/themes/"]');
    check(`analysis theme link (${label})`, !!themeLink, runUrl);
    if (themeLink) {
      await Promise.all([page.waitForNavigation(), themeLink.click()]);
      await axe(page, `analysis theme (${label})`);
      await page.goto(runUrl);
    }
    const why = await page.$('a[href*="/pourquoi/"]');
    check(`analysis "why here" link (${label})`, !!why, runUrl);
    if (why) {
      await Promise.all([page.waitForNavigation(), why.click()]);
      await axe(page, `analysis why (${label})`);
    }
    // The debate editor shown with an error.
    await page.goto(`${base}/admin/debats/1`);
    await page.fill('#f-title', '');
    await Promise.all([page.waitForNavigation(), page.click('main form.form button[type=submit]')]);
    await axe(page, `admin debate edit with errors (${label})`);
    await ctx.close();
  }

  // The whole round, desktop: a facilitator types in a paper contribution; a participant supports
  // and reports it; the moderator hides it (the public sees a placeholder) and restores it.
  {
    const signIn = async (ctx, email) => {
      const page = await ctx.newPage();
      await page.goto(`${base}/connexion`);
      await page.fill('#f-email', email);
      await page.fill('#f-password', PASSWORD);
      await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
      if (email === ADMIN) await secondFactor(page);
      return page;
    };
    const staff = await browser.newContext({ bypassCSP: true, locale: 'fr-FR' });
    const admin = await signIn(staff, ADMIN);
    // The way in to the offline entry, as a facilitator finds it: the tile on /admin.
    await admin.goto(`${base}/admin`);
    await axe(admin, 'staff dashboard with the offline entry');
    await Promise.all([admin.waitForNavigation(), admin.click('main a[href="/debats/solidarites/saisie"]')]);
    check('offline entry reached from /admin', admin.url().endsWith('/debats/solidarites/saisie'), admin.url());
    await axe(admin, 'paper contribution form');
    // Three paper forms in a row: the first two with "save and enter the next one", which keeps
    // the channel, the place and the date; the second without a title (made from its text).
    await admin.selectOption('#f-question_id', { index: 1 });
    await admin.selectOption('#f-channel', 'paper');
    await admin.fill('#f-place', 'Mairie annexe de Doulon');
    await admin.fill('#f-title', 'Des horaires plus larges');
    await admin.fill('#f-body', 'Recopié du cahier : la mairie annexe devrait ouvrir le samedi.');
    await Promise.all([admin.waitForNavigation(), admin.click('main form.form button[name=next]')]);
    check('save and next keeps the place', (await admin.inputValue('#f-place')) === 'Mairie annexe de Doulon' && (await admin.$('#offline-saved')) !== null, admin.url());
    await axe(admin, 'paper contribution form after saving one');
    await admin.fill('#f-body', '• • • Des bancs sur la place du marché.');
    await Promise.all([admin.waitForNavigation(), admin.click('main form.form button[name=next]')]);
    check('a paper form without a title is saved', (await admin.$('#offline-saved')) !== null, admin.url());
    await admin.fill('#f-title', 'Un banc devant la mairie annexe');
    await admin.fill('#f-body', 'Recopié du cahier : il faudrait un banc pour attendre le bus.');
    await Promise.all([admin.waitForNavigation(), admin.click('main form.form button.secondary[type=submit]')]);
    const paperUrl = admin.url().split('?')[0];
    check('paper contribution entered', paperUrl.includes('/contributions/'), admin.url());
    await axe(admin, 'paper contribution with its provenance and scan form');
    // A scan attached by choosing the file stays private until the facilitator publishes it.
    const scanPdf = fileURLToPath(new URL('../../crates/concorde/demo/deliberation-2021-10-15.pdf', import.meta.url));
    await admin.setInputFiles('#f-scan', scanPdf);
    await Promise.all([admin.waitForNavigation(), admin.click('form[action$="/scan"] button[type=submit]')]);
    await axe(admin, 'paper contribution with a private scan');
    const scanHref = await admin.$eval('main a[href^="/fichiers/"]', a => a.getAttribute('href'));
    const anonymousScan = await fetch(`${base}${scanHref}`);
    check('scan not public before it is published', anonymousScan.status === 404, `status ${anonymousScan.status}`);
    await Promise.all([admin.waitForNavigation(), admin.click('form[action$="/publier"] button[type=submit]')]);
    const publishedScan = await fetch(`${base}${scanHref}`);
    check('scan public once published', publishedScan.status === 200, `status ${publishedScan.status}`);

    const people = await browser.newContext({ bypassCSP: true, locale: 'fr-FR' });
    const participant = await signIn(people, PARTICIPANT);
    await participant.goto(paperUrl);
    await Promise.all([participant.waitForNavigation(), participant.click('form[action$="/soutien"] button')]);
    check('support given', (await participant.content()).includes('1 personne soutient'), participant.url());
    await participant.click('details.report summary');
    await axe(participant, 'report form open');
    await participant.check('input[name=reason][value=spam]');
    await Promise.all([participant.waitForNavigation(), participant.click('details.report form button[type=submit]')]);
    check('report sent', (await participant.content()).includes('signalement a été transmis'), participant.url());

    await admin.goto(`${base}/admin/moderation`);
    check('report in the queue', (await admin.content()).includes('Un banc devant la mairie annexe'), admin.url());
    await axe(admin, 'moderation queue with a report');
    // Hiding without a reason: the queue comes back with the message next to the field.
    await Promise.all([admin.waitForNavigation(), admin.click('form.moderation button[value=hide]')]);
    check('hiding without a reason is refused next to the field', (await admin.$('form.moderation .field-error')) !== null, admin.url());
    await axe(admin, 'moderation queue with a refused decision');
    await admin.selectOption('form.moderation select[name=preset]', 'spam');
    await admin.fill('form.moderation input[name=reason]', 'Test de modération');
    await Promise.all([admin.waitForNavigation(), admin.click('form.moderation button[value=hide]')]);
    const anonymous = await (await browser.newContext({ bypassCSP: true, locale: 'fr-FR' })).newPage();
    await anonymous.goto(paperUrl);
    const hidden = await anonymous.content();
    check('hidden: a placeholder in public', hidden.includes('masqué par la modération') && !hidden.includes('attendre le bus'), paperUrl);
    await axe(anonymous, 'hidden contribution placeholder');
    await admin.goto(paperUrl);
    await Promise.all([admin.waitForNavigation(), admin.click('form.moderation button[type=submit]')]);
    await anonymous.goto(paperUrl);
    check('restored', (await anonymous.content()).includes('attendre le bus'), paperUrl);
    // The participant's own data: the download page reached from the profile gives a ZIP; the
    // deletion page says what happens, refuses a form without a choice, then deletes.
    await participant.goto(`${base}/profil`);
    await Promise.all([participant.waitForNavigation(), participant.click('main a[href="/profil/donnees"]')]);
    await axe(participant, 'download my data');
    const [download] = await Promise.all([participant.waitForEvent('download'), participant.click('main a[href$=".zip"]')]);
    const zipPath = await download.path();
    const zipHead = zipPath ? readFileSync(zipPath).subarray(0, 2) : Buffer.alloc(0);
    check('my data downloads as a ZIP', zipHead[0] === 0x50 && zipHead[1] === 0x4b, String(zipPath));
    await participant.goto(`${base}/profil`);
    await Promise.all([participant.waitForNavigation(), participant.click('main a[href="/profil/supprimer"]')]);
    await axe(participant, 'delete my account');
    await Promise.all([participant.waitForNavigation(), participant.click('main form.form button[type=submit]')]);
    check('deleting without a choice is refused next to the field', (await participant.$('#f-mode-error')) !== null, participant.url());
    await axe(participant, 'delete my account with errors');
    await participant.check('#f-mode-anonymise');
    await participant.fill('#f-password', PASSWORD);
    await Promise.all([participant.waitForNavigation(), participant.click('main form.form button[type=submit]')]);
    const gone = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
    await gone.goto(`${base}/connexion`);
    await gone.fill('#f-email', PARTICIPANT);
    await gone.fill('#f-password', PASSWORD);
    await Promise.all([gone.waitForNavigation(), gone.click('main button[type=submit]')]);
    check('a deleted account cannot sign in', gone.url().includes('/connexion'), gone.url());
    await staff.close();
    await people.close();
  }

  // Events, as a resident finds them on a phone: the menu's agenda, a filter, an event,
  // registering without an account (typing a name and an address), the registration page and its
  // cancellation; the full workshop's waiting list; the Assises programme. Then staff: the
  // dashboard's tile, a new event typed in and published, the attendance sheet (and its print
  // version), the minutes whose point becomes a contribution that says where it was said.
  {
    const click = (p, selector) => Promise.all([p.waitForNavigation(), p.click(selector)]);
    const resident = await browser.newContext({ bypassCSP: true, locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    const page = await resident.newPage();
    await page.goto(`${base}/`);
    await click(page, 'header a[href="/agenda"]');
    check('agenda reached from the menu', page.url().endsWith('/agenda'), page.url());
    await axe(page, 'agenda (phone)');
    await page.selectOption('#f-type', 'mediation');
    await click(page, 'form.filters button[type=submit]');
    const filtered = await page.content();
    check('agenda filtered by kind', filtered.includes('marché de Talensac') && !filtered.includes('entraide entre voisins'), page.url());
    await page.goto(`${base}/agenda`);
    await click(page, 'main a:has-text("entraide entre voisins")');
    await axe(page, 'event page (phone)');
    await click(page, 'form[action$="/inscription"] button[type=submit]');
    check('registration without a name is refused next to the field', (await page.$('#f-name-error')) !== null, page.url());
    await axe(page, 'registration with errors (phone)');
    await page.fill('#f-name', 'Nadia');
    await page.fill('#f-email', 'nadia@example.org');
    await page.selectOption('#f-quartier', { index: 2 });
    await click(page, 'form[action$="/inscription"] button[type=submit]');
    check('registered without an account', ((await page.textContent('#registration-state')) || '').includes('Place confirmée'), page.url());
    await axe(page, 'registration page (phone)');
    await click(page, 'form[action$="/annuler"] button[type=submit]');
    check('registration cancelled from its page', ((await page.textContent('#registration-state')) || '').includes('Annulée'), page.url());
    await page.goto(`${base}/agenda`);
    await click(page, 'main a:has-text("la précarité et l’isolement aujourd’hui")');
    check('a full workshop offers its waiting list', (await page.content()).includes('M’inscrire en liste d’attente'), page.url());
    await page.fill('#f-name', 'Omar');
    await page.fill('#f-phone', '06 11 22 33 44');
    await click(page, 'form[action$="/inscription"] button[type=submit]');
    check('on the waiting list, fourth', ((await page.textContent('#registration-state')) || '').includes('position 4'), page.url());
    await page.goto(`${base}/debats/solidarites/agenda`);
    await click(page, 'main a[href="/programmes/assises-de-la-solidarite"]');
    const programme = await page.content();
    check('the Assises programme by day, with rooms and speakers', programme.includes('Grand auditorium') && programme.includes('Claire Dubois'), page.url());
    await axe(page, 'Assises programme (phone)');
    await resident.close();

    const staff = await browser.newContext({ bypassCSP: true, locale: 'fr-FR' });
    const admin = await staff.newPage();
    await admin.goto(`${base}/connexion`);
    await admin.fill('#f-email', ADMIN);
    await admin.fill('#f-password', PASSWORD);
    await click(admin, 'main button[type=submit]');
    await secondFactor(admin);
    await admin.goto(`${base}/admin`);
    await click(admin, 'main a[href="/admin/evenements"]');
    await axe(admin, 'staff events list');
    await click(admin, 'main a[href^="/admin/evenements/nouveau"]');
    await axe(admin, 'new event form');
    await click(admin, 'main form.form button[type=submit]');
    check('an empty event form is refused field by field', (await admin.$('#f-title-error')) !== null, admin.url());
    await axe(admin, 'event form with errors');
    await admin.fill('#f-title', 'Atelier du samedi matin');
    await admin.fill('#f-address', 'Maison de quartier de Doulon');
    await admin.fill('#f-starts_at', '2027-03-13T10:00');
    await admin.fill('#f-ends_at', '2027-03-13T12:00');
    await admin.fill('#f-capacity', '15');
    await admin.check('#a-step_free');
    await click(admin, 'main form.form button[type=submit]');
    check('event created as a draft', /\/admin\/evenements\/\d+\?ok=created$/.test(admin.url()), admin.url());
    const eventUrl = admin.url().split('?')[0].replace(`${base}/admin/evenements/`, '/evenements/');
    check('a draft event is not public', (await fetch(base + eventUrl)).status === 404);
    await click(admin, 'form[action$="/publier"] button[type=submit]');
    check('published event is public', (await fetch(base + eventUrl)).status === 200);
    await admin.goto(`${base}/evenements/1`);
    await click(admin, 'main a[href="/evenements/1/presence"]');
    await axe(admin, 'attendance sheet');
    await admin.check('input[name=present] >> nth=0');
    await admin.fill('#f-walk_in_count', '2');
    await admin.check('#f-add_walk_ins');
    await click(admin, 'main form.form button[type=submit]');
    const summary = (await admin.textContent('#attendance-summary')) || '';
    check('attendance saved with walk-ins', summary.includes('Présents inscrits : 1') && summary.includes('sans inscription : 2'), summary);
    await admin.emulateMedia({ media: 'print' });
    const hidden = await admin.$eval('main form.form button[type=submit]', b => getComputedStyle(b).display);
    check('the printed sheet has no buttons or menu', hidden === 'none' && await admin.$eval('header', h => getComputedStyle(h).display) === 'none', hidden);
    await admin.emulateMedia({ media: 'screen' });
    await admin.goto(`${base}/evenements/1`);
    await click(admin, 'main a[href="/evenements/1/compte-rendu"]');
    await axe(admin, 'minutes form');
    await admin.fill('#f-minutes', 'Douze personnes, beaucoup d’idées.');
    await admin.fill('#f-point-0-title', 'Des permanences pour les démarches');
    await admin.fill('#f-point-0-body', 'Plusieurs personnes demandent de l’aide pour les démarches en ligne.');
    await click(admin, 'main form.form button[type=submit]');
    check('the point became a contribution', (await admin.content()).includes('1 contribution ajoutée'), admin.url());
    await click(admin, 'main a:has-text("Des permanences pour les démarches")');
    check('the contribution says where it was said', (await admin.content()).includes('Dit lors de'), admin.url());
    await axe(admin, 'contribution said at an event');
    // The survey's staff pages: the list, the builder, a question added with a refused field
    // first, the panel's page and the weighting with its diagnostics after a margins file.
    await admin.goto(`${base}/admin/enquetes`);
    await axe(admin, 'staff surveys list');
    await click(admin, 'main a[href^="/admin/enquetes/"]');
    await axe(admin, 'survey builder');
    await click(admin, 'main a[href*="/questions/nouvelle?section=2"]');
    await axe(admin, 'new survey question');
    await admin.fill('#f-code', 'transport');
    await admin.fill('#f-label_fr', 'Comment venez-vous aux ateliers ?');
    await admin.fill('#f-options', 'pied | À pied\nbus | En bus');
    await admin.fill('#f-conditions', 'aide = peut-etre');
    await click(admin, 'main form.form button[type=submit]');
    check('a condition on an unknown value is refused beside its field', (await admin.$('[id="f-conditions-error"]')) !== null, admin.url());
    await axe(admin, 'survey question with errors');
    await admin.fill('#f-conditions', 'aide = oui');
    await click(admin, 'main form.form button[type=submit]');
    check('the question is added to the survey', (await admin.content()).includes('Comment venez-vous aux ateliers ?'), admin.url());
    await click(admin, 'main a[href$="/panel"]');
    await axe(admin, 'survey panel page');
    check('the demo panel has its 1,100 respondents', (await admin.textContent('main')).includes('1100 répondants'));
    await admin.goBack();
    await click(admin, 'main a[href$="/ponderation"]');
    await axe(admin, 'survey weighting page');
    const marginsFile = join(data, 'marges.csv');
    writeFileSync(marginsFile, 'variable;modalite;effectif\nsexe;F;53\nsexe;H;47\n');
    await admin.setInputFiles('#f-margins', marginsFile);
    await admin.uncheck('main input[name=by_age]');
    await admin.uncheck('main input[name=by_quartier]');
    await admin.check('main input[name=by_sexe]');
    await click(admin, 'main form.form button[type=submit]');
    check('the panel is weighted and the diagnostics shown', (await admin.textContent('main')).includes('Taille d\'échantillon effective'), admin.url());
    await axe(admin, 'survey weighting diagnostics');
    await staff.close();
  }

  // The survey, as a resident answers it on a phone without an account: the menu, the survey's
  // page, a page refused without its mandatory answer, the three pages answered by clicking
  // and typing, the thanks; then the results and "who spoke".
  {
    const click = (p, selector) => Promise.all([p.waitForNavigation(), p.click(selector)]);
    const resident = await browser.newContext({ bypassCSP: true, locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    const page = await resident.newPage();
    await page.goto(`${base}/`);
    await click(page, 'header a[href="/enquetes"]');
    await axe(page, 'surveys list (phone)');
    await click(page, 'main a[href="/enquetes/enquete-solidarites"]');
    await axe(page, 'survey page (phone)');
    await click(page, 'main a.button');
    await axe(page, 'survey first page (phone)');
    await click(page, 'main button[value=next]');
    check('the mandatory question is asked again, with its message', (await page.$('[id="f-q.aide-error"]')) !== null, page.url());
    await axe(page, 'survey page with an error (phone)');
    await page.check('[id="f-q.aide-oui"]');
    await page.check('[id="f-q.isolement-2"]');
    await click(page, 'main button[value=next]');
    check('"oui" leads to the forms of help', (await page.textContent('main')).includes('Sous quelles formes ?'), page.url());
    await page.check('[id="f-q.formes-temps"]');
    await page.check('[id="f-q.formes-courses"]');
    await page.check('[id="f-q.asso-benevole"]');
    await page.check('[id="f-q.confiance.ville-3"]');
    await page.check('[id="f-q.confiance.associations-4"]');
    await page.check('[id="f-q.confiance.voisins-3"]');
    await axe(page, 'survey page with a grid (phone)');
    await click(page, 'main button[value=save]');
    check('the answers are saved to resume later', (await page.textContent('main')).includes('Vos réponses sont enregistrées'), page.url());
    await click(page, 'main button[value=next]');
    await page.selectOption('[id="f-q.priorites.isolement"]', '1');
    await page.selectOption('[id="f-q.priorites.logement"]', '2');
    await page.fill('[id="f-q.heures"]', '4');
    await page.check('[id="f-q.satisfaction-3"]');
    await page.fill('[id="f-q.idee"]', 'Un café des voisins le samedi matin.');
    await axe(page, 'survey last page (phone)');
    await click(page, 'main button[value=next]');
    check('the response is sent', (await page.textContent('main')).includes('Vos réponses sont bien envoyées'), page.url());
    await click(page, 'main a[href$="/resultats"]');
    await axe(page, 'survey results (phone)');
    check('the results show the weighted panel beside the online answers', (await page.textContent('main')).includes('Panel pondéré'));
    await page.selectOption('#f-question', 'aide');
    await page.selectOption('#f-par', 'age');
    await click(page, 'form.filters button[type=submit]');
    check('the cross-tabulation by age', (await page.$('#crosstab')) !== null, page.url());
    await axe(page, 'survey cross-tabulation (phone)');
    await click(page, 'main a[href$="/qui-a-parle"]');
    await axe(page, 'who spoke (phone)');
    check('who spoke compares the contributors with the population', (await page.textContent('main')).includes('Qui a contribué au débat'));
    await resident.close();
  }

  // The final report (issue 12), desktop: the administrator assigns the analyst; the analyst
  // writes a finding, cites a contribution from its page (a wrong excerpt first), marks an
  // uncovered contribution "read, not retained" from the coverage page, and publishes; a
  // visitor reads the report, follows a citation, the follow-up page and a commitment; the
  // guarantor signs a section off; the administrator opens the city's follow-up forms.
  {
    const go = (p, selector) => Promise.all([p.waitForNavigation(), p.click(selector)]);
    const signIn = async (ctx, email) => {
      const page = await ctx.newPage();
      await page.goto(`${base}/connexion`);
      await page.fill('#f-email', email);
      await page.fill('#f-password', PASSWORD);
      await go(page, 'main button[type=submit]');
      if (email === ADMIN) await secondFactor(page);
      return page;
    };
    const desktop = { bypassCSP: true, locale: 'fr-FR', viewport: { width: 1280, height: 900 } };
    const adminCtx = await browser.newContext(desktop);
    const admin = await signIn(adminCtx, ADMIN);
    await admin.goto(`${base}/admin/rapports/solidarites`);
    await axe(admin, 'report editor (administrator)');
    await admin.fill('#f-email', ANALYST);
    await go(admin, 'main form[action$="/analystes"] button[type=submit]');
    check('the analyst is assigned', (await admin.textContent('#analysts ~ ul')).includes(ANALYST));

    const analystCtx = await browser.newContext(desktop);
    const analyst = await signIn(analystCtx, ANALYST);
    await analyst.goto(`${base}/admin/rapports`);
    await axe(analyst, 'reports index');
    await go(analyst, 'main a[href="/admin/rapports/solidarites"]');
    await axe(analyst, 'report editor (analyst)');
    await analyst.selectOption('#f-kind', 'finding');
    await analyst.fill('#f-title', 'Le besoin de lieux ouverts');
    await analyst.fill('#f-body', 'Un constat **écrit** dans le navigateur.\n\n<script>alert(1)</script>');
    await go(analyst, 'main form[action$="/sections"] button[type=submit]');
    check('the section is added', (await analyst.content()).includes('Le besoin de lieux ouverts'), analyst.url());
    check('raw HTML in a section is shown as text', (await analyst.content()).includes('&lt;script&gt;'));
    // Cite a contribution from its page.
    await analyst.goto(`${base}/debats/solidarites/contributions`);
    await go(analyst, '.contribution-card a[href^="/contributions/"]');
    await go(analyst, 'main a:has-text("Citer dans le rapport")');
    await axe(analyst, 'cite in the report');
    await analyst.selectOption('#f-section', { label: 'Constat — Le besoin de lieux ouverts' });
    await analyst.fill('#f-excerpt', 'des mots que personne n’a écrits');
    await go(analyst, 'main form.form button[type=submit]');
    check('a quotation not in the text is refused next to the field', !!(await analyst.$('#f-excerpt-error')), analyst.url());
    await axe(analyst, 'cite in the report with an error');
    const words = (await analyst.textContent('blockquote.source p')).trim().split(/\s+/).slice(0, 6).join(' ');
    await analyst.fill('#f-excerpt', words);
    await go(analyst, 'main form.form button[type=submit]');
    check('the citation is in the editor', analyst.url().includes('/admin/rapports/solidarites') && (await analyst.content()).includes(words), analyst.url());
    // The coverage audit, and "read, not retained" with a reason (an empty one first).
    await go(analyst, 'main a[href="/admin/rapports/solidarites/couverture"]');
    await axe(analyst, 'coverage audit');
    const first = await analyst.$('ul.uncovered li form');
    check('the coverage page lists what is not covered', !!first);
    if (first) {
      await go(analyst, 'ul.uncovered li form button[type=submit]');
      check('an empty reason is refused', !!(await analyst.$('ul.uncovered .field-error')), analyst.url());
      await axe(analyst, 'coverage audit with an error');
      await analyst.fill('ul.uncovered li form input[name=reason]', 'Hors du sujet du débat');
      await go(analyst, 'ul.uncovered li form button[type=submit]');
      check('the mark is saved', analyst.url().includes('ok=saved'), analyst.url());
    }
    // Publish.
    await analyst.goto(`${base}/admin/rapports/solidarites`);
    await analyst.check('#f-publish-1');
    await go(analyst, 'main form[action$="/versions"] button[type=submit]');
    check('publication leads to the published version', analyst.url().includes('/debats/solidarites/rapport/versions/'), analyst.url());
    await analystCtx.close();

    const visitorCtx = await browser.newContext(desktop);
    const visitor = await visitorCtx.newPage();
    await visitor.goto(`${base}/debats/solidarites/rapport`);
    await axe(visitor, 'published report');
    check('the published report has the new finding', (await visitor.content()).includes('Le besoin de lieux ouverts'));
    await go(visitor, '.evidence-contribution a[href^="/contributions/"]');
    check('a citation links to the public contribution', visitor.url().includes('/contributions/'), visitor.url());
    await visitor.goto(`${base}/debats/solidarites/suites`);
    await axe(visitor, 'follow-up page');
    await go(visitor, 'main .commitment a[href^="/engagements/"]');
    await axe(visitor, 'commitment page');
    check('a commitment shows where it comes from', (await visitor.content()).includes('D’où vient cet engagement'));
    await visitorCtx.close();

    const guarantorCtx = await browser.newContext(desktop);
    const guarantor = await signIn(guarantorCtx, GUARANTOR);
    await guarantor.goto(`${base}/admin/rapports/solidarites`);
    check('the guarantor reads the editor without writing', (await guarantor.content()).includes('sans pouvoir le modifier'));
    await guarantor.fill('main form[action$="/signer"] input[name=note]', 'Relu');
    await go(guarantor, 'main form[action$="/signer"] button[type=submit]');
    check('the guarantor signs a section off', (await guarantor.content()).includes('Relu'), guarantor.url());
    await axe(guarantor, 'report editor (guarantor)');
    await guarantorCtx.close();

    await admin.goto(`${base}/admin/rapports/solidarites/suites`);
    await axe(admin, 'the city\'s follow-up forms');
    await adminCtx.close();
  }

  // Sign-up with JavaScript disabled.
  const nojs = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
  const page = await nojs.newPage();
  await page.goto(`${base}/inscription`);
  await page.fill('#f-display_name', 'Sans JS');
  await page.fill('#f-email', 'sans-js@example.org');
  await page.fill('#f-password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
  const text = await page.textContent('main');
  check('sign-up without JavaScript shows the confirmation page', text.includes('Vérifiez votre messagerie'), text);
  // Mail is sent by the job queue, a moment after the page answered.
  const outbox = join(data, 'outbox');
  const readMails = () => existsSync(outbox) ? readdirSync(outbox).filter(f => f.endsWith('.eml')).map(f => readFileSync(join(outbox, f), 'utf8')) : [];
  let mails = readMails();
  for (let i = 0; i < 50 && !mails.some(m => m.includes('sans-js@example.org')); i++) {
    await new Promise(r => setTimeout(r, 100));
    mails = readMails();
  }
  check('sign-up without JavaScript sends the confirmation mail', mails.some(m => m.includes('sans-js@example.org') && m.includes('/confirmer/')));
  await nojs.close();
} catch (e) {
  failed++;
  console.log(`FAIL browser run: ${e.stack || e}`);
} finally {
  await browser.close();
  stop();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
