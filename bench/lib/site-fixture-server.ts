/**
 * The site fixture as its own process, so a benchmark's figure is not shared
 * with the CPU the fixture burns (a real site is on another machine).
 * Usage: node --import tsx bench/lib/site-fixture-server.ts <delayMs> <claimed,users>
 * Prints one line `{"url": ...}` once listening; stops on SIGTERM.
 */
import { startSiteFixture } from '../../main/core/testing/fixtures/site-fixture.ts';

const fx = await startSiteFixture({ delayMs: Number(process.argv[2] ?? 0), claimed: (process.argv[3] ?? '').split(',').filter(Boolean) });
process.stdout.write(JSON.stringify({ url: fx.url }) + '\n');
process.on('SIGTERM', () => void fx.close().then(() => process.exit(0)));
