package io.pgfleet.worker.procedure.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZstdCommandLineTest {
  @Test
  void the_tools_options_are_the_workers_parameters() {
    assertThat(ZstdCommandLine.options(2))
        .containsExactly(
            "-2",
            "--long=" + StoredEncoding.LONG_WINDOW_LOG,
            "--zstd=hlog=" + StoredEncoding.LEVEL_2_HASH_LOG);
    assertThat(ZstdCommandLine.options(6))
        .as("other levels keep zstd's own table")
        .containsExactly("-6", "--long=" + StoredEncoding.LONG_WINDOW_LOG);
  }

  @Test
  void the_installed_zstd_takes_those_options_and_the_worker_reads_what_it_wrote(@TempDir Path dir)
      throws Exception {
    Random random = new Random(3);
    StringBuilder rows = new StringBuilder();
    byte[] md5 = new byte[16];
    for (int i = 0; rows.length() < 1_000_000; i++) {
      random.nextBytes(md5);
      rows.append(i).append('\t').append(HexFormat.of().formatHex(md5)).append('\n');
    }
    byte[] content = rows.toString().getBytes(StandardCharsets.US_ASCII);
    Path in = Files.write(dir.resolve("rows"), content);
    Path out = dir.resolve("rows.zst");

    Process zstd =
        new ProcessBuilder(ZstdCommandLine.command(2))
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .redirectError(new File(dir.resolve("stderr").toString()))
            .start();

    assertThat(zstd.waitFor()).as(Files.readString(dir.resolve("stderr"))).isZero();
    try (ZstdInputStream read =
        new ZstdInputStream(new ByteArrayInputStream(Files.readAllBytes(out)))) {
      assertThat(read.readAllBytes()).isEqualTo(content);
    }
  }
}
