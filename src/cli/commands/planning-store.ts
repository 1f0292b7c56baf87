import fs from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { writeAudit } from '../../audit/audit-log.ts';
import { AppError } from '../../domain/errors.ts';
import { PLANNING_METHODS, type PlanningMethod } from '../../planning/defaults.ts';
import { withStore } from '../store-session.ts';
import { parseYear } from './indicators.ts';
import { cliActor } from './io.ts';

const number =
  (what: string, min = 0) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min)
      throw new InvalidArgumentError(`应为不小于 ${min} 的数 / ${what} must be ≥ ${min}`);
    return n;
  };
const whole =
  (what: string, min = 0) =>
  (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < min)
      throw new InvalidArgumentError(
        min === 0
          ? `应为非负整数 / ${what} must be a whole number`
          : `应为不小于 ${min} 的整数 / ${what} must be a whole number ≥ ${min}`,
      );
    return Number(v);
  };
/** A percent between 0 and 100 → a fraction (1 → 0.01). */
const percent = (what: string) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError(`应为 0–100 之间的百分数 / ${what} must be a percent from 0 to 100`);
  return n / 100;
};
const method = (v: string): PlanningMethod => {
  const m = PLANNING_METHODS.find((x) => x === v);
  if (!m)
    throw new InvalidArgumentError(
      `应为 auto、exact 或 heuristic 之一 / --method must be one of auto, exact, heuristic`,
    );
  return m;
};
/** 万元 → fen. */
const wan = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 1_000_000));

function need<T>(v: T | undefined, option: string): T {
  if (v === undefined)
    throw new AppError('planning.missing_option', `需要 ${option}`, `${option} is required`, option);
  return v;
}

const countyOption = () => new Option('--county <CODE>', '县（市、区）代码 / county code');
const formatOption = () =>
  new Option('--format <format>', '输出格式 / output format').choices(['table', 'json']).default('table');

const km = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const yuanWan = (fen: number | null) => (fen === null ? '—' : (fen / 1_000_000).toFixed(1));
const share = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

interface RunOpts {
  county?: string;
  stage?: 'primary' | 'junior';
  year?: number;
  forecast?: string;
  sites?: string;
  mustKeep?: string;
  maxExtraClasses?: number;
  costPerClass?: number;
  closureSaving?: number;
  seatsPerClass?: number;
  radiusUrban?: number;
  radiusRural?: number;
  radiusBoarding?: number;
  budget?: number;
  maxNewSchools?: number;
  costWeight?: number;
  allowSplit?: boolean;
  timeLimit?: number;
  detourFactor?: number;
  method?: PlanningMethod;
  gapTolerance?: number;
  nearestK?: number;
  save?: string;
  out?: string;
}

/** `planning run`, `scenarios`, `compare` and `export`: layout plans over the store (docs/planning.md). */
export function registerPlanningStoreCommands(cmd: Command): void {
  cmd
    .command('run')
    .description(
      '由登记数据和已保存的预测方案构建规划输入并求解，可保存为命名方案；输出引擎结果 JSON\n' +
        'build the input from the registry and a saved forecast run, solve, optionally save as a named scenario; prints the result JSON',
    )
    .addOption(countyOption())
    .addOption(new Option('--stage <STAGE>', '学段 / stage').choices(['primary', 'junior']))
    .option('--year <Y>', '目标年份（在预测方案的年份内）/ target year (within the run)', parseYear)
    .option('--forecast <RUN>', '预测方案名称 / forecast run name')
    .option('--sites <FILE>', '备选校址 JSON 或 XLSX / candidate sites, JSON or XLSX')
    .option(
      '--must-keep <CODES>',
      '不得撤并的学校标识码，逗号分隔 / school codes that may not close, comma-separated',
    )
    .option(
      '--max-extra-classes <N>',
      '每校最多扩建班数（默认 6）/ classes a school may add (default 6)',
      whole('--max-extra-classes'),
    )
    .option(
      '--cost-per-class <WAN>',
      '扩建每班造价，万元（默认 100）/ cost of one added class, 10k yuan (default 100)',
      number('--cost-per-class'),
    )
    .option(
      '--closure-saving <WAN>',
      '撤并一校的节约，万元（默认 0）/ saving of a closure, 10k yuan (default 0)',
      number('--closure-saving'),
    )
    .option(
      '--seats-per-class <N>',
      '每班学位（默认各校标准班额）/ seats per class (default each school’s standard)',
      whole('--seats-per-class'),
    )
    .option(
      '--radius-urban <KM>',
      '城镇服务半径，公里 / urban service radius, km',
      number('--radius-urban', 0.01),
    )
    .option(
      '--radius-rural <KM>',
      '农村服务半径，公里 / rural service radius, km',
      number('--radius-rural', 0.01),
    )
    .option(
      '--radius-boarding <KM>',
      '农村寄宿制初中服务半径 / rural boarding junior-high radius, km',
      number('--radius-boarding', 0.01),
    )
    .option('--budget <WAN>', '建设预算，万元 / budget, 10k yuan', number('--budget'))
    .option(
      '--max-new-schools <N>',
      '最多新建学校数 / at most this many new schools',
      whole('--max-new-schools'),
    )
    .option(
      '--cost-weight <W>',
      '每分钱折合的人公里（默认 1e-6）/ pupil-km per fen (default 1e-6)',
      number('--cost-weight'),
    )
    .option(
      '--detour-factor <F>',
      '路网系数：道路距离 ÷ 直线距离（默认 1.3）/ road ÷ straight-line distance (default 1.3)',
      number('--detour-factor', 1),
    )
    .option('--allow-split', '允许一个社区分到多所学校 / a community may go to several schools')
    .option(
      '--time-limit <S>',
      '精确求解时限，秒（默认 60）/ exact solve time limit, s (default 60)',
      number('--time-limit', 1),
    )
    .addOption(
      new Option(
        '--method <M>',
        '求解方法（默认 auto：15 万对以内精确求解）/ solve method (default auto: exact up to 150,000 pairs)',
      )
        .choices(PLANNING_METHODS)
        .argParser(method),
    )
    .option(
      '--gap-tolerance <PCT>',
      '精确求解停止的相对差距，百分数（默认 1）/ relative gap at which the exact solve stops, percent (default 1)',
      percent('--gap-tolerance'),
    )
    .option(
      '--nearest-k <K>',
      '每个需求点只保留最近的 K 所学校或校址（默认全部）/ keep only the K nearest schools and sites per demand point (default all)',
      whole('--nearest-k', 1),
    )
    .option('--save <NAME>', '保存为命名方案 / save as a named scenario')
    .option('--out <FILE>', '结果 JSON 文件（默认标准输出）/ result JSON file (default stdout)')
    .action(async (o: RunOpts) => {
      const { findRun, requireRun } = await import('../../forecast/runs.ts');
      const { DEFAULT_RADIUS_KM } = await import('../../planning/input.ts');
      const { makeScenario, saveScenario } = await import('../../planning/scenarios.ts');
      const { readSitesFile } = await import('../../planning/sites.ts');
      const county = need(o.county, '--county');
      const stage = need(o.stage, '--stage');
      const year = need(o.year, '--year');
      const forecast = need(o.forecast, '--forecast');
      const sites = o.sites ? await readSitesFile(o.sites) : undefined;
      const radius = DEFAULT_RADIUS_KM[stage];
      const s = await withStore(async (store) => {
        const run =
          (await findRun(store.db, { name: forecast, region: county })) ??
          (await requireRun(store.db, { name: forecast }, '--forecast'));
        const made = await makeScenario(store.db, {
          county,
          stage,
          year,
          run,
          sites,
          mustKeep: o.mustKeep
            ?.split(',')
            .map((c) => c.trim())
            .filter(Boolean),
          maxExtraClasses: o.maxExtraClasses,
          expansionCostPerClassFen: wan(o.costPerClass),
          closureSavingFen: wan(o.closureSaving),
          seatsPerClass: o.seatsPerClass,
          radiusKm:
            (o.radiusUrban ?? o.radiusRural ?? o.radiusBoarding)
              ? {
                  urban: o.radiusUrban ?? radius.urban,
                  rural: o.radiusRural ?? radius.rural,
                  ...((o.radiusBoarding ?? radius.rural_boarding)
                    ? { rural_boarding: o.radiusBoarding ?? radius.rural_boarding }
                    : {}),
                }
              : undefined,
          budgetFen: wan(o.budget),
          maxNewSchools: o.maxNewSchools,
          costWeight: o.costWeight,
          allowSplit: o.allowSplit,
          detourFactor: o.detourFactor,
          timeLimitS: o.timeLimit,
          method: o.method,
          gapTolerance: o.gapTolerance,
          nearestK: o.nearestK,
        });
        return o.save ? saveScenario(store.db, made, o.save, cliActor()) : made;
      });
      const text = JSON.stringify(s.result, null, 2);
      if (o.out) {
        fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
        fs.writeFileSync(o.out, text);
      } else console.log(text);
      for (const x of s.parameters.skipped)
        console.error(`未计入 / left out: ${x.code} ${x.name}: ${x.reason}`);
      const m = s.result.plan?.summary;
      console.error(
        `${s.result.status}（${s.result.method}），${s.input.demand_points.length} 个需求点、${s.input.schools.length} 所学校、${s.input.sites.length} 个备选校址` +
          (m
            ? `；平均 ${km(m.mean_km)} 公里，最远 ${km(m.max_km)} 公里，新增学位 ${m.seats_added}，净投入 ${yuanWan(m.net_cost_fen)} 万元`
            : '') +
          `；指纹 ${s.fingerprint}` +
          (s.name ? `；已保存为“${s.name}”(id ${s.id})` : ''),
      );
    });

  cmd
    .command('scenarios')
    .description('列出已保存的规划方案 / list the saved planning scenarios')
    .addOption(countyOption())
    .addOption(formatOption())
    .action(async (o: { county?: string; format: 'table' | 'json' }) => {
      const { listScenarios } = await import('../../planning/scenarios.ts');
      const list = await withStore((store) => listScenarios(store.db, { county: o.county }));
      if (o.format === 'json') console.log(JSON.stringify(list, null, 2));
      else if (list.length === 0) console.log('没有已保存的规划方案 / no saved scenarios');
      else
        for (const s of list)
          console.log(
            `${s.id}\t${s.name}\t${s.countyCode}\t${s.stage}\t${s.targetYear}\t${s.forecastRun ?? '—'}\t${s.status}\t${s.fingerprint.slice(0, 12)}\t${s.createdBy}\t${s.createdAt}`,
          );
    });

  cmd
    .command('compare <NAMES...>')
    .description(
      '对比规划方案：平均与最远距离、新增学位、投入、撤并学校数、大班额比例\n' +
        'compare scenarios: mean and max distance, seats added, cost, schools closed, large-class share',
    )
    .addOption(countyOption())
    .addOption(formatOption())
    .action(async (names: string[], o: { county?: string; format: 'table' | 'json' }) => {
      const { compareScenarios } = await import('../../planning/scenarios.ts');
      const rows = await withStore((store) => compareScenarios(store.db, names, o.county));
      if (o.format === 'json') {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      console.log(
        '方案 / scenario\t状态 / status\t平均公里 / mean km\t最远公里 / max km\t新增学位 / seats added\t投入万元 / spend\t净投入万元 / net cost\t撤并 / closed\t扩建 / expanded\t新建 / new\t大班额 / large classes\t超大班额 / super-large',
      );
      for (const r of rows)
        console.log(
          `${r.name}\t${r.status}\t${km(r.meanKm)}\t${km(r.maxKm)}\t${r.seatsAdded ?? '—'}\t${yuanWan(r.spendFen)}\t${yuanWan(r.netCostFen)}\t${r.schoolsClosed ?? '—'}\t${r.schoolsExpanded ?? '—'}\t${r.newSchools ?? '—'}\t${share(r.largeClassShare)}\t${share(r.superLargeClassShare)}`,
        );
    });

  cmd
    .command('export <NAME>')
    .description(
      '把规划方案导出为建设项目清单 XLSX（可用 io import projects 导入）\n' +
        'export a scenario as a building-project list XLSX (importable with io import projects)',
    )
    .addOption(countyOption())
    .option('--out <FILE>', '输出文件（默认 planning-NAME.xlsx）/ output file')
    .action(async (name: string, o: { county?: string; out?: string }) => {
      const { requireScenario, scenarioProjects, writeProjectList } = await import(
        '../../planning/scenarios.ts'
      );
      const out = o.out ?? `planning-${name}.xlsx`;
      const rows = await withStore(async (store) => {
        const s = await requireScenario(store.db, { name, county: o.county });
        const list = await scenarioProjects(store.db, s);
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        await writeProjectList(list, out);
        await writeAudit(store.db, cliActor(), {
          action: 'export.planning_scenario',
          resourceType: 'planning_scenarios',
          resourceId: s.id,
          countyCode: s.countyCode,
          context: { name: s.name, projects: list.length, file: path.basename(out) },
        });
        return list;
      });
      console.error(`已写入 ${out}：${rows.length} 个项目 / written ${out}: ${rows.length} projects`);
    });
}
