package io.pgfleet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

  @Test
  void theSharedStackIsOneRunningInstancePerJvm() {
    LocalStack stack = LocalStack.shared();

    assertThat(LocalStack.shared()).isSameAs(stack);
    assertThat(stack.kafka().bootstrapServers()).startsWith("127.0.0.1:");
    assertThat(stack.s3().endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(stack.postgres().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void aStackOfItsOwnStartsAllThreeAndClosingDeletesItsDirectory(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("stack");
    try (LocalStack stack = LocalStack.start(dir)) {
      stack.kafka().createTopic("own-stack", 1);
      stack.s3().createBucket("own-stack");
      try (Connection connection = stack.postgres().connect("postgres")) {
        assertThat(connection.isValid(5)).isTrue();
      }
    }

    assertThat(dir).doesNotExist();
  }
}
