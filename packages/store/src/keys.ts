import { createHash } from 'node:crypto';
/**
 * The only place that builds partition, sort and index keys. docs/data-model.md lists each entity
 * and access pattern with the key shown here.
 */
import { EVENT_BUS, MAIL, UPLOADS_BUCKET } from '@portail/core';

export type SlugKind = 'dataset' | 'user' | 'organization' | 'reuse' | 'harvest-source';

/**
 * What may live in a dataset's partition (`DATASET#<id>`) besides what its GET presents, each under a
 * sort-key prefix of its own that sorts after every presented item (`~` sorts after letters), so the
 * GET's one Query never reads them. New item types of a dataset take one of these (or a new one here).
 */
export const DATASET_ATTACHMENTS = ['check', 'discussion', 'follow', 'harvest', 'metrics'] as const;
export type DatasetAttachment = (typeof DATASET_ATTACHMENTS)[number];

export const keys = {
  /** A dataset's partition: the dataset item and its resources, read together by one Query. */
  dataset: (id: string) => ({ PK: `DATASET#${id}`, SK: 'DATASET' }),
  datasetPartition: (id: string) => `DATASET#${id}`,
  /**
   * The sort-key range the dataset GET reads, exactly what it presents: its community resources
   * (`COMMUNITY#…`), the dataset item (`DATASET`), its quality (`QUALITY`) and its resources (`RESOURCE#…`), in that order. No
   * other item of the partition sorts inside it: views (`VIEW#…`) and attachments (`~…`) sort after.
   */
  datasetPresented: () => ({ first: 'COMMUNITY#', last: 'RESOURCE#\uffff' }),
  /**
   * A dataset's quality, computed by the quality consumer: presented with the dataset, so it sorts
   * inside the GET's range (`DATASET` < `QUALITY` < `RESOURCE#`) and costs the GET no extra call.
   */
  datasetQuality: (datasetId: string) => ({ PK: `DATASET#${datasetId}`, SK: 'QUALITY' }),
  /** An item of a dataset that its GET does not present (a discussion, a follow…): see DATASET_ATTACHMENTS. */
  datasetAttachment: (datasetId: string, kind: DatasetAttachment, id: string) => ({
    PK: `DATASET#${datasetId}`,
    SK: `~${kind.toUpperCase()}#${id}`,
  }),
  datasetAttachmentPrefix: (kind: DatasetAttachment) => `~${kind.toUpperCase()}#`,
  /** A resource of a dataset, in the dataset's partition. */
  resource: (datasetId: string, resourceId: string) => ({
    PK: `DATASET#${datasetId}`,
    SK: `RESOURCE#${resourceId}`,
  }),
  resourcePrefix: () => 'RESOURCE#',
  /** Which dataset a resource belongs to: `/api/1/datasets/r/{rid}` knows only the resource id. */
  resourcePointer: (resourceId: string) => ({ PK: `RESOURCE#${resourceId}`, SK: 'RESOURCE' }),
  /** One item per slug ever given to an object; it makes the slug unique and keeps old slugs resolving. */
  slug: (kind: SlugKind, slug: string) => ({ PK: `SLUG#${kind}#${slug}`, SK: 'SLUG' }),
  /** GSI1: live (not deleted) datasets, newest first. */
  datasetListing: (createdAt: string, id: string) => ({ GSI1PK: 'DATASETS', GSI1SK: `${createdAt}#${id}` }),
  datasetListingPartition: () => 'DATASETS',
  /** GSI2: an owner's live datasets (public and private), newest first. */
  ownerDatasets: (owner: OwnerRef, createdAt: string, id: string) => ({
    GSI2PK: keys.ownerDatasetsPartition(owner),
    GSI2SK: `${createdAt}#${id}`,
  }),
  ownerDatasetsPartition: (owner: OwnerRef) =>
    `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#DATASETS`,
  /** GSI3: listed datasets by last update (the dataset item; `DATASETS` as on GSI1). */
  datasetListingByUpdate: (lastUpdate: string, id: string) =>
    keys.listingByUpdate(keys.datasetListingPartition(), lastUpdate, id),
  /**
   * A dataset's view: a small item in the dataset's partition that puts the dataset in a listing its
   * own item cannot hold (one per tag, its license, its owner by last update). SKs sort after resources.
   */
  datasetView: (id: string, view: DatasetView) => ({
    PK: `DATASET#${id}`,
    SK: `VIEW#${view.kind === 'tag' ? `TAG#${view.tag}` : view.kind.toUpperCase()}`,
  }),
  datasetViewPrefix: () => 'VIEW#',
  /** Listing partitions of the views (on GSI1 by creation, on GSI3 by last update). */
  tagDatasetsPartition: (tag: string) => `TAG#${tag}`,
  licenseDatasetsPartition: (license: string) => `LICENSE#${license}`,
  /** Any listing partition, by creation (GSI1) or by last update (GSI3). */
  listingByCreation: (partition: string, createdAt: string, id: string) => ({
    GSI1PK: partition,
    GSI1SK: `${createdAt}#${id}`,
  }),
  listingByUpdate: (partition: string, lastUpdate: string, id: string) => ({
    GSI3PK: partition,
    GSI3SK: `${lastUpdate}#${id}`,
  }),
  /**
   * An object of a search kind that stopped being listed (private, deleted, archived) at `version`,
   * written in the same transaction as that change and settled by the search consumer once the index
   * serves the hidden state: a search page drops the hits the index still holds from before it. All of a
   * kind in one partition, read whole by one Query with each search.
   */
  searchHidden: (kind: 'datasets', id: string) => ({ PK: keys.searchHiddenPartition(kind), SK: id }),
  searchHiddenPartition: (kind: 'datasets') => `SEARCH_HIDDEN#${kind}`,
  /** A user account. */
  user: (id: string) => ({ PK: `USER#${id}`, SK: 'USER' }),
  /** GSI1: every account, oldest first (what rebuilding the users' search index reads). */
  userListingPartition: () => 'USERS',
  /** The sysadmins (GSI2 of their account items, sparse): who is asked to validate a harvest source. */
  sysadminsPartition: () => 'SYSADMINS',
  /** Makes an email address belong to one account only (lower-cased). */
  email: (email: string) => ({ PK: `EMAIL#${email.toLowerCase()}`, SK: 'EMAIL' }),
  /** A single-use secret (email confirmation, password reset), stored by its SHA-256 only. */
  oneTimeToken: (purpose: OneTimePurpose, hash: string) => ({
    PK: `ONETIME#${purpose}#${hash}`,
    SK: 'ONETIME',
  }),
  /** A browser session, stored by the SHA-256 of the cookie value. */
  session: (hash: string) => ({ PK: `SESSION#${hash}`, SK: 'SESSION' }),
  /** An API token, stored by its keyed hash: resolving `X-API-KEY` is this one lookup. */
  apiToken: (hash: string) => ({ PK: `APITOKEN#${hash}`, SK: 'APITOKEN' }),
  /** GSI1: a user's API tokens, oldest first. */
  userTokens: (userId: string, createdAt: string, id: string) => ({
    GSI1PK: `USER#${userId}#TOKENS`,
    GSI1SK: `${createdAt}#${id}`,
  }),
  userTokensPartition: (userId: string) => `USER#${userId}#TOKENS`,
  /**
   * Attempts counted by a throttle (`login-account` by email, `login-address` and `register-address` by
   * client address): see core's throttle policies.
   */
  throttle: (kind: ThrottleKind, subject: string) => ({
    PK: `THROTTLE#${kind}#${subject.toLowerCase()}`,
    SK: 'THROTTLE',
  }),

  // Organizations and membership: one partition per organization holds the organization, its member
  // items, its membership requests and the markers of pending requests.
  /** An organization (its members by user id and `admin_count` are attributes of this item). */
  organization: (id: string) => ({ PK: `ORG#${id}`, SK: 'ORG' }),
  /** GSI1: live (not deleted) organizations, newest first. */
  organizationListing: (createdAt: string, id: string) => ({ GSI1PK: 'ORGS', GSI1SK: `${createdAt}#${id}` }),
  organizationListingPartition: () => 'ORGS',
  /** A membership: makes a user a member once, and (GSI1) lists a user's organizations. */
  organizationMember: (orgId: string, userId: string) => ({ PK: `ORG#${orgId}`, SK: `MEMBER#${userId}` }),
  userOrganizations: (userId: string, orgId: string) => ({
    GSI1PK: `USER#${userId}#ORGS`,
    GSI1SK: `ORG#${orgId}`,
  }),
  userOrganizationsPartition: (userId: string) => `USER#${userId}#ORGS`,
  /** A request to join, whatever its status. */
  membershipRequest: (orgId: string, requestId: string) => ({
    PK: `ORG#${orgId}`,
    SK: `REQUEST#${requestId}`,
  }),
  membershipRequestPrefix: () => 'REQUEST#',
  /** Exists while the user has a pending request: its conditional put allows one pending request per user. */
  pendingMembershipRequest: (orgId: string, userId: string) => ({
    PK: `ORG#${orgId}`,
    SK: `PENDING#${userId}`,
  }),

  // Transfers: one item per transfer, listed under both parties (the owner side on GSI1, the recipient
  // side on GSI2, each partition named after the party).
  /** A transfer request, whatever its status. */
  transfer: (id: string) => ({ PK: `TRANSFER#${id}`, SK: 'TRANSFER' }),
  /** GSI1: the transfers asked for an owner's objects, newest first. */
  transfersAskedBy: (owner: OwnerRef, createdAt: string, id: string) => ({
    GSI1PK: keys.partyTransfersPartition(owner),
    GSI1SK: `${createdAt}#${id}`,
  }),
  /** GSI2: the transfers addressed to a recipient, newest first. */
  transfersAddressedTo: (recipient: OwnerRef, createdAt: string, id: string) => ({
    GSI2PK: keys.partyTransfersPartition(recipient),
    GSI2SK: `${createdAt}#${id}`,
  }),
  partyTransfersPartition: (party: OwnerRef) =>
    `${party.kind === 'user' ? 'USER' : 'ORG'}#${party.id}#TRANSFERS`,

  // Community resources: in their dataset's partition (one Query reads a dataset's), listed by owner on
  // GSI2 and all together on GSI1.
  /** A community resource, in its dataset's partition. */
  communityResource: (datasetId: string, id: string) => ({
    PK: `DATASET#${datasetId}`,
    SK: `COMMUNITY#${id}`,
  }),
  communityResourcePrefix: () => 'COMMUNITY#',
  /** Which dataset a community resource belongs to: its own URL knows only its id. */
  communityResourcePointer: (id: string) => ({ PK: `COMMUNITY#${id}`, SK: 'COMMUNITY' }),
  /** GSI1: every community resource, newest first. */
  communityResourceListing: (createdAt: string, id: string) => ({
    GSI1PK: keys.communityResourceListingPartition(),
    GSI1SK: `${createdAt}#${id}`,
  }),
  communityResourceListingPartition: () => 'COMMUNITY_RESOURCES',
  /** GSI2: the community resources a user or an organization posted, newest first. */
  ownerCommunityResources: (owner: OwnerRef, createdAt: string, id: string) => ({
    GSI2PK: keys.ownerCommunityResourcesPartition(owner),
    GSI2SK: `${createdAt}#${id}`,
  }),
  ownerCommunityResourcesPartition: (owner: OwnerRef) =>
    `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#COMMUNITY`,

  /**
   * udata's chunked upload in progress: the chunks received, the upload they are declared as and the
   * parts already assembled. Named by the caller and the client's `uuid`, so no one else's chunk joins it.
   */
  chunkedUpload: (callerId: string, uuid: string) => ({ PK: `CHUNKED#${callerId}#${uuid}`, SK: 'CHUNKED' }),
  // Reuses: one partition per reuse holds the reuse, its metrics, one link item per dataset it reuses
  // (which lists the reuse under that dataset) and its followers.
  /** A reuse. */
  reuse: (id: string) => ({ PK: keys.reusePartition(id), SK: 'REUSE' }),
  reusePartition: (id: string) => `REUSE#${id}`,
  /**
   * The sort-key range the reuse GET reads: its metrics item (`METRICS`) and the reuse (`REUSE`); links
   * (`LINK#…`) sort before, followers (`~FOLLOW#…`) after.
   */
  reusePresented: () => ({ first: 'METRICS', last: 'REUSE' }),
  /** GSI1: listed reuses (live, public, linking a public dataset), newest first. */
  reuseListing: (createdAt: string, id: string) => ({ GSI1PK: 'REUSES', GSI1SK: `${createdAt}#${id}` }),
  reuseListingPartition: () => 'REUSES',
  /** GSI2: an owner's live reuses (public and private), newest first. */
  ownerReuses: (owner: OwnerRef, createdAt: string, id: string) => ({
    GSI2PK: keys.ownerReusesPartition(owner),
    GSI2SK: `${createdAt}#${id}`,
  }),
  ownerReusesPartition: (owner: OwnerRef) => `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#REUSES`,
  /** Makes a reuse's URL belong to one live reuse (the hash of its normal form, see core's `reuseUrlHash`). */
  reuseUrl: (hash: string) => ({ PK: `REUSEURL#${hash}`, SK: 'REUSEURL' }),
  /** A dataset a reuse reuses: in the reuse's partition; while the reuse is listed, it lists it under the dataset (GSI1). */
  reuseLink: (reuseId: string, datasetId: string) => ({
    PK: keys.reusePartition(reuseId),
    SK: `${keys.reuseLinkPrefix()}${datasetId}`,
  }),
  reuseLinkPrefix: () => 'LINK#',
  /** GSI1: the listed reuses of a dataset, newest first. */
  datasetReuses: (datasetId: string, createdAt: string, reuseId: string) => ({
    GSI1PK: keys.datasetReusesPartition(datasetId),
    GSI1SK: `${createdAt}#${reuseId}`,
  }),
  datasetReusesPartition: (datasetId: string) => `DATASET#${datasetId}#REUSES`,

  /**
   * The running totals of one object that its GET presents (udata's `metrics`: followers, reuses,
   * discussions…), one attribute each, folded from the stream by the counters consumer. It lives in the
   * object's partition so a dataset's or a reuse's one Query reads it with the object (`METRICS` sorts
   * inside both presented ranges).
   */
  metrics: (object: MetricsOwner) => ({ PK: keys.objectPartition(object), SK: METRICS_SK }),
  /** The partition of a dataset, reuse, organization or user. */
  objectPartition: (object: MetricsOwner) => {
    switch (object.kind) {
      case 'dataset':
        return keys.datasetPartition(object.id);
      case 'reuse':
        return keys.reusePartition(object.id);
      case 'organization':
        return keys.organization(object.id).PK;
      case 'user':
        return keys.user(object.id).PK;
    }
  },

  // Follows: one item per follower, in the followed object's partition (`~FOLLOW#<user>`: a dataset's
  // reserved attachment prefix), listed by the followed object (GSI1) and by the follower (GSI2, and
  // GSI3 per kind of object).
  follow: (object: MetricsOwner, userId: string) => ({
    PK: keys.objectPartition(object),
    SK: `${keys.followPrefix()}${userId}`,
  }),
  followPrefix: () => '~FOLLOW#',
  /** GSI1: an object's followers, oldest first. */
  followers: (object: MetricsOwner, since: string, userId: string) => ({
    GSI1PK: keys.followersPartition(object),
    GSI1SK: `${since}#${userId}`,
  }),
  followersPartition: (object: MetricsOwner) => `FOLLOWERS#${object.kind}#${object.id}`,
  /** GSI2: what a user follows, newest first; GSI3: the same, per kind of object. */
  following: (userId: string, object: MetricsOwner, since: string) => ({
    GSI2PK: keys.followingPartition(userId),
    GSI2SK: `${since}#${object.kind}#${object.id}`,
    GSI3PK: keys.followingPartition(userId, object.kind),
    GSI3SK: `${since}#${object.id}`,
  }),
  followingPartition: (userId: string, kind?: MetricsOwner['kind']) =>
    kind ? `USER#${userId}#FOLLOWING#${kind}` : `USER#${userId}#FOLLOWING`,

  // Discussions: one item per discussion (its comments inside), listed on GSI1 (all), GSI2 (by subject)
  // and GSI3 (by the subject's owner); held ones carry no listing keys.
  /** A discussion with its comments. */
  discussion: (id: string) => ({ PK: `DISCUSSION#${id}`, SK: 'DISCUSSION' }),
  /** GSI1: every published discussion, newest first. */
  discussionListing: (createdAt: string, id: string) => ({
    GSI1PK: keys.discussionListingPartition(),
    GSI1SK: `${createdAt}#${id}`,
  }),
  discussionListingPartition: () => 'DISCUSSIONS',
  /** GSI2: the published discussions of one subject (a dataset, a reuse), newest first. */
  subjectDiscussions: (subjectId: string, createdAt: string, id: string) => ({
    GSI2PK: keys.subjectDiscussionsPartition(subjectId),
    GSI2SK: `${createdAt}#${id}`,
  }),
  subjectDiscussionsPartition: (subjectId: string) => `SUBJECT#${subjectId}#DISCUSSIONS`,
  /** GSI3: the published discussions about what a user or an organization owns, newest first. */
  ownerDiscussions: (owner: OwnerRef, createdAt: string, id: string) => ({
    GSI3PK: keys.ownerDiscussionsPartition(owner),
    GSI3SK: `${createdAt}#${id}`,
  }),
  ownerDiscussionsPartition: (owner: OwnerRef) =>
    `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#DISCUSSIONS`,

  /** A report (of a discussion, a comment, a dataset, a reuse), listed on GSI1 for sysadmins. */
  report: (id: string) => ({ PK: `REPORT#${id}`, SK: 'REPORT' }),
  reportListing: (reportedAt: string, id: string) => ({
    GSI1PK: keys.reportListingPartition(),
    GSI1SK: `${reportedAt}#${id}`,
  }),
  reportListingPartition: () => 'REPORTS',

  // The activity stream: one item per activity, listed by actor (GSI1), organization (GSI2), the
  // object it is about (GSI3) and among every activity (GSI4).
  /** An activity (its id is the event's). */
  activity: (id: string) => ({ PK: `ACTIVITY#${id}`, SK: 'ACTIVITY' }),
  /**
   * A copy of an activity that listed it among every activity before GSI4 did (on GSI1): no longer
   * written; `npm run backfill` removes those left.
   */
  activityEntry: (id: string) => ({ PK: `ACTIVITY#${id}`, SK: 'ACTIVITY#ALL' }),
  activityListing: (createdAt: string, id: string) => ({ GSI4PK: 'ACTIVITY', GSI4SK: `${createdAt}#${id}` }),
  activityListingPartition: () => 'ACTIVITY',
  actorActivityPartition: (userId: string) => `USER#${userId}#ACTIVITY`,
  organizationActivityPartition: (orgId: string) => `ORG#${orgId}#ACTIVITY`,
  relatedActivityPartition: (objectId: string) => `OBJECT#${objectId}#ACTIVITY`,

  // Notifications: one item per event and recipient, listed in the recipient's inbox (GSI1), among
  // their unhandled ones while unhandled (GSI2), and in the digest that mails it while due (GSI3).
  /** A user's notification of one event: at most one per event and user. */
  notification: (userId: string, eventId: string) => ({
    PK: `NOTIFICATION#${userId}#${eventId}`,
    SK: 'NOTIFICATION',
  }),
  userNotificationsPartition: (userId: string) => `USER#${userId}#NOTIFICATIONS`,
  userUnhandledPartition: (userId: string) => `USER#${userId}#UNHANDLED`,
  /** GSI3 partition of the notifications one digest period mails, spread over shards by user. */
  digestPartition: (due: string, shard: number) => `DIGEST#${due}#${shard}`,
  /** Says that a digest period has notifications waiting (GSI1 `DIGESTS` by due time). */
  digestDue: (due: string) => ({ PK: `DIGEST#${due}`, SK: 'DIGEST' }),
  digestDueListing: (due: string) => ({ GSI1PK: 'DIGESTS', GSI1SK: due }),
  digestDuePartition: () => 'DIGESTS',
  /** A user's notification preferences (absent: the defaults). */
  notificationPreferences: (userId: string) => ({ PK: `USER#${userId}`, SK: 'NOTIFICATION_PREFERENCES' }),

  // Availability checks: one item per remote resource of a live dataset, in the dataset's partition
  // (`~CHECK#<rid>`), listed by when it is due (GSI1, spread over shards) and, while the link is down,
  // among its owner's unreachable links (GSI2).
  availabilityCheck: (datasetId: string, resourceId: string) =>
    keys.datasetAttachment(datasetId, 'check', resourceId),
  /** GSI1: the checks due, by time (`<due>#<dataset>#<rid>`). */
  dueCheck: (shard: number, dueAt: string, datasetId: string, resourceId: string) => ({
    GSI1PK: keys.dueChecksPartition(shard),
    GSI1SK: `${dueAt}#${datasetId}#${resourceId}`,
  }),
  dueChecksPartition: (shard: number) => `CHECKS#${shard}`,
  /** GSI2: an owner's links that did not answer their last check, most recently checked first. */
  unavailableLink: (owner: OwnerRef, checkedAt: string, datasetId: string, resourceId: string) => ({
    GSI2PK: keys.ownerUnavailablePartition(owner),
    GSI2SK: `${checkedAt}#${datasetId}#${resourceId}`,
  }),
  ownerUnavailablePartition: (owner: OwnerRef) =>
    `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#UNAVAILABLE`,
  // Update due dates: the quality item of a dataset with a frequency is listed by when its data becomes
  // late, for the overdue job (GSI3, spread over shards, until reminded) and for its owner's dashboard
  // (GSI2, always).
  /** GSI3: datasets whose next update is due, by due time, until their producer was reminded. */
  dueUpdate: (shard: number, dueAt: string, datasetId: string) => ({
    GSI3PK: keys.dueUpdatesPartition(shard),
    GSI3SK: `${dueAt}#${datasetId}`,
  }),
  dueUpdatesPartition: (shard: number) => `UPDATES_DUE#${shard}`,
  /** GSI1: an owner's datasets by quality score, lowest first (`<score, 6 decimals>#<dataset>`). */
  ownerQuality: (owner: OwnerRef, score: number, datasetId: string) => ({
    GSI1PK: keys.ownerQualityPartition(owner),
    GSI1SK: `${score.toFixed(6)}#${datasetId}`,
  }),
  ownerQualityPartition: (owner: OwnerRef) => `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#QUALITY`,
  /** GSI2: an owner's datasets with a declared frequency, by when they become late. */
  ownerDueUpdate: (owner: OwnerRef, dueAt: string, datasetId: string) => ({
    GSI2PK: keys.ownerDueUpdatesPartition(owner),
    GSI2SK: `${dueAt}#${datasetId}`,
  }),
  ownerDueUpdatesPartition: (owner: OwnerRef) => `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#DUE`,

  // Contact points: listed by owner (GSI1, oldest first); each dataset naming one has a reference
  // item in the contact point's partition, so a change of the contact point reaches those datasets.
  contactPoint: (id: string) => ({ PK: `CONTACT#${id}`, SK: 'CONTACT' }),
  ownerContactPoints: (owner: OwnerRef, createdAt: string, id: string) => ({
    GSI1PK: keys.ownerContactPointsPartition(owner),
    GSI1SK: `${createdAt}#${id}`,
  }),
  ownerContactPointsPartition: (owner: OwnerRef) =>
    `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#CONTACTS`,
  contactPointUse: (contactId: string, datasetId: string) => ({
    PK: `CONTACT#${contactId}`,
    SK: `USED_BY#DATASET#${datasetId}`,
  }),
  contactPointUsePrefix: () => 'USED_BY#DATASET#',

  // Webhooks: listed by owner (GSI1); each delivery (one per webhook and event) listed in its webhook's
  // log (GSI2) and, while a retry is due, among the due retries (GSI3, by time, spread over shards).
  webhook: (id: string) => ({ PK: `WEBHOOK#${id}`, SK: 'WEBHOOK' }),
  ownerWebhooksPartition: (owner: OwnerRef) =>
    `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#WEBHOOKS`,
  webhookDelivery: (webhookId: string, eventId: string) => ({
    PK: `DELIVERY#${webhookId}#${eventId}`,
    SK: 'DELIVERY',
  }),
  webhookDeliveriesPartition: (webhookId: string) => `WEBHOOK#${webhookId}#DELIVERIES`,
  webhookRetryPartition: (shard: number) => `WEBHOOK_RETRY#${shard}`,
  // Harvesting: a source's partition holds the source and its identity records (one per remote
  // dataset); a job's partition holds the job, its pages and its items.
  /** A harvest source. */
  harvestSource: (id: string) => ({ PK: `HARVEST#${id}`, SK: 'SOURCE' }),
  /** GSI1: live harvest sources, newest first. */
  harvestSourceListing: (createdAt: string, id: string) => ({
    GSI1PK: keys.harvestSourceListingPartition(),
    GSI1SK: `${createdAt}#${id}`,
  }),
  harvestSourceListingPartition: () => 'HARVEST_SOURCES',
  /** GSI2: an owner's live harvest sources, newest first. */
  ownerHarvestSources: (owner: OwnerRef, createdAt: string, id: string) => ({
    GSI2PK: keys.ownerHarvestSourcesPartition(owner),
    GSI2SK: `${createdAt}#${id}`,
  }),
  ownerHarvestSourcesPartition: (owner: OwnerRef) =>
    `${owner.kind === 'user' ? 'USER' : 'ORG'}#${owner.id}#HARVEST`,
  /** GSI3: accepted, active, live sources by next scheduled run (the scheduler's tick reads the due ones). */
  harvestDue: (nextRun: string, id: string) => ({
    GSI3PK: keys.harvestDuePartition(),
    GSI3SK: `${nextRun}#${id}`,
  }),
  harvestDuePartition: () => 'HARVEST_DUE',
  /**
   * The identity of a harvested dataset: (source, remote id) → dataset id, content hash, and since when
   * the remote no longer lists it. Long remote ids are hashed to keep the sort key small.
   */
  harvestRecord: (sourceId: string, remoteId: string) => ({
    PK: `HARVEST#${sourceId}`,
    SK: `REMOTE#${remoteKey(remoteId)}`,
  }),
  harvestRecordPrefix: () => 'REMOTE#',
  /** A harvest job. */
  harvestJob: (id: string) => ({ PK: `HARVESTJOB#${id}`, SK: 'JOB' }),
  harvestJobPartition: (id: string) => `HARVESTJOB#${id}`,
  /** GSI1: a source's jobs, newest first. */
  sourceJobs: (sourceId: string, created: string, id: string) => ({
    GSI1PK: keys.sourceJobsPartition(sourceId),
    GSI1SK: `${created}#${id}`,
  }),
  sourceJobsPartition: (sourceId: string) => `HARVEST#${sourceId}#JOBS`,
  /**
   * GSI3: jobs not ended yet, oldest first (the tick reads those started long ago, to fail the ones
   * whose steps stopped); a job leaves the index when it ends.
   */
  runningHarvestJob: (created: string, id: string) => ({
    GSI3PK: keys.runningHarvestJobsPartition(),
    GSI3SK: `${created}#${id}`,
  }),
  runningHarvestJobsPartition: () => 'HARVEST_RUNNING',
  /** One page of a job: its cursor and whether it was handled (a repeated step does nothing). */
  harvestPage: (jobId: string, page: number) => ({
    PK: `HARVESTJOB#${jobId}`,
    SK: `PAGE#${String(page).padStart(8, '0')}`,
  }),
  harvestPagePrefix: () => 'PAGE#',
  /** One item of a job: a remote dataset and what became of it. */
  harvestItem: (jobId: string, remoteId: string) => ({
    PK: `HARVESTJOB#${jobId}`,
    SK: `ITEM#${remoteKey(remoteId)}`,
  }),
  harvestItemPrefix: () => 'ITEM#',
  /** Settings every harvester reads: the sysadmins' pause. */
  harvestSettings: () => ({ PK: 'HARVEST_SETTINGS', SK: 'SETTINGS' }),

  /** A mail waiting to be sent: written in the transaction that needs it, sent from the stream. */
  mail: (id: string) => ({ PK: `MAIL#${id}`, SK: MAIL.marker }),
  /** One outbox item per event: the stream forwards its insertion to the bus. */
  outbox: (eventId: string) => ({ PK: `OUTBOX#${eventId}`, SK: EVENT_BUS.outboxMarker }),
  /** A running total, folded from the table's stream by the counters consumer (list envelopes report `total`). */
  counter: (name: CounterName) => ({ PK: `COUNTER#${name}`, SK: 'COUNTER' }),
  /**
   * Where a counter is kept: its own item (`total`), or for a metric (`metrics:<kind>:<id>:<key>`) one
   * attribute of the object's metrics item.
   */
  counterTarget: (name: CounterName): { Key: { PK: string; SK: string }; attribute: string } => {
    const metric = /^metrics:(dataset|reuse|organization|user):([^:]+):([a-z_]+)$/.exec(name);
    if (metric) {
      const [, kind, id, attribute] = metric as unknown as [string, MetricsObject['kind'], string, string];
      if (!(METRIC_KEYS as readonly string[]).includes(attribute)) {
        throw new Error(`"${attribute}" is not one of METRIC_KEYS`);
      }
      return { Key: keys.metrics({ kind, id }), attribute };
    }
    return { Key: keys.counter(name), attribute: 'total' };
  },
  /** Says that `consumer` has acted on event (or stream record) `id`: written with the effect, in its transaction. */
  consumed: (consumer: string, id: string) => ({ PK: `DONE#${consumer}#${id}`, SK: 'DONE' }),
  /**
   * Powertools idempotency records of a function whose effect is outside the table (mail): one
   * partition per function, the record's key (a hash of the payload's id) as sort key.
   */
  idempotencyPartition: (fn: string) => `IDEMPOTENCY#${fn}`,
} as const;

/**
 * S3 keys of hosted files: `datasets/<dataset id>/<resource id>/<upload id>/<file name>`. Each upload has
 * its own key, so a replacement never overwrites the file being served, and a presigned form is bound
 * to that one key.
 */
export const objectKeys = {
  upload: (datasetId: string, resourceId: string, uploadId: string, fileName: string) =>
    `${UPLOADS_BUCKET.uploadsPrefix}${datasetId}/${resourceId}/${uploadId}/${fileName}`,
  /**
   * The copy finalize measures and, once accepted, serves: under the accepted prefix, which no upload
   * may write, and unique to one finalize run so two runs on one upload never share an object.
   */
  accepted: (datasetId: string, resourceId: string, uploadId: string, runId: string, fileName: string) =>
    `${UPLOADS_BUCKET.acceptedPrefix}${datasetId}/${resourceId}/${uploadId}/${runId}/${fileName}`,
  /**
   * A chunk of udata's chunked upload, kept until it is assembled into a part of the upload's key. Not
   * under the uploads prefix: finalize never sees a chunk.
   */
  chunk: (callerId: string, uuid: string, index: number) =>
    `${UPLOADS_BUCKET.chunksPrefix}${callerId}/${uuid}/${index}`,
  /** Everything ever uploaded for a resource. */
  resourcePrefix: (datasetId: string, resourceId: string) =>
    `${UPLOADS_BUCKET.uploadsPrefix}${datasetId}/${resourceId}/`,
  /** The parts of an upload key, or null for a key Portail never hands out. */
  parse: (
    key: string,
  ): { datasetId: string; resourceId: string; uploadId: string; fileName: string } | null => {
    if (!key.startsWith(UPLOADS_BUCKET.uploadsPrefix)) return null;
    const parts = key.slice(UPLOADS_BUCKET.uploadsPrefix.length).split('/');
    if (parts.length !== 4 || parts.some((part) => part.length === 0)) return null;
    const [datasetId, resourceId, uploadId, fileName] = parts as [string, string, string, string];
    return { datasetId, resourceId, uploadId, fileName };
  },
} as const;

/** The sort key of an object's metrics item (see `keys.metrics`). */
export const METRICS_SK = 'METRICS';

/** An object that has metrics and followers (see `MetricsObject`). */
export type MetricsOwner = MetricsObject;

/** The partitions that hold metrics items, as IAM's LeadingKeys patterns see them. */
export const METRICS_PARTITION_PREFIXES = ['DATASET#', 'REUSE#', 'ORG#', 'USER#'] as const;
/** A remote id as a sort-key part: itself when short, else `sha256:<hex>` (sort keys are at most 1 KiB). */
function remoteKey(remoteId: string): string {
  return Buffer.byteLength(remoteId) <= 400
    ? remoteId
    : `sha256:${createHash('sha256').update(remoteId).digest('hex')}`;
}

/** The listings a dataset's view items put it in (see `keys.datasetView`). */
export type DatasetView = { kind: 'owner' } | { kind: 'license' } | { kind: 'tag'; tag: string };

/** Whose datasets: a user's or an organization's. */
export interface OwnerRef {
  kind: 'user' | 'organization';
  id: string;
}

/**
 * `datasets:<kind>:<id>` counts an owner's live datasets; `…:public` the public ones among them.
 * `community-resources:<kind>:<id>` counts an owner's community resources.
 */
/**
 * The `metrics` keys the counters consumer may fold into an object's metrics item: the only attributes
 * its role may write outside counter items (a key not listed here is refused, here and by IAM).
 */
export const METRIC_KEYS = ['discussions', 'discussions_open', 'followers', 'reuses'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** What keeps `metrics`: datasets, reuses, organizations and users. */
export interface MetricsObject {
  kind: 'dataset' | 'reuse' | 'organization' | 'user';
  id: string;
}

export type CounterName =
  | 'datasets'
  | `discussions${string}`
  | `metrics:${string}`
  | 'reports'
  | 'reports:open'
  | 'organizations'
  | 'users'
  | `datasets:${string}`
  | 'community-resources'
  | `community-resources:${string}`
  | 'activity'
  | `activity:${string}`
  | 'reuses'
  | `reuses:${string}`
  | `following:${string}`;

export type OneTimePurpose = 'confirm' | 'reset';

export type ThrottleKind = 'login-account' | 'login-address' | 'register-address';

export const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK'] as const;
