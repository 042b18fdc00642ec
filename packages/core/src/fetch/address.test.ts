import { describe, expect, it } from 'vitest';
import { addressRefusal, classifyAddress, DEPLOYED_POLICY, parseIPv6, urlRefusal } from './address';

describe('address classes', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['169.254.169.254', 'link-local'],
    ['192.0.0.8', 'protocol'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b:1::1', 'ipv4-translated'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['2002:0808:0808::1', 'public'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'protocol'],
    ['100::1', 'reserved'],
    ['2a00:1450:4007:80e::200e', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['4000::1', 'reserved'],
    ['fe80::1%eth0', 'invalid'],
    ['example.org', 'invalid'],
    ['127.1', 'invalid'],
    ['0177.0.0.1', 'invalid'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('parses every IPv6 spelling to the same bytes', () => {
    const full = parseIPv6('0000:0000:0000:0000:0000:ffff:7f00:0001');
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual(full);
    expect(parseIPv6('::FFFF:7F00:1')).toEqual(full);
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('1::2::3')).toBeNull();
    expect(parseIPv6('12345::')).toBeNull();
  });

  it('allows loopback only when the policy says so, and nothing else private', () => {
    expect(addressRefusal('127.0.0.1', DEPLOYED_POLICY)).toMatch(/loopback/);
    expect(addressRefusal('127.0.0.1', { allowLoopback: true })).toBeNull();
    expect(addressRefusal('::1', { allowLoopback: true })).toBeNull();
    expect(addressRefusal('10.0.0.1', { allowLoopback: true })).toMatch(/private/);
    expect(addressRefusal('169.254.169.254', { allowLoopback: true })).toMatch(/link-local/);
  });
});

describe('URL rules', () => {
  const refusal = (url: string) => {
    const verdict = urlRefusal(url, DEPLOYED_POLICY);
    return 'refusal' in verdict ? verdict.refusal : null;
  };

  it('accepts public http(s) URLs', () => {
    expect(refusal('https://data.example.org/catalog.ttl')).toBeNull();
    expect(refusal('http://8.8.8.8:8080/x')).toBeNull();
  });

  it.each([
    ['file:///etc/passwd', /scheme/],
    ['ftp://example.org/x', /scheme/],
    ['gopher://example.org/', /scheme/],
    ['http://user:secret@example.org/', /credentials/],
    ['http://127.0.0.1/', /loopback/],
    ['http://2130706433/', /loopback/],
    ['http://0x7f.1/', /loopback/],
    ['http://[::1]/', /loopback/],
    ['http://[::ffff:169.254.169.254]/', /link-local/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://localhost:3000/', /loopback name/],
    ['http://api.localhost/', /loopback name/],
    ['not a url', /valid URL/],
  ])('refuses %s', (url, reason) => {
    expect(refusal(url)).toMatch(reason);
  });
});
