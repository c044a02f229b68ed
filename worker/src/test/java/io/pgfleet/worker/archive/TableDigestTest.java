package io.pgfleet.worker.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TableDigestTest {
  @Test
  void the_end_marker_ends_the_data_wherever_the_chunks_split_it() {
    String rows = "1\t\\N\n\\N\tx\\\\y\n";
    TableDigest whole = new TableDigest();
    byte[] all = rows.getBytes(StandardCharsets.UTF_8);
    whole.update(all, 0, all.length);

    TableDigest split = new TableDigest();
    byte[] dumped = (rows + "\\.\n\n\n").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < dumped.length; i++) {
      split.update(dumped, i, 1); // one byte per chunk: the held backslash crosses every boundary
    }

    assertThat(split.result()).isEqualTo(whole.result());
    assertThat(whole.result().rows()).isEqualTo(2);
    assertThat(whole.result().bytes()).isEqualTo(all.length);
  }

  @Test
  void the_same_rows_in_another_order_hash_the_same_and_a_duplicate_does_not() {
    assertThat(digest("1\ta\n2\tb\n3\tc\n")).isEqualTo(digest("3\tc\n1\ta\n2\tb\n"));
    assertThat(digest("1\ta\n1\ta\n").sha256()).isNotEqualTo(digest("").sha256());
  }

  private static TableDigest.Content digest(String rows) {
    TableDigest d = new TableDigest();
    byte[] b = rows.getBytes(StandardCharsets.UTF_8);
    d.update(b, 0, b.length);
    return d.result();
  }

  @Test
  void one_changed_byte_changes_the_hash_but_not_the_rows() {
    TableDigest a = new TableDigest();
    TableDigest b = new TableDigest();
    a.update("1\t100\n2\t200\n".getBytes(StandardCharsets.UTF_8), 0, 12);
    b.update("1\t100\n2\t201\n".getBytes(StandardCharsets.UTF_8), 0, 12);

    assertThat(a.result().rows()).isEqualTo(b.result().rows());
    assertThat(a.result().sha256()).isNotEqualTo(b.result().sha256());
  }

  @Test
  void rows_of_every_length_split_at_any_offset_give_the_sum_of_each_lines_sha256()
      throws Exception {
    Random random = new Random(7);
    List<byte[]> lines = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int length = 0; length < 40; length++) { // around every 8-byte word boundary
      StringBuilder row = new StringBuilder();
      for (int i = 0; i < length; i++) {
        row.append((char) ('a' + random.nextInt(26)));
      }
      row.append('\n');
      lines.add(row.toString().getBytes(StandardCharsets.UTF_8));
      text.append(row);
    }
    BigInteger sum = BigInteger.ZERO;
    for (byte[] line : lines) {
      sum = sum.add(new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(line)));
    }
    String expected = String.format("%064x", sum.mod(BigInteger.TWO.pow(256)));
    byte[] all = text.toString().getBytes(StandardCharsets.UTF_8);

    for (int chunk = 1; chunk <= 33; chunk++) {
      TableDigest d = new TableDigest();
      for (int off = 0; off < all.length; off += chunk) {
        d.update(all, off, Math.min(chunk, all.length - off));
      }
      assertThat(d.result())
          .as("fed %d bytes at a time", chunk)
          .isEqualTo(new TableDigest.Content(lines.size(), all.length, expected));
    }
  }
}
