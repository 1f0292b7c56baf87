import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INDICATORS } from '../../engines/indicators/definitions.ts';
import type { IndicatorTarget } from '../../engines/indicators/targets.ts';
import {
  clearTarget,
  type EffectiveTarget,
  loadEffectiveTargets,
  setTarget,
} from '../../indicators/targets.ts';
import type { Store } from '../../store/db.ts';
import { actorOf } from '../session.ts';
import {
  ClearTargetQuery,
  EffectiveTargets,
  SetTargetBody,
  TargetsQuery,
  TargetView,
} from '../target-contracts.ts';
import { regionWithin } from './region-access.ts';

const presentPreloaded = (t: IndicatorTarget) => ({
  comparator: t.comparator,
  threshold: t.threshold,
  close_margin: t.close_margin,
  source: t.source,
});

function presentTarget(t: EffectiveTarget): TargetView {
  return {
    ...presentPreloaded(t),
    indicator_id: t.indicator_id,
    stage: t.stage,
    origin: t.origin,
    year: t.year,
    note: t.note,
    updated_by: t.updated_by,
    updated_at: t.updated_at,
    preloaded: t.preloaded && presentPreloaded(t.preloaded),
  };
}

const INDICATOR_LIST = INDICATORS.map((d) => ({
  id: d.id,
  zh: d.zh,
  en: d.en,
  unit: d.unit,
  stages: [...d.stages],
}));

export const indicatorTargetRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/indicators/targets',
      {
        schema: {
          tags: ['indicators'],
          summary: '某区划某年度的目标值 / effective targets of a region and year',
          querystring: TargetsQuery,
          response: { 200: EffectiveTargets },
        },
      },
      async (req) => {
        const region = await regionWithin(store, req, req.query.region, ['indicators.read']);
        const targets = (await loadEffectiveTargets(store.db, [region.code], req.query.year)).get(
          region.code,
        )!;
        return {
          region,
          year: req.query.year,
          targets: targets.map(presentTarget),
          indicators: INDICATOR_LIST,
        };
      },
    );

    app.put(
      '/api/indicators/targets',
      {
        schema: {
          tags: ['indicators'],
          summary: '设定目标值 / set a target',
          body: SetTargetBody,
          response: { 200: TargetView },
        },
      },
      async (req) => {
        await regionWithin(store, req, req.body.region_code, ['targets.write']);
        return presentTarget(await setTarget(store.db, actorOf(req), req.body));
      },
    );

    app.delete(
      '/api/indicators/targets',
      {
        schema: {
          tags: ['indicators'],
          summary: '恢复预置目标值 / restore the preloaded target',
          querystring: ClearTargetQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await regionWithin(store, req, req.query.region_code, ['targets.write']);
        await clearTarget(store.db, actorOf(req), req.query);
        return reply.status(204).send(null);
      },
    );
  };
