package io.pgfleet.dev.bench;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.compression.Codec;
import io.pgfleet.bench.compression.CompressionBench;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet bench compression}. */
@Command(
    name = "compression",
    mixinStandardHelpOptions = true,
    description =
        "The same database backed up through a worker with each codec against pg_dump -Fc -Z6:"
            + " size and time ratios.")
final class BenchCompression extends SideBySideScenario {
  @Mixin DatabaseSize size;

  @Option(
      names = "--codecs",
      split = ",",
      description =
          "Codecs to measure, e.g. gzip:6,zstd:2,none (default: gzip 1/6/9, zstd 1/2/3/6, none)")
  List<String> codecs;

  @Override
  Report run(Path d) throws Exception {
    List<Codec> chosen =
        codecs == null ? CompressionBench.allCodecs() : codecs.stream().map(Codec::parse).toList();
    return CompressionBench.run(
        new CompressionBench.Options(size.bytes(), chosen, sides.count, d), System.err);
  }
}
