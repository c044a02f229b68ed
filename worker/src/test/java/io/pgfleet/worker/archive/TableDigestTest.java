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

  @Test
  void the_sum_carries_across_each_64_bit_word_and_drops_the_carry_past_256_bits() {
    String ones = "ffffffffffffffff";
    String zeros = "0000000000000000";
    String one = "0000000000000001";

    // ff..ff + 1: the carry runs through all four words and out
    assertThat(sum(ones + ones + ones + ones, zeros + zeros + zeros + one))
        .isEqualTo(zeros + zeros + zeros + zeros);
    // one full word + 1: the carry crosses each word boundary once
    assertThat(sum(zeros + zeros + zeros + ones, zeros + zeros + zeros + one))
        .isEqualTo(zeros + zeros + one + zeros);
    assertThat(sum(zeros + zeros + ones + ones, zeros + zeros + zeros + one))
        .isEqualTo(zeros + one + zeros + zeros);
    assertThat(sum(zeros + ones + ones + ones, zeros + zeros + zeros + one))
        .isEqualTo(one + zeros + zeros + zeros);
    // a word of ones plus a carry in leaves the word as it was, and still carries out
    assertThat(sum(zeros + zeros + "0000000000000005" + one, zeros + zeros + ones + ones))
        .isEqualTo(zeros + one + "0000000000000005" + zeros);
    // no carry: words add on their own
    assertThat(sum(zeros + one + one + one, one + one + one + one))
        .isEqualTo(one + "0000000000000002" + "0000000000000002" + "0000000000000002");
  }

  @Test
  void the_sum_of_contents_is_their_hashes_sum_modulo_two_to_the_256_and_their_counts_added() {
    BigInteger modulus = BigInteger.ONE.shiftLeft(256);
    String a = "8000000000000000ffffffffffffffff7fffffffffffffff8000000000000001";
    String b = "80000000000000000000000000000001800000000000000180000000000000ff";
    String expected =
        String.format("%064x", new BigInteger(a, 16).add(new BigInteger(b, 16)).mod(modulus));

    TableDigest.Content total =
        new TableDigest.Content(2, 10, a).plus(new TableDigest.Content(3, 5, b));

    assertThat(total).isEqualTo(new TableDigest.Content(5, 15, expected));
  }

  private static String sum(String a, String b) {
    return new TableDigest.Content(1, 1, a).plus(new TableDigest.Content(1, 1, b)).sha256();
  }
}
