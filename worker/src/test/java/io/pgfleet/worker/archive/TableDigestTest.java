package io.pgfleet.worker.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TableDigestTest {
  @ParameterizedTest
  @EnumSource(RowHash.class)
  void the_end_marker_ends_the_data_wherever_the_chunks_split_it(RowHash hash) {
    String rows = "1\t\\N\n\\N\tx\\\\y\n";
    TableDigest whole = new TableDigest(hash);
    byte[] all = rows.getBytes(StandardCharsets.UTF_8);
    whole.update(all, 0, all.length);

    TableDigest split = new TableDigest(hash);
    byte[] dumped = (rows + "\\.\n\n\n").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < dumped.length; i++) {
      split.update(dumped, i, 1); // one byte per chunk: the held backslash crosses every boundary
    }

    assertThat(split.result()).isEqualTo(whole.result());
    assertThat(whole.result().rows()).isEqualTo(2);
    assertThat(whole.result().bytes()).isEqualTo(all.length);
  }

  @ParameterizedTest
  @EnumSource(RowHash.class)
  void the_same_rows_in_another_order_hash_the_same_and_a_duplicate_does_not(RowHash hash) {
    assertThat(digest(hash, "1\ta\n2\tb\n3\tc\n")).isEqualTo(digest(hash, "3\tc\n1\ta\n2\tb\n"));
    assertThat(digest(hash, "1\ta\n1\ta\n").hash()).isNotEqualTo(digest(hash, "").hash());
  }

  @ParameterizedTest
  @EnumSource(RowHash.class)
  void one_changed_byte_changes_the_hash_but_not_the_rows(RowHash hash) {
    TableDigest.Content a = digest(hash, "1\t100\n2\t200\n");
    TableDigest.Content b = digest(hash, "1\t100\n2\t201\n");

    assertThat(a.rows()).isEqualTo(b.rows());
    assertThat(a.hash()).isNotEqualTo(b.hash());
  }

  @Test
  void the_two_hashes_give_sums_of_their_own_width_that_do_not_add_to_each_other() {
    TableDigest.Content sha = digest(RowHash.SHA256_SUM, "1\n");
    TableDigest.Content xxh3 = digest(RowHash.XXH3_128_SUM, "1\n");

    assertThat(sha.hash()).hasSize(64);
    assertThat(xxh3.hash()).hasSize(32);
    assertThatThrownBy(() -> sha.plus(xxh3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_manifest_without_a_row_hash_is_read_as_sha256_sums_and_an_unknown_one_as_none() {
    assertThat(RowHash.named(null)).contains(RowHash.SHA256_SUM);
    assertThat(RowHash.named("sha256-sum")).contains(RowHash.SHA256_SUM);
    assertThat(RowHash.named("xxh3-128-sum")).contains(RowHash.XXH3_128_SUM);
    assertThat(RowHash.named("blake3-sum")).isEmpty();
  }

  @Test
  void rows_of_every_length_split_at_any_offset_give_the_sum_of_each_lines_sha256()
      throws Exception {
    List<byte[]> lines = lines();
    BigInteger sum = BigInteger.ZERO;
    for (byte[] line : lines) {
      sum = sum.add(new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(line)));
    }
    assertEveryChunkingGives(RowHash.SHA256_SUM, lines, sum, 256);
  }

  @Test
  void rows_of_every_length_split_at_any_offset_give_the_sum_of_each_lines_xxh3_128() {
    List<byte[]> lines = lines();
    BigInteger sum = BigInteger.ZERO;
    for (byte[] line : lines) {
      HashValue128 h = Hashing.xxh3_128().hashBytesTo128Bits(line);
      byte[] big = new byte[16];
      for (int i = 0; i < 8; i++) {
        big[i] = (byte) (h.getMostSignificantBits() >>> (56 - 8 * i));
        big[8 + i] = (byte) (h.getLeastSignificantBits() >>> (56 - 8 * i));
      }
      sum = sum.add(new BigInteger(1, big));
    }
    assertEveryChunkingGives(RowHash.XXH3_128_SUM, lines, sum, 128);
  }

  /** Rows of 0 to 300 bytes: around every 8-byte word and past XXH3's 240-byte short path. */
  private static List<byte[]> lines() {
    Random random = new Random(7);
    List<byte[]> lines = new ArrayList<>();
    for (int length = 0; length < 300; length += length < 40 ? 1 : 13) {
      StringBuilder row = new StringBuilder();
      for (int i = 0; i < length; i++) {
        row.append((char) ('a' + random.nextInt(26)));
      }
      row.append('\n');
      lines.add(row.toString().getBytes(StandardCharsets.UTF_8));
    }
    return lines;
  }

  private static void assertEveryChunkingGives(
      RowHash hash, List<byte[]> lines, BigInteger sum, int bits) {
    String expected = String.format("%0" + bits / 4 + "x", sum.mod(BigInteger.TWO.pow(bits)));
    StringBuilder text = new StringBuilder();
    lines.forEach(l -> text.append(new String(l, StandardCharsets.UTF_8)));
    byte[] all = text.toString().getBytes(StandardCharsets.UTF_8);
    for (int chunk = 1; chunk <= 333; chunk += chunk < 33 ? 1 : 50) {
      TableDigest d = new TableDigest(hash);
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
    // 128 bits: the carry past the second word is dropped
    assertThat(sum(ones + ones, zeros + one)).isEqualTo(zeros + zeros);
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

  private static TableDigest.Content digest(RowHash hash, String rows) {
    TableDigest d = new TableDigest(hash);
    byte[] b = rows.getBytes(StandardCharsets.UTF_8);
    d.update(b, 0, b.length);
    return d.result();
  }

  private static String sum(String a, String b) {
    return new TableDigest.Content(1, 1, a).plus(new TableDigest.Content(1, 1, b)).hash();
  }
}
