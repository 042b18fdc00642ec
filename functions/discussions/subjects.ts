import { type Caller, type Discussion, ValidationError } from '@portail/core';
import { loadDataset } from '@portail/http';
import { datasetOpenForDiscussion, type NamedItem } from '@portail/store';

export interface DiscussedSubject {
  owner: Discussion['subject_owner'];
  /** The check, in the opening transaction, that the subject is still open to discussion. */
  check: NamedItem | null;
}

/**
 * What a new discussion is about: a public, live dataset the caller sees (unknown or private: 400
 * naming `subject`; deleted: 410), or a reuse.
 */
export async function discussedSubject(
  caller: Caller,
  subject: { class: Discussion['subject']['class']; id: string },
): Promise<DiscussedSubject & { id: string }> {
  if (subject.class === 'Reuse') {
    throw ValidationError.field('subject', 'Discussions on reuses are not served yet.');
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
