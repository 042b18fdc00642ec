import { describe, expect, it } from 'vitest';
import { matchRoute } from './router';

describe('workspace routes', () => {
  it('matches the screens under /admin/', () => {
    expect(matchRoute('/admin/')).toEqual({ name: 'home', params: {} });
    expect(matchRoute('/admin/confirm/abc_DEF-123')).toEqual({
      name: 'confirm-token',
      params: { token: 'abc_DEF-123' },
    });
    expect(matchRoute('/admin/datasets/new')).toEqual({ name: 'dataset-new', params: {} });
    expect(matchRoute('/admin/datasets/42/')).toEqual({ name: 'dataset', params: { id: '42' } });
    expect(matchRoute('/admin/nothing/here').name).toBe('not-found');
  });
});
