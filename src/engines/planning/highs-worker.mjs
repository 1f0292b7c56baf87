// Runs HiGHS MIPs in a worker thread (plain JavaScript, so it loads without a TypeScript loader).
// One model: workerData { model: ModelData of typed arrays, options, start?: Float64Array, relax?: boolean
//     (solve the LP relaxation: every column continuous; its optimum is then the bound) }.
//   Out: { type: 'incumbent', objective, bound, colValue } for each improving solution, then
//        { type: 'done', status, objective, bound, colValue | null }.
// Many models, one after another (workerData { jobs: true }): each message { model, options, start? } is
//   answered by one { type: 'done', ... } as above; the worker stays until terminated.
import { parentPort, workerData } from 'node:worker_threads';
import loadHighs from 'highs';

const highs = await loadHighs();
const { callbackType, modelStatus, solutionStatus } = highs.constants;

function solve({ model: data, options, start, relax }, onIncumbent) {
  // The model carries no sense: HiGHS minimises by default.
  const model = highs.createModel(data);
  try {
    model.options.set(options);
    if (relax) model.clearIntegrality();
    // A rejected start (e.g. not feasible) only loses the warm start.
    if (start)
      try {
        model.setSolution({ colValue: start });
      } catch {}
    const result = model.run(
      onIncumbent
        ? {
            [callbackType.mipImprovingSolution]: (event) =>
              onIncumbent({
                type: 'incumbent',
                objective: event.data.mip_primal_bound,
                bound: event.data.mip_dual_bound,
                colValue: event.data.mip_solution,
              }),
          }
        : undefined,
    );
    // An empty model (nothing to decide) is solved, with an empty solution vector.
    const empty = result.modelStatus === modelStatus.empty;
    const feasible = empty || model.info.get('primal_solution_status') === solutionStatus.feasible;
    return {
      type: 'done',
      status:
        empty || result.modelStatus === modelStatus.optimal
          ? 'optimal'
          : result.modelStatus === modelStatus.infeasible
            ? 'infeasible'
            : 'limit',
      objective: empty ? 0 : feasible ? model.getObjectiveValue() : null,
      bound: relax
        ? result.modelStatus === modelStatus.optimal
          ? model.getObjectiveValue()
          : Number.NEGATIVE_INFINITY
        : Number(model.info.get('mip_dual_bound')),
      colValue: empty ? new Float64Array(0) : feasible ? model.getSolution().colValue : null,
    };
  } finally {
    model.dispose();
  }
}

if (workerData.jobs) parentPort.on('message', (job) => parentPort.postMessage(solve(job, null)));
else parentPort.postMessage(solve(workerData, (m) => parentPort.postMessage(m)));
