import fs from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { writeAudit } from '../../audit/audit-log.ts';
import { AppError } from '../../domain/errors.ts';
import { STAGE_LABELS } from '../../domain/stages.ts';
import { AREA_LEVELS, type AreaLevel } from '../../forecast/areas.ts';
import { readJsonFile } from '../json-file.ts';
import { withStore } from '../store-session.ts';
import { parseYear } from './indicators.ts';
import { cliActor } from './io.ts';

const positiveInt = (what: string) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1)
    throw new InvalidArgumentError(`应为正整数 / ${what} must be a positive integer`);
  return Number(v);
};

const regionOption = () =>
  new Option('--region <CODE>', '区划代码（市、县、乡镇）/ region code (city, county, township)');
const areasOption = () =>
  new Option(
    '--areas <LEVEL>',
    '预测区域：county 县区、township 乡镇、catchment 小学学区（默认：市按县区、县按乡镇）/ areas to forecast (default: a city by county, a county by township)',
  ).choices(AREA_LEVELS);
const windowOption = () =>
  new Option(
    '--window <W>',
    '比率取最近几年的平均（默认 3）/ years the ratios are averaged over (default 3)',
  ).argParser(positiveInt('--window'));

function need<T>(v: T | undefined, option: string): T {
  if (v === undefined)
    throw new AppError('forecast.missing_option', `需要 ${option}`, `${option} is required`, option);
  return v;
}

function writeOrPrint(text: string, out: string | undefined): void {
  if (out) {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, text);
    console.error(`已写入 ${out} / written ${out}`);
  } else console.log(text);
}

const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)}%`);

/** `forecast run`, `runs`, `balance` and `backtest`: the forecast over the store. */
export function registerForecastStoreCommands(cmd: Command): void {
  cmd
    .command('run')
    .description(
      '由数据库中的基础统计和出生人口构建输入并预测，可保存为命名方案；输出引擎结果 JSON\n' +
        'build the input from the census and births in the store, forecast, optionally save as a named run; prints the result JSON',
    )
    .addOption(regionOption())
    .option('--horizon <N>', '预测年数 / years to project', positiveInt('--horizon'))
    .addOption(windowOption())
    .addOption(areasOption())
    .option(
      '--base-year <Y>',
      '基年（默认最新基础统计年度）/ base year (default the newest census year)',
      parseYear,
    )
    .option(
      '--level <P>',
      '区间覆盖率（默认 0.8）/ share of outcomes the intervals hold (default 0.8)',
      (v: string) => {
        const n = Number(v);
        if (!(n > 0 && n < 1)) throw new InvalidArgumentError('应在 0 与 1 之间 / must be between 0 and 1');
        return n;
      },
    )
    .option('--no-intervals', '不计算区间 / no intervals')
    .option(
      '--housing-yield <FILE>',
      '新建住宅学生产生率 JSON（{"yield": {"G1": 0.03, …}, "phasing": [0.5, 1]}），计入住宅项目 / a housing yield JSON: adds the housing pipeline',
    )
    .option('--save <NAME>', '保存为命名方案 / save as a named run')
    .option(
      '--input-out <FILE>',
      '另写出引擎输入 JSON（可用 forecast solve 复算）/ also write the engine input JSON',
    )
    .option('--out <FILE>', '结果 JSON 文件（默认标准输出）/ result JSON file (default stdout)')
    .action(
      async (opts: {
        region?: string;
        horizon?: number;
        window?: number;
        areas?: AreaLevel;
        baseYear?: number;
        level?: number;
        intervals: boolean;
        housingYield?: string;
        save?: string;
        inputOut?: string;
        out?: string;
      }) => {
        const { makeRun, saveRun } = await import('../../forecast/runs.ts');
        const { parseHousingYield } = await import('../../forecast/housing.ts');
        const housing = opts.housingYield
          ? parseHousingYield(readJsonFile(opts.housingYield, 'forecast'))
          : undefined;
        const region = need(opts.region, '--region');
        const horizon = need(opts.horizon, '--horizon');
        const run = await withStore(async (store) => {
          const made = await makeRun(store.db, {
            region,
            horizon,
            window: opts.window,
            areas: opts.areas,
            baseYear: opts.baseYear,
            intervals: opts.intervals ? (opts.level ?? undefined) : null,
            housing,
          });
          return opts.save ? saveRun(store.db, made, opts.save, cliActor()) : made;
        });
        if (opts.inputOut) writeOrPrint(JSON.stringify(run.input), opts.inputOut);
        writeOrPrint(JSON.stringify(run.result, null, 2), opts.out);
        const h = run.parameters.housing;
        if (h)
          console.error(
            `住宅项目：计入 ${h.projects} 个${h.unplaced.length ? `，未能归入区域 ${h.unplaced.join('、')}` : ''} / housing: ${h.projects} projects counted${h.unplaced.length ? `, not placed: ${h.unplaced.join(', ')}` : ''}`,
          );
        for (const x of run.parameters.excluded)
          console.error(`未预测 / left out: ${x.area} ${x.grade}: ${x.reason.zh} / ${x.reason.en}`);
        console.error(
          `${run.input.areas.length} 个区域（${run.areaLevel}），基年 ${run.input.baseYear}，预测 ${horizon} 年，指纹 ${run.fingerprint}` +
            (run.name ? `；已保存为“${run.name}”(id ${run.id})` : '') +
            `\n${run.input.areas.length} areas (${run.areaLevel}), base ${run.input.baseYear}, horizon ${horizon}, fingerprint ${run.fingerprint}` +
            (run.name ? `; saved as "${run.name}" (id ${run.id})` : ''),
        );
      },
    );

  cmd
    .command('runs')
    .description('列出已保存的预测方案 / list the saved forecast runs')
    .addOption(regionOption())
    .addOption(
      new Option('--format <format>', '输出格式 / output format').choices(['table', 'json']).default('table'),
    )
    .action(async (opts: { region?: string; format: 'table' | 'json' }) => {
      const { listRuns } = await import('../../forecast/runs.ts');
      const runs = await withStore((store) => listRuns(store.db, { region: opts.region }));
      if (opts.format === 'json') console.log(JSON.stringify(runs, null, 2));
      else if (runs.length === 0) console.log('没有已保存的预测方案 / no saved runs');
      else
        for (const r of runs)
          console.log(
            `${r.id}\t${r.name}\t${r.regionCode} ${r.regionName}\t${r.areaLevel}\t${r.baseYear}+${r.horizon}\tW${r.window}\t${r.fingerprint.slice(0, 12)}\t${r.createdBy}\t${r.createdAt}`,
          );
    });

  cmd
    .command('balance')
    .description(
      '已保存方案的学位供需平衡：在校生、学位、缺口或富余、班额与预警\n' +
        'the seat balance of a saved run: pupils, seats, shortfall or surplus, class sizes and flags',
    )
    .option('--run <NAME>', '方案名称 / run name')
    .addOption(regionOption())
    .addOption(
      new Option('--format <format>', '输出格式 / output format').choices(['json', 'xlsx']).default('json'),
    )
    .option(
      '--count <STATUSES>',
      '计入学位的项目状态（默认 approved,under_construction）/ project statuses whose seats count',
    )
    .addOption(
      new Option(
        '--class-size <SOURCE>',
        '班额来源：stored 各校规划、standard 国家标准 / class sizes: each school’s, or the standard',
      )
        .choices(['stored', 'standard'])
        .default('stored'),
    )
    .option('--out <FILE>', '输出文件（xlsx 默认 forecast-balance-NAME.xlsx）/ output file')
    .action(
      async (opts: {
        run?: string;
        region?: string;
        format: 'json' | 'xlsx';
        count?: string;
        classSize: 'stored' | 'standard';
        out?: string;
      }) => {
        const { requireRun } = await import('../../forecast/runs.ts');
        const { loadRunBalance } = await import('../../forecast/balance.ts');
        const { DEFAULT_SUPPLY_OPTIONS, parseStatuses } = await import('../../forecast/supply.ts');
        const { presentBalance, writeBalanceWorkbook } = await import('../../forecast/views.ts');
        const name = need(opts.run, '--run');
        const supply = {
          ...DEFAULT_SUPPLY_OPTIONS,
          classSize: opts.classSize,
          ...(opts.count !== undefined ? { countStatuses: parseStatuses(opts.count) } : {}),
        };
        await withStore(async (store) => {
          const run = await requireRun(store.db, { name, region: opts.region });
          const view = presentBalance(await loadRunBalance(store.db, run, { supply }));
          if (opts.format === 'json') {
            writeOrPrint(JSON.stringify(view, null, 2), opts.out);
            return;
          }
          const out = opts.out ?? `forecast-balance-${name}.xlsx`;
          await writeBalanceWorkbook(view, out, 'zh');
          await writeAudit(store.db, cliActor(), {
            action: 'export.forecast_balance',
            resourceType: 'forecast_runs',
            resourceId: run.id,
            countyCode: run.countyCode,
            context: { name, file: path.basename(out) },
          });
          console.log(`已写入 ${out} / written ${out}`);
        });
      },
    );

  cmd
    .command('backtest')
    .description(
      '回测：从 K 年前的数据预测，与实际基础统计比较，按预测年数和区域规模给出 MAPE 与偏差\n' +
        'backtest: forecast from K years back and compare with the census; MAPE and bias by horizon and area size',
    )
    .addOption(regionOption())
    .option('--holdout <K>', '留出年数 / years held out', positiveInt('--holdout'))
    .addOption(windowOption())
    .addOption(areasOption())
    .addOption(
      new Option('--format <format>', '输出格式 / output format').choices(['table', 'json']).default('table'),
    )
    .action(
      async (opts: {
        region?: string;
        holdout?: number;
        window?: number;
        areas?: AreaLevel;
        format: 'table' | 'json';
      }) => {
        const { backtestStore } = await import('../../forecast/backtest.ts');
        const region = need(opts.region, '--region');
        const holdout = need(opts.holdout, '--holdout');
        const b = await withStore((store) =>
          backtestStore(store.db, { region, holdout, window: opts.window, areas: opts.areas }),
        );
        const r = b.result;
        if (opts.format === 'json') {
          const { errors: _errors, ...rest } = r;
          console.log(
            JSON.stringify(
              { region, areaLevel: b.built.set.level, areas: b.areas, ...rest, coverage: b.coverage },
              null,
              2,
            ),
          );
          return;
        }
        const lines = [
          `回测 ${region}（${b.built.set.level}，${b.areas} 个区域）：从 ${r.origin} 年预测 ${r.origin + 1}–${r.origin + holdout} 年`,
          `backtest ${region} (${b.built.set.level}, ${b.areas} areas): forecast from ${r.origin}, compared with ${r.origin + 1}–${r.origin + holdout}`,
          '预测年数 horizon\tMAPE\t偏差 bias\t合计误差 total\t单元 cells',
          ...r.byHorizon.map(
            (x, i) =>
              `${x.horizon} (${x.year})\t${pct(x.mape)}\t${pct(x.bias)}\t${pct(r.total[i]!.error)}\t${x.cells}`,
          ),
          '按区域规模（基年在校生）/ by area size (pupils at the origin): MAPE by horizon',
          ...r.bySize
            .filter((s) => s.areas > 0)
            .map(
              (s) =>
                `${s.min.toLocaleString('en-US')}–${s.max === null ? '' : s.max.toLocaleString('en-US')}\t${s.areas} 个\t${s.byHorizon.map((x) => pct(x.mape)).join('\t')}`,
            ),
          '按学段 / by stage: MAPE by horizon',
          ...r.byStage.map(
            (s) => `${STAGE_LABELS[s.stage]} ${s.stage}\t${s.byHorizon.map((x) => pct(x.mape)).join('\t')}`,
          ),
          `${Math.round(100 * b.coverage.level)}% 区间（起点时已知的误差）覆盖实际的比例 / share of observed cells inside the ${Math.round(100 * b.coverage.level)}% intervals made at the origin: ${b.coverage.byHorizon.map((c) => (c.share === null ? '—' : pct(100 * c.share))).join('\t')}`,
        ];
        console.log(lines.join('\n'));
      },
    );
}
