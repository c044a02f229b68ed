package io.pgfleet.worker.procedure.basebackup;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How a streamed base.tar is compressed: zstd's "double fast" strategy (the one of levels 3 and 4)
 * over a 1 MiB window with two 16 Ki-entry match tables and 5-byte matches, on zstd's own threads
 * (one per core), zstd's content checksum (XXH64) in the frame.
 *
 * <p>Measured on the 1 GB bench tar (bench/RESULTS.md, base-backup): this stores 0.289x of the tar
 * for about 25% less CPU than level 3 (0.292x; level 3's 2 MiB window and larger tables cost time
 * in cache misses and buy nothing on data pages). Levels 1 and 2 are cheaper but store 0.327x and
 * 0.313x, over the 0.3x the issue allows; long-distance matching costs 40-70% more CPU for 1%
 * smaller output. A 1 MiB window decompresses with every zstd reader's default limit (128 MiB).
 */
final class BaseTarCompression {
  static final int WINDOW_LOG = 20;
  private static final int TABLE_LOG = 14;
  private static final int MIN_MATCH = 5;
  private static final int DOUBLE_FAST = 2;

  private BaseTarCompression() {}

  static ZstdOutputStream around(OutputStream out) throws IOException {
    ZstdOutputStream zstd = new ZstdOutputStream(out, 3);
    zstd.setStrategy(DOUBLE_FAST);
    zstd.setWindowLog(WINDOW_LOG);
    zstd.setHashLog(TABLE_LOG);
    zstd.setChainLog(TABLE_LOG);
    zstd.setSearchLog(1);
    zstd.setMinMatch(MIN_MATCH);
    zstd.setChecksum(true);
    zstd.setWorkers(Math.max(1, Runtime.getRuntime().availableProcessors()));
    return zstd;
  }
}
