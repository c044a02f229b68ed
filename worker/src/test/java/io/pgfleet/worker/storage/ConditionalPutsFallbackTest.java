package io.pgfleet.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.config.StorageSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What a store's answers to PUTs make the next PUTs look like (a stub S3 client, pure logic). */
class ConditionalPutsFallbackTest {
  private static final Map<String, String> META = Map.of("sha256", "ab");

  /** Answers PUTs with the given statuses in turn (200 once they run out), recording each. */
  private static final class AnsweringS3 implements S3Client {
    final Deque<Integer> answers;
    final List<PutObjectRequest> sent = new ArrayList<>();

    AnsweringS3(Integer... answers) {
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
      sent.add(request);
      int status = answers.isEmpty() ? 200 : answers.poll();
      if (status != 200) {
        throw (S3Exception)
            S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("E" + status).build())
                .build();
      }
      return PutObjectResponse.builder().build();
    }

    List<String> conditions() {
      return sent.stream().map(r -> String.valueOf(r.ifNoneMatch())).toList();
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public void close() {}
  }

  private static ArtifactStore store(S3Client s3) {
    return new ArtifactStore(s3, "b", new ArtifactKeys("t"), StorageSettings.MIN_PART_SIZE, 0);
  }

  @Test
  void a_store_refusing_the_condition_gets_the_plain_put_and_then_only_the_plain_put() {
    AnsweringS3 s3 = new AnsweringS3(501);
    try (ArtifactStore store = store(s3)) {
      assertThat(store.putIfAbsent("t/a", new byte[] {1}, "application/zstd", META)).isTrue();
      assertThat(s3.conditions()).containsExactly("*", "null");

      assertThat(store.putIfAbsent("t/b", new byte[] {2}, "application/zstd", META)).isTrue();
      assertThat(s3.conditions())
          .as("the refusal is remembered: the second write is one plain PUT")
          .containsExactly("*", "null", "null");
      assertThat(s3.sent.get(2).key()).isEqualTo("t/b");
      assertThat(s3.sent.get(2).metadata()).isEqualTo(META);
    }
    try (ArtifactStore another = store(s3)) {
      another.putIfAbsent("t/c", new byte[] {3}, "application/zstd", META);
      assertThat(s3.conditions())
          .as("remembered per store, not for every store of the process")
          .containsExactly("*", "null", "null", "*");
    }
  }

  @Test
  void precondition_failed_and_conflict_mean_already_there_and_send_nothing_more() {
    AnsweringS3 s3 = new AnsweringS3(412, 409);
    try (ArtifactStore store = store(s3)) {
      assertThat(store.putIfAbsent("t/a", new byte[] {1}, "application/zstd", META)).isFalse();
      assertThat(store.putIfAbsent("t/a", new byte[] {1}, "application/zstd", META)).isFalse();
      assertThat(s3.conditions()).containsExactly("*", "*");

      assertThat(store.putIfAbsent("t/c", new byte[] {1}, "application/zstd", META)).isTrue();
      assertThat(s3.conditions())
          .as("a store that honours the condition keeps getting it")
          .containsExactly("*", "*", "*");
    }
  }

  @Test
  void a_plain_write_with_metadata_carries_no_condition() {
    AnsweringS3 s3 = new AnsweringS3();
    try (ArtifactStore store = store(s3)) {
      store.putWithMetadata("t/a", new byte[] {1}, "application/json", META);
      assertThat(s3.conditions()).containsExactly("null");
      assertThat(s3.sent.get(0).metadata()).isEqualTo(META);
    }
  }
}
