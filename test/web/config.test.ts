import assert from 'node:assert/strict';
import { parseWebConfig } from '../../src/web/config.js';

const HASH = '$2a$04$zb8wH0pMGf1aAY3eo8Ai4OdCYTaGWtFRLJ8vVBPF1JGbb.lQJGhz6';

describe('web.config parsing (exporter-toolkit format)', () => {
  it('reads TLS settings with paths relative to the file and bcrypt users', () => {
    const c = parseWebConfig([
      'tls_server_config:', '  cert_file: tls/server.crt', '  key_file: /abs/server.key', '  client_ca_file: ca.crt',
      '  client_auth_type: VerifyClientCertIfGiven', '  min_version: TLS13',
      'basic_auth_users:', `  prometheus: '${HASH}'`,
    ].join('\n'), '/etc/k8s-anon-exporter');
    assert.deepEqual(c.tls, {
      certFile: '/etc/k8s-anon-exporter/tls/server.crt', keyFile: '/abs/server.key', clientCAFile: '/etc/k8s-anon-exporter/ca.crt',
      clientAuthType: 'VerifyClientCertIfGiven', minVersion: 'TLSv1.3',
    });
    assert.deepEqual([...c.users], [['prometheus', HASH]]);
  });

  it('defaults: TLS 1.2, client auth required once a client CA is given; no tls section means plain HTTP', () => {
    const c = parseWebConfig('tls_server_config: {cert_file: a, key_file: b, client_ca_file: c}\n', '/x');
    assert.equal(c.tls?.minVersion, 'TLSv1.2');
    assert.equal(c.tls?.clientAuthType, 'RequireAndVerifyClientCert');
    assert.equal(parseWebConfig(`basic_auth_users: {u: '${HASH}'}\n`, '/x').tls, undefined);
  });

  it('reports every problem at once, naming its key', () => {
    assert.throws(() => parseWebConfig([
      'tls_server_config:', '  cert_file: a', '  client_auth_type: Sometimes', '  min_version: SSL3', '  bogus: 1',
      'basic_auth_users:', '  alice: plaintext', 'extra: 1',
    ].join('\n'), '/x'), (e: Error) => {
      for (const want of ['unknown key "extra"', 'unknown key "bogus"', 'cert_file and key_file', 'client_auth_type', 'min_version', 'basic_auth_users.alice: not a bcrypt hash']) {
        assert.ok(e.message.includes(want), `${want} in ${e.message}`);
      }
      return true;
    });
    assert.throws(() => parseWebConfig('tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert}', '/x'), /client_ca_file: required/);
    assert.throws(() => parseWebConfig('[1, 2]', '/x'), /must be a mapping/);
  });
});
