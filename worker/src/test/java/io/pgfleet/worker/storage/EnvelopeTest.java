package io.pgfleet.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {
  private static final byte[] KEY = new byte[32];
  private static final byte[] OTHER_KEY = new byte[32];

  static {
    new Random(1).nextBytes(KEY);
    new Random(2).nextBytes(OTHER_KEY);
  }

  private static byte[] seal(byte[] plain) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc = Envelope.encrypt(out, "k1", KEY)) {
      enc.write(plain);
    }
    return out.toByteArray();
  }

  private static byte[] open(byte[] sealed, byte[] key) throws Exception {
    return Envelope.decrypt(new ByteArrayInputStream(sealed), id -> Optional.of(key))
        .readAllBytes();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65535, 65536, 65537, 300_000})
  void content_of_any_size_round_trips(int size) throws Exception {
    byte[] plain = new byte[size];
    new Random(size).nextBytes(plain);

    assertThat(open(seal(plain), KEY)).isEqualTo(plain);
  }

  @Test
  void a_wrong_key_a_flipped_byte_or_a_cut_at_a_chunk_boundary_fail_authentication()
      throws Exception {
    byte[] sealed = seal(new byte[200_000]);
    byte[] flipped = sealed.clone();
    flipped[flipped.length - 100] ^= 1;
    int header = 8 + 1 + 2 + 12 + 48;
    byte[] cut = Arrays.copyOf(sealed, header + 2 * (65536 + 16));

    assertThatThrownBy(() -> open(sealed, OTHER_KEY)).hasMessageContaining("does not open");
    assertThatThrownBy(() -> open(flipped, KEY)).hasMessageContaining("failed authentication");
    assertThatThrownBy(() -> open(cut, KEY)).hasMessageContaining("failed authentication");
    assertThatThrownBy(
            () ->
                Envelope.decrypt(new ByteArrayInputStream(sealed), id -> Optional.empty())
                    .readAllBytes())
        .hasMessageContaining("'k1', which this worker does not have");
  }
}
