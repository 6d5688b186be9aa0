import { capacityOf, installCapacityMeter } from './capacity.js';
import { REMITTANCE, remittanceFigure, SETTLEMENT, settlementFigures } from './deposits.js';
import { startBenchRegion } from './region.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const region = await startBenchRegion();
installCapacityMeter();
try {
  let t = Date.now();
  console.log(
    JSON.stringify(
      await settlementFigures([
        ['341300', 100],
        ['340600', 1000],
      ]),
    ),
    (Date.now() - t) / 1000,
  );
  t = Date.now();
  console.log(JSON.stringify(await remittanceFigure('370800', 100)), (Date.now() - t) / 1000);
  console.log(capacityOf(SETTLEMENT), capacityOf(REMITTANCE));
} finally {
  await region.stop();
}
