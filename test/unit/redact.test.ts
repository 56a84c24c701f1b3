/**
 * Secret redaction: each kind it knows becomes [REDACTED:kind] and is counted, text that only
 * looks like a secret is left as written, and redactDeep leaves the keys it is told to keep (what
 * the CLI and the MCP server write: test/cli/redact.test.ts).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactDeep, redactSecrets } from '../../src/core/model/redact';
import { FAKE, repeat } from '../support/secrets';

// Secret-shaped strings are built at run time so the source holds none a scanner would flag.

interface Case {
  kind: string;
  input: string;
  expected: string;
}

const KINDS: Case[] = [
  {
    kind: 'private-key',
    input: `Key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n${repeat('q', 64)}\n-----END RSA PRIVATE KEY-----\nafter`,
    expected: 'Key:\n[REDACTED:private-key]\nafter',
  },
  { kind: 'aws-access-key', input: `aws ${FAKE.aws} here`, expected: 'aws [REDACTED:aws-access-key] here' },
  { kind: 'aws-access-key', input: `(${FAKE.awsSession})`, expected: '([REDACTED:aws-access-key])' },
  { kind: 'github-token', input: `push with ${FAKE.github}.`, expected: 'push with [REDACTED:github-token].' },
  { kind: 'github-token', input: `app ${FAKE.githubApp}`, expected: 'app [REDACTED:github-token]' },
  { kind: 'github-token', input: `pat ${FAKE.githubPat}`, expected: 'pat [REDACTED:github-token]' },
  { kind: 'gitlab-token', input: `gl ${FAKE.gitlab}`, expected: 'gl [REDACTED:gitlab-token]' },
  { kind: 'slack-token', input: `slack ${FAKE.slack}`, expected: 'slack [REDACTED:slack-token]' },
  { kind: 'api-key', input: `openai ${FAKE.openai}`, expected: 'openai [REDACTED:api-key]' },
  { kind: 'api-key', input: `anthropic ${FAKE.anthropic}`, expected: 'anthropic [REDACTED:api-key]' },
  { kind: 'google-api-key', input: `maps ${FAKE.google}`, expected: 'maps [REDACTED:google-api-key]' },
  { kind: 'npm-token', input: `//registry.npmjs.org/:_authToken ${FAKE.npm}`, expected: '//registry.npmjs.org/:_authToken [REDACTED:npm-token]' },
  { kind: 'jwt', input: `cookie ${FAKE.jwt};`, expected: 'cookie [REDACTED:jwt];' },
  { kind: 'bearer-token', input: 'Authorization: Bearer abcDEF123456._~+/=-xyz', expected: 'Authorization: Bearer [REDACTED:bearer-token]' },
  { kind: 'bearer-token', input: 'Authorization: Basic dXNlcjpodW50ZXIyeHl6', expected: 'Authorization: Basic [REDACTED:bearer-token]' },
  {
    kind: 'url-password',
    input: 'DATABASE_URL postgres://admin:hunter2xyz@db.example.com:5432/app',
    expected: 'DATABASE_URL postgres://admin:[REDACTED:url-password]@db.example.com:5432/app',
  },
  {
    kind: 'url-password',
    input: 'git clone https://bob:s3cr3t@git.example.com/r.git',
    expected: 'git clone https://bob:[REDACTED:url-password]@git.example.com/r.git',
  },
  { kind: 'password', input: 'password=hunter2xyz', expected: 'password=[REDACTED:password]' },
  { kind: 'password', input: 'DB_PASSWORD: "s3cr3t!!"', expected: 'DB_PASSWORD: "[REDACTED:password]"' },
  { kind: 'password', input: '{"password": "hunter2xyz", "user": "bob"}', expected: '{"password": "[REDACTED:password]", "user": "bob"}' },
  { kind: 'password', input: "client_secret='0a1b2c3d4e'", expected: "client_secret='[REDACTED:password]'" },
  { kind: 'password', input: 'api-key = abcdef123456', expected: 'api-key = [REDACTED:password]' },
  { kind: 'password', input: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG', expected: 'AWS_SECRET_ACCESS_KEY=[REDACTED:password]' },
  { kind: 'password', input: 'set passwd:Tr0ub4dor&3 then', expected: 'set passwd:[REDACTED:password] then' },
  {
    kind: 'private-key',
    input: `gpg export:\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF${repeat('x', 60)}\n=AbCd\n-----END PGP PRIVATE KEY BLOCK-----\ndone`,
    expected: 'gpg export:\n[REDACTED:private-key]\ndone',
  },
  { kind: 'stripe-key', input: `charge with ${FAKE.stripe} now`, expected: 'charge with [REDACTED:stripe-key] now' },
  { kind: 'stripe-key', input: `restricted ${FAKE.stripeRestricted}`, expected: 'restricted [REDACTED:stripe-key]' },
  { kind: 'slack-token', input: `socket mode ${FAKE.slackApp}`, expected: 'socket mode [REDACTED:slack-token]' },
  { kind: 'slack-webhook', input: `post to ${FAKE.slackWebhook} on deploy`, expected: 'post to [REDACTED:slack-webhook] on deploy' },
  { kind: 'password', input: 'PGPASSWORD=hunter2xyz psql -h db', expected: 'PGPASSWORD=[REDACTED:password] psql -h db' },
  { kind: 'password', input: 'DB_PASS=hunter2xyz', expected: 'DB_PASS=[REDACTED:password]' },
  { kind: 'password', input: 'passphrase: correct horse battery staple', expected: 'passphrase: [REDACTED:password]' },
  { kind: 'password', input: 'notes\npassword: correct horse battery staple\nmore', expected: 'notes\npassword: [REDACTED:password]\nmore' },
  { kind: 'password', input: '- smtp_password = tr0ub4dor and more words', expected: '- smtp_password = [REDACTED:password]' },
  // Last: a key cut off before its END line takes all that follows it.
  { kind: 'private-key', input: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\ncut off here', expected: '[REDACTED:private-key]' },
];

describe('redactSecrets', () => {
  for (const { kind, input, expected } of KINDS) {
    it(`replaces ${kind}: ${JSON.stringify(input.slice(0, 40))}`, () => {
      assert.deepEqual(redactSecrets(input), { text: expected, count: 1 });
    });
  }

  it('knows every kind in this table', () => {
    // A kind added to the redaction without a case here shows up as a marker this table never expects.
    const kinds = new Set(KINDS.map((c) => c.kind));
    assert.deepEqual([...kinds].sort(), [
      'api-key',
      'aws-access-key',
      'bearer-token',
      'github-token',
      'gitlab-token',
      'google-api-key',
      'jwt',
      'npm-token',
      'password',
      'private-key',
      'slack-token',
      'slack-webhook',
      'stripe-key',
      'url-password',
    ]);
    const all = KINDS.map((c) => c.input).join('\n\n');
    const { text } = redactSecrets(all);
    const markers = new Set([...text.matchAll(/\[REDACTED:([a-z-]+)\]/g)].map((m) => m[1]));
    assert.deepEqual([...markers].sort(), [...kinds].sort());
  });

  it('counts each secret in a text, of one kind or several', () => {
    const text = `a ${FAKE.github} b ${FAKE.githubApp} c password=hunter2xyz d password=hunter3xyz e Bearer abcdefghijklmnopqrstu`;
    assert.deepEqual(redactSecrets(text), {
      text: 'a [REDACTED:github-token] b [REDACTED:github-token] c password=[REDACTED:password] d password=[REDACTED:password] e Bearer [REDACTED:bearer-token]',
      count: 5,
    });
  });

  it('counts a token in an assignment once, under the token kind', () => {
    assert.deepEqual(redactSecrets(`export GITHUB_TOKEN=${FAKE.github}`), { text: 'export GITHUB_TOKEN=[REDACTED:github-token]', count: 1 });
    assert.deepEqual(redactSecrets(`aws_access_key_id = ${FAKE.aws}`), { text: 'aws_access_key_id = [REDACTED:aws-access-key]', count: 1 });
  });

  it('leaves redacted text as it is', () => {
    const once = redactSecrets(`token ${FAKE.github}, password=hunter2xyz, https://u:pw123456@h.example/`);
    assert.equal(once.count, 3);
    assert.deepEqual(redactSecrets(once.text), { text: once.text, count: 0 });
  });

  const ORDINARY = [
    'commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 fixed it',
    'request 123e4567-e89b-12d3-a456-426614174000 timed out',
    'Reset the password before the demo.',
    'The password is stored hashed; token refresh works.',
    'passwordless login works now',
    'password: short',
    'token=abc',
    'Bearer token handling was moved to the gateway',
    'sk-learn is a library',
    'ghp_abc is too short to be a token',
    `${FAKE.aws}X is one character too long`,
    'git@github.com:org/repo.git',
    'https://user@example.com/path and mailto:user@example.com',
    'see https://example.com/a@b',
    'src/auth/tokenService.ts and src/secret_manager.go: refactored',
    'at 2026-01-11T10:30:00Z',
    '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEF\n-----END PUBLIC KEY-----',
    '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----',
    'eyJhbGciOiJIUzI1NiJ9 alone is only a header',
    'tokenCount: 125000',
    'max_tokens=4096000',
    'Password: changed on Monday',
    'The secret: nothing fancy',
    'The secret: nothing fancy, really.',
    'password: ${DB_PASSWORD}',
    'DB_PASS=$DB_PASS',
    'see the passage: nothing secret here',
    'compass=northward bypass=enabled',
  ];

  for (const text of ORDINARY) {
    it(`leaves ordinary text alone: ${JSON.stringify(text.slice(0, 40))}`, () => {
      assert.deepEqual(redactSecrets(text), { text, count: 0 });
    });
  }

  it('redacts the whole of a quoted password with spaces', () => {
    assert.deepEqual(redactSecrets('password: "correct horse battery staple"'), { text: 'password: "[REDACTED:password]"', count: 1 });
  });

  // A connection string with a password and no user name, common for redis.
  it('redacts the password of a URL without a user name', () => {
    assert.deepEqual(redactSecrets('redis://:hunter2xyz@localhost:6379/0'), { text: 'redis://:[REDACTED:url-password]@localhost:6379/0', count: 1 });
  });
});

describe('redactDeep', () => {
  const value = {
    message: 'uses password=hunter2xyz',
    tags: ['password=hunter2xyz', 'auth'],
    links: 'notes/token=abcdefgh.md',
    count: 3,
    done: false,
    none: null,
    decisions: [{ decision: `push ${FAKE.github}`, status: 'token=abcdefgh' }],
    nested: { deeper: { text: 'Bearer abcdefghijklmnopqrstu', tags: ['secret=abcdefgh'] } },
  };

  it('redacts every string but those under the keys it keeps, at any depth, and counts', () => {
    const before = structuredClone(value);
    const result = redactDeep(value, new Set(['tags', 'links', 'status']));
    assert.deepEqual(result, {
      value: {
        message: 'uses password=[REDACTED:password]',
        tags: ['password=hunter2xyz', 'auth'],
        links: 'notes/token=abcdefgh.md',
        count: 3,
        done: false,
        none: null,
        decisions: [{ decision: 'push [REDACTED:github-token]', status: 'token=abcdefgh' }],
        nested: { deeper: { text: 'Bearer [REDACTED:bearer-token]', tags: ['secret=abcdefgh'] } },
      },
      count: 3,
    });
    assert.deepEqual(value, before, 'the value given is not changed');
  });

  it('redacts the kept keys too when told to keep nothing', () => {
    const result = redactDeep(value, new Set());
    assert.equal(result.count, 7);
    assert.deepEqual(result.value.tags, ['password=[REDACTED:password]', 'auth']);
    assert.equal(result.value.decisions[0]!.status, 'token=[REDACTED:password]');
  });

  it('redacts a bare string and adds to a counter it is given', () => {
    const counter = { count: 2 };
    assert.deepEqual(redactDeep(`x ${FAKE.npm}`, new Set(['tags']), counter), { value: 'x [REDACTED:npm-token]', count: 3 });
    assert.equal(counter.count, 3);
  });
});
