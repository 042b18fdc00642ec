import { type Caller, type Discussion, ValidationError } from '@portail/core';
import { loadDataset, loadReuse } from '@portail/http';
import { datasetOpenForDiscussion, type NamedItem, reuseOpenForDiscussion } from '@portail/store';

export interface DiscussedSubject {
  owner: Discussion['subject_owner'];
  /** The check, in the opening transaction, that the subject is still open to discussion. */
  check: NamedItem | null;
}

/**
 * What a new discussion is about: a public, live dataset or reuse the caller sees (unknown or private:
 * 400 naming `subject`; deleted: 410).
 */
export async function discussedSubject(
  caller: Caller,
  subject: { class: Discussion['subject']['class']; id: string },
): Promise<DiscussedSubject & { id: string }> {
  if (subject.class === 'Reuse') {
    const { reuse } = await loadReuse(caller, subject.id, 'read', { field: 'subject' });
    if (reuse.private) {
      throw ValidationError.field(
        'subject',
        'This reuse is private: discussions are opened on public reuses only.',
      );
    }
    return {
      id: reuse.id,
      owner: reuse.organization
        ? { kind: 'organization', id: reuse.organization }
        : { kind: 'user', id: reuse.owner ?? '' },
      check: reuseOpenForDiscussion(reuse.id),
    };
  }
  const { dataset } = await loadDataset(caller, subject.id, 'read', { field: 'subject' });
  if (dataset.private) {
    throw ValidationError.field(
      'subject',
      'This dataset is private: discussions are opened on public datasets only.',
    );
  }
  return {
    id: dataset.id,
    owner: dataset.organization
      ? { kind: 'organization', id: dataset.organization }
      : { kind: 'user', id: dataset.owner ?? '' },
    check: datasetOpenForDiscussion(dataset.id),
  };
}
