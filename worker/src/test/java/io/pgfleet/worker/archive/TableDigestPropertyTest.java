package io.pgfleet.worker.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What a table's digest must be, whatever the rows' bytes and however the chunks cut them. */
class TableDigestPropertyTest {
  @Property(tries = 300)
  void the_digest_depends_on_the_rows_as_a_multiset_not_on_their_order_or_the_chunks(
      @ForAll("rows") List<byte[]> rows, @ForAll long seed) {
    for (RowHash hash : RowHash.values()) {
      List<byte[]> shuffled = new ArrayList<>(rows);
      Random random = new Random(seed);
      Collections.shuffle(shuffled, random);

      TableDigest.Content whole = feed(hash, join(rows), Integer.MAX_VALUE, random);
      TableDigest.Content cut = feed(hash, join(shuffled), 1 + random.nextInt(64), random);

      assertThat(cut).isEqualTo(whole);
      assertThat(whole.rows()).isEqualTo(rows.size());
      assertThat(whole.bytes()).isEqualTo(rows.stream().mapToLong(r -> r.length).sum());
    }
  }

  @Property(tries = 300)
  void two_parts_of_a_table_add_up_to_the_whole(
      @ForAll("rows") List<byte[]> rows, @ForAll long seed) {
    for (RowHash hash : RowHash.values()) {
      int at = rows.isEmpty() ? 0 : new Random(seed).nextInt(rows.size() + 1);
      Random random = new Random(seed);
      TableDigest.Content first = feed(hash, join(rows.subList(0, at)), 7, random);
      TableDigest.Content second = feed(hash, join(rows.subList(at, rows.size())), 13, random);

      assertThat(first.plus(second)).isEqualTo(feed(hash, join(rows), 4096, random));
    }
  }

  @Property(tries = 300)
  void a_row_with_one_byte_changed_changes_the_hash(
      @ForAll("rows") List<byte[]> rows, @ForAll long seed) {
    if (rows.isEmpty()) {
      return;
    }
    Random random = new Random(seed);
    List<byte[]> changed = new ArrayList<>(rows);
    int row = random.nextInt(rows.size());
    byte[] copy = rows.get(row).clone();
    if (copy.length < 2) {
      return; // only the newline: there is no value to change
    }
    int at = random.nextInt(copy.length - 1);
    copy[at] = (byte) (copy[at] == 'a' ? 'b' : 'a');
    changed.set(row, copy);
    for (RowHash hash : RowHash.values()) {
      assertThat(feed(hash, join(changed), 100, random).hash())
          .isNotEqualTo(feed(hash, join(rows), 100, random).hash());
    }
  }

  @Provide
  Arbitrary<List<byte[]>> rows() {
    // COPY text escapes backslashes, so a data line never starts with "\." : no backslash here
    Arbitrary<byte[]> row =
        Arbitraries.bytes()
            .filter(b -> b != '\n' && b != '\\')
            .array(byte[].class)
            .ofMaxSize(300)
            .map(
                b -> {
                  byte[] line = java.util.Arrays.copyOf(b, b.length + 1);
                  line[b.length] = '\n';
                  return line;
                });
    return row.list().ofMaxSize(40);
  }

  private static byte[] join(List<byte[]> rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    rows.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static TableDigest.Content feed(RowHash hash, byte[] all, int maxChunk, Random random) {
    TableDigest d = new TableDigest(hash);
    for (int off = 0; off < all.length; ) {
      int n = Math.min(all.length - off, 1 + random.nextInt(Math.min(maxChunk, 1 << 16)));
      d.update(all, off, n);
      off += n;
    }
    return d.result();
  }
}
