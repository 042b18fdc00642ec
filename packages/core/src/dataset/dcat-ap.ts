import type { Dataset } from './dataset';
import { DEFAULT_LICENSE } from './licenses';
import type { DcatApViolation } from './quality';
import { isVisible, type Resource } from './resource';

/**
 * A dataset's DCAT-AP 3.0 conformance as a producer can act on it: the mandatory properties of the
 * DCAT-AP shapes (reference dcat-ap-3.0.0-shacl.ttl: a dataset's `dct:title` and `dct:description`, a
 * distribution's `dcat:accessURL`) and the recommended ones of the specification that Portail holds
 * (keywords, spatial and temporal coverage, distributions; a distribution's description, format and
 * licence). Portail's export writes each of them whenever the dataset has the value, so this list is
 * exactly what the export lacks; an integration test checks the export against the shapes themselves.
 */
export function dcatApViolations(dataset: Dataset, resources: readonly Resource[]): DcatApViolation[] {
  const violations: DcatApViolation[] = [];
  const add = (focus: string, path: string, severity: DcatApViolation['severity'], message: string) =>
    violations.push({ focus, path, severity, message });
  if (!dataset.title.trim()) add('dataset', 'dct:title', 'mandatory', 'A dataset must have a title.');
  if (!dataset.description.trim())
    add('dataset', 'dct:description', 'mandatory', 'A dataset must have a description.');
  if (dataset.tags.length === 0) add('dataset', 'dcat:keyword', 'recommended', 'Add keywords (tags).');
  if ((dataset.spatial?.zones.length ?? 0) === 0)
    add('dataset', 'dct:spatial', 'recommended', 'Say which area the data covers (spatial zones).');
  if (!dataset.temporal_coverage)
    add('dataset', 'dct:temporal', 'recommended', 'Say which period the data covers (temporal coverage).');
  const visible = resources.filter(isVisible);
  if (visible.length === 0)
    add(
      'dataset',
      'dcat:distribution',
      'recommended',
      'Add at least one resource: it is exported as a distribution.',
    );
  for (const resource of visible) {
    const focus = `distribution ${resource.id}`;
    if (!resource.description?.trim())
      add(focus, 'dct:description', 'recommended', `Describe the resource “${resource.title}”.`);
    if (!resource.format?.trim())
      add(focus, 'dct:format', 'recommended', `Give the format of the resource “${resource.title}”.`);
    if (dataset.license === DEFAULT_LICENSE)
      add(
        focus,
        'dct:license',
        'recommended',
        'Choose a license for the dataset: each distribution carries it.',
      );
  }
  return violations;
}
