import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import {
  getHarvestJob,
  getHarvestPause,
  listHarvestJobItems,
  listHarvestJobs,
  previewHarvestSource,
  previewHarvestSourceConfig,
  runHarvestSource,
  scheduleHarvestSource,
  setHarvestPause,
  unscheduleHarvestSource,
  validateHarvestSource,
} from './jobs';
import { harvestRoutes } from './routes';
import {
  createHarvestSource,
  deleteHarvestSource,
  getHarvestSource,
  listHarvestBackends,
  listHarvestSources,
  updateHarvestSource,
} from './sources';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  harvestRoutes,
  {
    listHarvestSources,
    createHarvestSource,
    getHarvestSource,
    updateHarvestSource,
    deleteHarvestSource,
    validateHarvestSource,
    runHarvestSource,
    previewHarvestSource,
    previewHarvestSourceConfig,
    scheduleHarvestSource,
    unscheduleHarvestSource,
    listHarvestJobs,
    getHarvestJob,
    listHarvestJobItems,
    listHarvestBackends,
    getHarvestPause,
    setHarvestPause,
  },
  resolveCaller,
);
